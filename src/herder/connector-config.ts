/**
 * The framework's connector keys, as Java's ConnectorConfig, SinkConnectorConfig and SourceConnectorConfig declare
 * them: what REST validate lists before a connector's own keys (groups Common, Transforms, Predicates, Error
 * Handling, then the sink or source specifics), with Java's defaults and validators.
 */
import { ConfigDef, type ConfigKeyOptions } from '../config/config-def.ts'
import { invalidValue } from '../config/types.ts'
import { Validators } from '../config/validators.ts'
import { predicatesConfigKey, transformsConfigKey } from '../transforms/enrich.ts'

const COMMON = 'Common'
const ERRORS = 'Error Handling'

function common(): ConfigKeyOptions[] {
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
        'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector.',
      width: 'LONG',
      displayName: 'Connector class',
    },
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
      documentation: '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector.',
      width: 'SHORT',
      displayName: 'Enforce tasks max',
    },
    {
      name: 'key.converter',
      type: 'CLASS',
      defaultValue: null,
      importance: 'LOW',
      documentation: 'Converter class for record keys; overrides the worker setting.',
      width: 'SHORT',
      displayName: 'Key converter class',
    },
    {
      name: 'value.converter',
      type: 'CLASS',
      defaultValue: null,
      importance: 'LOW',
      documentation: 'Converter class for record values; overrides the worker setting.',
      width: 'SHORT',
      displayName: 'Value converter class',
    },
    {
      name: 'header.converter',
      type: 'CLASS',
      defaultValue: null,
      importance: 'LOW',
      documentation: 'HeaderConverter class for record headers; overrides the worker setting.',
      width: 'SHORT',
      displayName: 'Header converter class',
    },
    {
      name: 'config.action.reload',
      type: 'STRING',
      defaultValue: 'restart',
      validator: Validators.inIgnoringCase('none', 'restart'),
      importance: 'LOW',
      documentation:
        "What to do when a config provider reports a change of a value the connector uses: 'none' or 'restart'.",
      width: 'MEDIUM',
      displayName: 'Reload Action',
    },
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
      documentation: 'The maximum duration in milliseconds that a failed operation will be reattempted; -1 forever.',
      width: 'MEDIUM',
      displayName: 'Retry Timeout for Errors',
    },
    {
      name: 'errors.retry.delay.max.ms',
      type: 'LONG',
      defaultValue: 60000,
      importance: 'MEDIUM',
      documentation: 'The maximum duration in milliseconds between consecutive retry attempts.',
      width: 'MEDIUM',
      displayName: 'Maximum Delay Between Retries for Errors',
    },
    {
      name: 'errors.tolerance',
      type: 'STRING',
      defaultValue: 'none',
      validator: Validators.in('none', 'all'),
      importance: 'MEDIUM',
      documentation: "Behavior for tolerating errors during connector operation: 'none' fails the task, 'all' skips.",
      width: 'SHORT',
      displayName: 'Error Tolerance',
    },
    {
      name: 'errors.log.enable',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'If true, write each error and the details of the failed operation to the log.',
      width: 'SHORT',
      displayName: 'Log Errors',
    },
    {
      name: 'errors.log.include.messages',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Whether to include the record that caused a failure in the log.',
      width: 'SHORT',
      displayName: 'Log Error Details',
    },
  ]
  return keys.map((k, i) => ({ ...k, group: ERRORS, orderInGroup: i + 1 }))
}

/** Java's ConnectorConfig.configDef(): the keys of every connector. */
export function connectorConfigDef(): ConfigDef {
  const def = new ConfigDef()
  for (const k of common()) def.define(k)
  def.define(transformsConfigKey(1))
  def.define(predicatesConfigKey(1))
  for (const k of errorHandling()) def.define(k)
  return def
}

/** Java's SinkConnectorConfig.configDef(). */
export function sinkConnectorConfigDef(): ConfigDef {
  const def = connectorConfigDef()
  const order = def.configKeys.size
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
    documentation: 'Regular expression giving topics to consume.',
    group: COMMON,
    orderInGroup: order + 2,
    width: 'LONG',
    displayName: 'Topics regex',
  })
  def.define({
    name: 'errors.deadletterqueue.topic.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'The name of the topic to be used as the dead letter queue (DLQ) for failed records.',
    group: ERRORS,
    orderInGroup: 6,
    width: 'MEDIUM',
    displayName: 'Dead Letter Queue Topic Name',
  })
  def.define({
    name: 'errors.deadletterqueue.topic.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    importance: 'MEDIUM',
    documentation: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
    group: ERRORS,
    orderInGroup: 7,
    width: 'MEDIUM',
    displayName: 'Dead Letter Queue Topic Replication Factor',
  })
  def.define({
    name: 'errors.deadletterqueue.context.headers.enable',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    documentation: 'If true, add headers containing error context to the messages written to the dead letter queue.',
    group: ERRORS,
    orderInGroup: 8,
    width: 'MEDIUM',
    displayName: 'Enable Error Context Headers',
  })
  return def
}

/** Java's SourceConnectorConfig.configDef() (without the topic creation groups' own keys). */
export function sourceConnectorConfigDef(): ConfigDef {
  const def = connectorConfigDef()
  def.define({
    name: 'exactly.once.support',
    type: 'STRING',
    defaultValue: 'requested',
    validator: Validators.inIgnoringCase('requested', 'required'),
    importance: 'MEDIUM',
    documentation: 'Whether exactly-once delivery is required for this connector (with exactly.once.source.support).',
    group: 'Exactly Once Support',
    orderInGroup: 1,
    width: 'SHORT',
    displayName: 'Exactly once support',
  })
  def.define({
    name: 'transaction.boundary',
    type: 'STRING',
    defaultValue: 'poll',
    validator: Validators.inIgnoringCase('poll', 'interval', 'connector'),
    importance: 'MEDIUM',
    documentation: 'How the worker defines transaction boundaries: poll, interval or connector.',
    group: 'Exactly Once Support',
    orderInGroup: 2,
    width: 'SHORT',
    displayName: 'Transaction Boundary',
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
  def.define({
    name: 'topic.creation.groups',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Groups of configurations for topics created by source connectors.',
    group: 'Topic Creation',
    orderInGroup: 1,
    width: 'LONG',
    displayName: 'Topic Creation Groups',
  })
  return def
}
