/**
 * The framework's connector keys, as Java's ConnectorConfig, SinkConnectorConfig and SourceConnectorConfig declare
 * them: what REST validate lists before a connector's own keys (groups Common, Transforms, Predicates, Error
 * Handling, then the sink or source specifics), with Java's defaults and validators.
 */
import { AbstractConfig } from '../abstract-config.ts'
import { ConfigDef, type ConfigKeyOptions } from '../config-def.ts'
import { invalidValue } from '../types.ts'
import { type Recommender, Validators } from '../validators.ts'
import { predicatesConfigKey, transformsConfigKey } from './transform-keys.ts'

/** A converter key's defaults during validation, as Java 4.3 fills them in from the worker and the plugins. */
export interface ConverterDefaults {
  /** The worker's converter class: the key's default. */
  className: string | null
  /** The installed converter classes, recommended as values. */
  classes: readonly string[]
  /** The version of the converter in effect (the config's or the worker's): its plugin.version default. */
  version: string | null
}

/** Defaults that depend on the connector, the plugins and the worker; absent, they are null. */
export interface FrameworkDefaults {
  /** The connector's version: the default of connector.plugin.version. */
  connectorVersion?: string | null
  converters?: Partial<Record<'key' | 'value' | 'header', ConverterDefaults>>
}

function recommending(values: readonly unknown[]): { recommender?: Recommender } {
  return values.length === 0 ? {} : { recommender: { validValues: () => [...values], visible: () => true } }
}

const COMMON = 'Common'
const ERRORS = 'Error Handling'

function pluginVersionKey(
  name: string,
  what: string,
  display: string,
  defaultValue: string | null,
): Omit<ConfigKeyOptions, 'group' | 'orderInGroup'> {
  const connector = what === 'connector'
  return {
    name,
    type: 'STRING',
    defaultValue,
    // The one version there is, as Java recommends the installed versions.
    ...recommending(defaultValue === null ? [] : [defaultValue]),
    importance: connector ? 'MEDIUM' : 'LOW',
    documentation: `Version of the ${what}.`,
    width: connector ? 'MEDIUM' : 'SHORT',
    displayName: display,
  }
}

/**
 * The Common group before transforms and predicates. The *.plugin.version keys are Kafka 4.1's (KIP-891): tsconnect
 * runs one version of each plugin, so they only ever name that version.
 */
function common(defaults: FrameworkDefaults): ConfigKeyOptions[] {
  const converter = (kind: 'key' | 'value' | 'header') => defaults.converters?.[kind]
  const keys: Omit<ConfigKeyOptions, 'group' | 'orderInGroup'>[] = [
    {
      name: 'name',
      type: 'STRING',
      validator: Validators.nonEmptyStringWithoutControlChars(),
      importance: 'HIGH',
      documentation: 'Globally unique name to use for this connector.',
      width: 'MEDIUM',
      displayName: 'Connector name',
    },
    {
      name: 'connector.class',
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
      width: 'LONG',
      displayName: 'Connector class',
    },
    pluginVersionKey('connector.plugin.version', 'connector', 'Connector version', defaults.connectorVersion ?? null),
    {
      name: 'tasks.max',
      type: 'INT',
      defaultValue: 1,
      validator: Validators.atLeast(1),
      importance: 'HIGH',
      documentation: 'Maximum number of tasks to use for this connector.',
      width: 'SHORT',
      displayName: 'Tasks max',
    },
    {
      name: 'tasks.max.enforce',
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      documentation:
        '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector. By default, connectors that generate too many tasks will fail, and existing sets of tasks that exceed the tasks.max property will also be failed. If this property is set to false, then connectors will be allowed to generate more than the maximum number of tasks, and existing sets of tasks that exceed the tasks.max property will be allowed to run. This property is deprecated and will be removed in an upcoming major release.',
      width: 'SHORT',
      displayName: 'Enforce tasks max',
    },
    {
      name: 'key.converter',
      type: 'CLASS',
      defaultValue: converter('key')?.className ?? null,
      ...recommending(converter('key')?.classes ?? []),
      importance: 'LOW',
      documentation:
        'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the keys in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.',
      width: 'SHORT',
      displayName: 'Key converter class',
    },
    pluginVersionKey(
      'key.converter.plugin.version',
      'key converter',
      'Key converter version',
      converter('key')?.version ?? null,
    ),
    {
      name: 'value.converter',
      type: 'CLASS',
      defaultValue: converter('value')?.className ?? null,
      ...recommending(converter('value')?.classes ?? []),
      importance: 'LOW',
      documentation:
        'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.',
      width: 'SHORT',
      displayName: 'Value converter class',
    },
    pluginVersionKey(
      'value.converter.plugin.version',
      'value converter',
      'Value converter version',
      converter('value')?.version ?? null,
    ),
    {
      name: 'header.converter',
      type: 'CLASS',
      defaultValue: converter('header')?.className ?? null,
      ...recommending(converter('header')?.classes ?? []),
      importance: 'LOW',
      documentation:
        'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.',
      width: 'SHORT',
      displayName: 'Header converter class',
    },
    pluginVersionKey(
      'header.converter.plugin.version',
      'header converter',
      'Header converter version',
      converter('header')?.version ?? null,
    ),
  ]
  return keys.map((k, i) => ({ ...k, group: COMMON, orderInGroup: i + 1 }))
}

function errorHandling(): ConfigKeyOptions[] {
  const keys: Omit<ConfigKeyOptions, 'group' | 'orderInGroup'>[] = [
    {
      name: 'errors.retry.timeout',
      type: 'LONG',
      defaultValue: 0,
      importance: 'MEDIUM',
      documentation:
        'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.',
      width: 'MEDIUM',
      displayName: 'Retry Timeout for Errors',
    },
    {
      name: 'errors.retry.delay.max.ms',
      type: 'LONG',
      defaultValue: 60000,
      importance: 'MEDIUM',
      documentation:
        'The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues.',
      width: 'MEDIUM',
      displayName: 'Maximum Delay Between Retries for Errors',
    },
    {
      name: 'errors.tolerance',
      type: 'STRING',
      defaultValue: 'none',
      validator: Validators.in('none', 'all'),
      importance: 'MEDIUM',
      documentation:
        "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
      width: 'SHORT',
      displayName: 'Error Tolerance',
    },
    {
      name: 'errors.log.enable',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation:
        "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
      width: 'SHORT',
      displayName: 'Log Errors',
    },
    {
      name: 'errors.log.include.messages',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation:
        "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files.",
      width: 'SHORT',
      displayName: 'Log Error Details',
    },
  ]
  return keys.map((k, i) => ({ ...k, group: ERRORS, orderInGroup: i + 1 }))
}

/** Java's topic.creation.groups (SourceConnectorConfig). */
export const TOPIC_CREATION_GROUPS: ConfigKeyOptions = {
  name: 'topic.creation.groups',
  type: 'LIST',
  defaultValue: '',
  importance: 'LOW',
  documentation: 'Groups of configurations for topics created by source connectors',
  group: 'Topic Creation',
  orderInGroup: 1,
  width: 'LONG',
  displayName: 'Topic Creation Groups',
}

const RELOAD_ACTION: ConfigKeyOptions = {
  name: 'config.action.reload',
  type: 'STRING',
  defaultValue: 'restart',
  validator: Validators.inIgnoringCase('none', 'restart'),
  importance: 'LOW',
  documentation:
    "The action that Connect should take on the connector when changes in external configuration providers result in a change in the connector's configuration properties. A value of 'none' indicates that Connect will do nothing. A value of 'restart' indicates that Connect should restart/reload the connector with the updated configuration properties.The restart may actually be scheduled in the future if the external configuration provider indicates that a configuration value will expire in the future.",
  width: 'MEDIUM',
  displayName: 'Reload Action',
  group: COMMON,
  orderInGroup: 14,
}

/** The sink's dead letter queue keys (SinkConnectorConfig), which tsconnect honours for source tasks too. */
const DEAD_LETTER_QUEUE_KEYS: readonly ConfigKeyOptions[] = [
  {
    name: 'errors.deadletterqueue.topic.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation:
      'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.',
    group: ERRORS,
    orderInGroup: 6,
    width: 'MEDIUM',
    displayName: 'Dead Letter Queue Topic Name',
  },
  {
    name: 'errors.deadletterqueue.topic.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    importance: 'MEDIUM',
    documentation: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
    group: ERRORS,
    orderInGroup: 7,
    width: 'MEDIUM',
    displayName: 'Dead Letter Queue Topic Replication Factor',
  },
  {
    name: 'errors.deadletterqueue.context.headers.enable',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    documentation:
      'If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>',
    group: ERRORS,
    orderInGroup: 8,
    width: 'MEDIUM',
    displayName: 'Enable Error Context Headers',
  },
]

/**
 * Java's ConnectorConfig.configDef() (Kafka 4.3): the keys of every connector, in Java's order and numbering.
 * `defaults` fill in what depends on the connector, the plugins and the worker (validation gives them).
 */
export function connectorConfigDef(defaults: FrameworkDefaults = {}): ConfigDef {
  const def = new ConfigDef()
  for (const k of common(defaults)) def.define(k)
  def.define(transformsConfigKey(12))
  def.define(predicatesConfigKey(13))
  def.define(RELOAD_ACTION)
  for (const k of errorHandling()) def.define(k)
  return def
}

/** Java's SinkConnectorConfig.configDef(). */
export function sinkConnectorConfigDef(defaults: FrameworkDefaults = {}): ConfigDef {
  const def = connectorConfigDef(defaults)
  // Java 4.3 numbers both topics and topics.regex 4 in Common.
  const order = 3
  def.define({
    name: 'topics',
    type: 'LIST',
    defaultValue: '',
    importance: 'HIGH',
    documentation: 'List of topics to consume, separated by commas',
    group: COMMON,
    orderInGroup: order + 1,
    width: 'LONG',
    displayName: 'Topics',
  })
  def.define({
    name: 'topics.regex',
    type: 'STRING',
    defaultValue: '',
    validator: Validators.of((name, value) => {
      if (typeof value !== 'string' || value === '') return
      try {
        new RegExp(value)
      } catch (e) {
        throw invalidValue(name, value, (e as Error).message)
      }
    }, 'valid regex'),
    importance: 'HIGH',
    documentation:
      'Regular expression giving topics to consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.',
    group: COMMON,
    orderInGroup: order + 1,
    width: 'LONG',
    displayName: 'Topics regex',
  })
  for (const k of DEAD_LETTER_QUEUE_KEYS) def.define(k)
  return def
}

/** Java's SourceConnectorConfig.configDef() (without the topic creation groups' own keys). */
export function sourceConnectorConfigDef(defaults: FrameworkDefaults = {}): ConfigDef {
  const def = connectorConfigDef(defaults)
  def.define(TOPIC_CREATION_GROUPS)
  def.define({
    name: 'exactly.once.support',
    type: 'STRING',
    defaultValue: 'requested',
    validator: Validators.inIgnoringCase('requested', 'required'),
    importance: 'MEDIUM',
    documentation:
      'Permitted values are requested, required. If set to "required", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration. Some connectors may be capable of providing exactly-once semantics but not signal to Connect that they support this; in that case, documentation for the connector should be consulted carefully before creating it, and the value for this property should be set to "requested". Additionally, if the value is set to "required" but the worker that performs preflight validation does not have exactly-once support enabled for source connectors, requests to create or validate the connector will fail.',
    group: 'Exactly Once Support',
    orderInGroup: 2,
    width: 'SHORT',
    displayName: 'Exactly once support',
  })
  def.define({
    name: 'transaction.boundary',
    type: 'STRING',
    defaultValue: 'poll',
    validator: Validators.inIgnoringCase('poll', 'interval', 'connector'),
    importance: 'MEDIUM',
    documentation:
      "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'connector', relies on connector-defined transaction boundaries; note that not all connectors are capable of defining their own transaction boundaries, and in that case, attempts to instantiate a connector with this value will fail. Finally, if set to 'interval', commits transactions only after a user-defined time interval has passed.",
    group: 'Exactly Once Support',
    orderInGroup: 3,
    width: 'SHORT',
    displayName: 'Transaction Boundary',
  })
  def.define({
    name: 'transaction.boundary.interval.ms',
    type: 'LONG',
    defaultValue: null,
    validator: Validators.of((name, value) => {
      if (typeof value === 'bigint' ? value < 0n : typeof value === 'number' && value < 0) {
        throw invalidValue(name, value, 'Interval may not be negative')
      }
    }, '[0,...]'),
    importance: 'LOW',
    documentation:
      "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
    group: 'Exactly Once Support',
    orderInGroup: 4,
    width: 'SHORT',
    displayName: 'Transaction boundary interval',
  })
  def.define({
    name: 'offsets.storage.topic',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'The name of a separate offsets topic to use for this connector. ' +
      'If empty or not specified, the worker’s global offsets topic name will be used. ' +
      'If specified, the offsets topic will be created if it does not already exist on the Kafka cluster targeted by this connector ' +
      "(which may be different from the one used for the worker's global offsets topic if the bootstrap.servers property of the connector's producer " +
      "has been overridden from the worker's). Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
    group: 'offsets.topic',
    orderInGroup: 1,
    width: 'LONG',
    displayName: 'Offsets topic',
  })
  return def
}

/** The errors.* keys alone (retry, tolerance, log, dead letter queue), for readers of just those. */
export function errorHandlingConfigDef(): ConfigDef {
  const def = new ConfigDef()
  for (const k of errorHandling()) def.define(k)
  for (const k of DEAD_LETTER_QUEUE_KEYS) def.define(k)
  return def
}

/**
 * A connector config parsed against its ConfigDef, as a task start reads it (Java's SinkConnectorConfig and
 * SourceConnectorConfig): typed values for the framework's keys, and the raw properties for the connector, its
 * converters, transforms and clients, which read their own keys.
 */
export class ConnectorConfig extends AbstractConfig {
  /** The properties as given (without null values). */
  readonly props: Readonly<Record<string, string>>

  /**
   * Parses and validates.
   * @throws ConfigError naming the key at fault
   */
  constructor(definition: ConfigDef, props: Readonly<Record<string, string>>) {
    super(definition, props)
    this.props = Object.freeze({ ...props })
  }

  /** Whether the definition declares `key`. */
  declares(key: string): boolean {
    return this.definition.configKeys.has(key)
  }

  /** A STRING value; '' for null. */
  string(key: string): string {
    return this.getString(key) ?? ''
  }

  /** A BOOLEAN value; false for null. */
  bool(key: string): boolean {
    return this.getBoolean(key) ?? false
  }

  /** A LIST value without empty entries (Java's SinkConnectorConfig.parseTopicsList drops them too). */
  list(key: string): string[] {
    return (this.getList(key) ?? []).filter((s) => s !== '')
  }
}

let sinkDefinition: ConfigDef | undefined
let sourceDefinition: ConfigDef | undefined

/** A sink connector's config as its tasks start with it (Java's `new SinkConnectorConfig(plugins, props)`). */
export function parseSinkConnectorConfig(props: Readonly<Record<string, string>>): ConnectorConfig {
  sinkDefinition ??= sinkConnectorConfigDef()
  return new ConnectorConfig(sinkDefinition, props)
}

/**
 * A source connector's config as its tasks start with it (Java's `new SourceConnectorConfig(plugins, props, ...)`),
 * with the dead letter queue keys, which tsconnect honours for source tasks too.
 */
export function parseSourceConnectorConfig(props: Readonly<Record<string, string>>): ConnectorConfig {
  if (sourceDefinition === undefined) {
    const def = sourceConnectorConfigDef()
    for (const k of DEAD_LETTER_QUEUE_KEYS) def.define(k)
    sourceDefinition = def
  }
  return new ConnectorConfig(sourceDefinition, props)
}
