/**
 * The distributed worker's config: one ConfigDef with Java's WorkerConfig, DistributedConfig and RestServerConfig
 * keys (the REST keys are declared in rest-config-def.ts), their defaults and validators. It drives parsing (parseWorkerConfig: a ConfigError naming
 * the key for a missing required key or a bad value), the generated docs/worker-config.md, and CLI messages.
 *
 * Keys that other parts read with their own rules (ssl.*, sasl.*, producer.*, consumer.*, admin.*, <topic>.storage.*
 * topic configs, config.providers.<name>.*) pass through untouched: the raw properties stay available to them.
 */
import { AbstractConfig } from '../abstract-config.ts'
import { ConfigDef, type ConfigKeyOptions, type RawConfig } from '../config-def.ts'
import { type ConfigValueType, invalidValue } from '../types.ts'
import { type Validator, Validators } from '../validators.ts'
import { REST_CONFIG_KEYS } from './rest-config-def.ts'

const INT_MAX = 2 ** 31 - 1

/** Partitions and replication factors: a positive number, or -1 for the broker's default. */
const positiveOrBrokerDefault: Validator = Validators.of((name, value) => {
  const n = Number(value)
  if (value == null || (n < 1 && n !== -1)) {
    throw invalidValue(name, value, 'Value must be positive, or -1 to use the broker default')
  }
}, 'Positive number, or -1 to use the broker default')

type Key = Omit<ConfigKeyOptions, 'group' | 'orderInGroup'>

const CLUSTER: Key[] = [
  {
    name: 'group.id',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'A unique string that identifies the Connect cluster group this worker belongs to.',
  },
  {
    name: 'bootstrap.servers',
    type: 'LIST',
    defaultValue: 'localhost:9092',
    validator: Validators.nonEmptyList(),
    importance: 'HIGH',
    documentation:
      'A list of host/port pairs used to establish the initial connection to the Kafka cluster, in the form host1:port1,host2:port2,...',
  },
  {
    name: 'config.storage.topic',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The name of the Kafka topic where connector configurations are stored. It has one partition.',
  },
  {
    name: 'config.storage.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    validator: positiveOrBrokerDefault,
    importance: 'LOW',
    documentation: 'Replication factor used when creating the configuration storage topic; -1 for the broker default.',
  },
  {
    name: 'offset.storage.topic',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The name of the Kafka topic where source connector offsets are stored.',
  },
  {
    name: 'offset.storage.partitions',
    type: 'INT',
    defaultValue: 25,
    validator: positiveOrBrokerDefault,
    importance: 'LOW',
    documentation: 'The number of partitions used when creating the offset storage topic; -1 for the broker default.',
  },
  {
    name: 'offset.storage.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    validator: positiveOrBrokerDefault,
    importance: 'LOW',
    documentation: 'Replication factor used when creating the offset storage topic; -1 for the broker default.',
  },
  {
    name: 'status.storage.topic',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The name of the Kafka topic where connector and task status are stored.',
  },
  {
    name: 'status.storage.partitions',
    type: 'INT',
    defaultValue: 5,
    validator: positiveOrBrokerDefault,
    importance: 'LOW',
    documentation: 'The number of partitions used when creating the status storage topic; -1 for the broker default.',
  },
  {
    name: 'status.storage.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    validator: positiveOrBrokerDefault,
    importance: 'LOW',
    documentation: 'Replication factor used when creating the status storage topic; -1 for the broker default.',
  },
  {
    name: 'key.converter',
    type: 'CLASS',
    importance: 'HIGH',
    documentation: 'Converter class for record keys, e.g. org.apache.kafka.connect.json.JsonConverter.',
  },
  {
    name: 'value.converter',
    type: 'CLASS',
    importance: 'HIGH',
    documentation: 'Converter class for record values, e.g. org.apache.kafka.connect.json.JsonConverter.',
  },
  {
    name: 'header.converter',
    type: 'CLASS',
    defaultValue: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    importance: 'LOW',
    documentation: 'HeaderConverter class for record headers.',
  },
  {
    name: 'session.timeout.ms',
    type: 'INT',
    defaultValue: 10000,
    importance: 'HIGH',
    documentation: 'The timeout used to detect worker failures: without heartbeats for this long a worker is removed.',
  },
  {
    name: 'group.instance.id',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      "tsconnect only (Java Connect has no static membership). This worker's stable identity in the group, unique per worker. A worker that restarts within session.timeout.ms gets its connectors and tasks back without a rebalance; in exchange a clean stop does not hand its work over (it waits for the worker to return, or for the session timeout). See docs/failover.md.",
  },
  {
    name: 'heartbeat.interval.ms',
    type: 'INT',
    defaultValue: 1000,
    importance: 'HIGH',
    documentation:
      "The expected time between heartbeats to the group coordinator; when set, also how long the coordinator may stay unreachable before this worker stops its work. tsconnect's default is 1000 (Java Connect's: 3000): the other workers learn of a rebalance, such as a worker's clean stop, at their next heartbeat, so work moves up to 2 s sooner. Left unset, the coordinator may stay unreachable for 3000 ms, as with Java's default. See docs/failover.md.",
  },
  {
    name: 'rebalance.timeout.ms',
    type: 'INT',
    defaultValue: 60000,
    importance: 'HIGH',
    documentation:
      'The maximum time each worker may take to join the group once a rebalance has begun; the REST request timeout is min(90 s, this).',
  },
  {
    name: 'worker.sync.timeout.ms',
    type: 'INT',
    defaultValue: 3000,
    importance: 'MEDIUM',
    documentation:
      'How long to wait for the config topic to be read to its end after a rebalance before leaving the group and backing off.',
  },
  {
    name: 'worker.unsync.backoff.ms',
    type: 'INT',
    defaultValue: 300000,
    importance: 'MEDIUM',
    documentation: 'How long to back off before rejoining after falling out of sync (eager protocol).',
  },
  {
    name: 'connect.protocol',
    type: 'STRING',
    defaultValue: 'sessioned',
    validator: Validators.inIgnoringCase('eager', 'compatible', 'sessioned'),
    importance: 'LOW',
    documentation: 'Compatibility mode of the group protocol: eager, compatible or sessioned.',
  },
  {
    name: 'scheduled.rebalance.max.delay.ms',
    type: 'INT',
    defaultValue: 300000,
    validator: Validators.between(0, INT_MAX),
    importance: 'LOW',
    documentation:
      "The longest the leader waits for a departed worker to return before reassigning its connectors and tasks. Set explicitly, it works as in Java Connect. Not set, tsconnect reassigns a crashed worker's work as soon as the session timeout finds it gone (the default shown is Java's, which still caps the backoff between successive load-balancing revocations). Either way, work a worker released on a clean stop is reassigned at once. See docs/failover.md.",
  },
  {
    name: 'tsconnect.auto.restart.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    documentation:
      'tsconnect only. Whether the worker restarts its FAILED connectors and tasks by itself, with exponential backoff, up to tsconnect.auto.restart.max.attempts times. REST status shows the attempts. See docs/failover.md.',
  },
  {
    name: 'tsconnect.auto.restart.initial.backoff.ms',
    type: 'LONG',
    defaultValue: 1000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation:
      'tsconnect only. The wait before the first automatic restart; each further attempt waits twice as long.',
  },
  {
    name: 'tsconnect.auto.restart.max.backoff.ms',
    type: 'LONG',
    defaultValue: 60000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation:
      'tsconnect only. The longest wait between automatic restarts. Work that fails again later than this after its last restart starts a new series of attempts.',
  },
  {
    name: 'tsconnect.auto.restart.max.attempts',
    type: 'INT',
    defaultValue: 10,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation:
      'tsconnect only. How many automatic restarts a failing connector or task gets in one series; after that it stays FAILED until restarted through REST.',
  },
  {
    name: 'exactly.once.source.support',
    type: 'STRING',
    defaultValue: 'disabled',
    validator: Validators.inIgnoringCase('disabled', 'preparing', 'enabled'),
    importance: 'HIGH',
    documentation: 'Exactly-once support for source connectors (KIP-618): disabled, preparing or enabled.',
  },
  {
    name: 'inter.worker.key.generation.algorithm',
    type: 'STRING',
    defaultValue: 'HmacSHA256',
    validator: Validators.in('HmacSHA256', 'HmacSHA384', 'HmacSHA512'),
    importance: 'LOW',
    documentation: 'The algorithm of the session keys that sign internal requests.',
  },
  {
    name: 'inter.worker.key.size',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    documentation: "The size of the session key in bits; null for the algorithm's default.",
  },
  {
    name: 'inter.worker.key.ttl.ms',
    type: 'INT',
    defaultValue: 3600000,
    validator: Validators.between(0, INT_MAX),
    importance: 'LOW',
    documentation: 'How long a session key stays valid before the leader rotates it.',
  },
  {
    name: 'inter.worker.signature.algorithm',
    type: 'STRING',
    defaultValue: 'HmacSHA256',
    validator: Validators.in('HmacSHA256', 'HmacSHA384', 'HmacSHA512'),
    importance: 'LOW',
    documentation: 'The algorithm this worker signs internal requests with.',
  },
  {
    name: 'inter.worker.verification.algorithms',
    type: 'LIST',
    defaultValue: 'HmacSHA256',
    validator: Validators.all(Validators.nonEmptyList(), Validators.listOf('HmacSHA256', 'HmacSHA384', 'HmacSHA512')),
    importance: 'LOW',
    documentation: 'The algorithms accepted when verifying internal requests; must include the signature algorithm.',
  },
  {
    name: 'task.shutdown.graceful.timeout.ms',
    type: 'LONG',
    defaultValue: 5000,
    importance: 'LOW',
    documentation: 'How long to wait for tasks to stop gracefully, in total for all tasks.',
  },
  {
    name: 'offset.flush.interval.ms',
    type: 'LONG',
    defaultValue: 60000,
    importance: 'LOW',
    documentation: 'The interval at which to commit task offsets.',
  },
  {
    name: 'offset.flush.timeout.ms',
    type: 'LONG',
    defaultValue: 5000,
    importance: 'LOW',
    documentation: 'How long an offset flush may take before it is cancelled and retried in the next interval.',
  },
  {
    name: 'tsconnect.metrics.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation:
      "tsconnect only. Whether the worker measures itself, its connectors, tasks and Kafka clients (Java Connect's metric groups) and serves them on GET /metrics in the Prometheus text format, with the names Strimzi's exporter gives Java Connect. See docs/monitoring.md.",
  },
  {
    name: 'tsconnect.source.max.inflight.records',
    type: 'INT',
    defaultValue: 20000,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    documentation:
      'tsconnect only. How many records a source task may have sent but not yet acknowledged before it stops polling (backpressure when Kafka is slower than the source).',
  },
  {
    name: 'plugin.path',
    type: 'LIST',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Where plugins are loaded from: npm package names, package folders, or folders of packages; and Java plugins (jars, folders of jars, unpacked plugin archives), run by the JVM plugin host (docs/java-plugins.md).',
  },
  {
    name: 'plugin.discovery',
    type: 'STRING',
    defaultValue: 'hybrid_warn',
    validator: Validators.inIgnoringCase('only_scan', 'hybrid_warn', 'hybrid_fail', 'service_load'),
    importance: 'LOW',
    documentation:
      "How the JVM plugin host discovers Java plugins on plugin.path, as in Java Connect (Kafka's own plugin discovery); tsconnect's npm plugin loading has no scanning modes.",
  },
  {
    name: 'tsconnect.jvm.java.command',
    type: 'STRING',
    defaultValue: 'java',
    importance: 'LOW',
    documentation:
      'tsconnect only. The java command that runs the JVM plugin host (Java 17 or newer), started only when plugin.path holds Java plugins. See docs/java-plugins.md.',
  },
  {
    name: 'tsconnect.jvm.max.heap',
    type: 'STRING',
    defaultValue: '512m',
    importance: 'LOW',
    documentation:
      "tsconnect only. The JVM plugin host's maximum heap (its -Xmx), e.g. 512m or 2g. See docs/java-plugins.md.",
  },
  {
    name: 'tsconnect.jvm.options',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      'tsconnect only. More options for the JVM plugin host, comma-separated (e.g. -XX:+UseG1GC,-Dfile.encoding=UTF-8).',
  },
  {
    name: 'config.providers',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      'Names of config providers; each is configured with config.providers.<name>.class and config.providers.<name>.param.<key>.',
  },
  {
    name: 'connector.client.config.override.policy',
    type: 'STRING',
    defaultValue: 'All',
    importance: 'MEDIUM',
    documentation: 'Which client configs connectors may override: All, None or Principal (or a class name).',
  },
  {
    name: 'topic.creation.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Whether source connectors may create their topics (KIP-158).',
  },
  {
    name: 'client.id',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'A name passed to the broker in requests, part of the internal clients ids.',
  },
  {
    name: 'metadata.max.age.ms',
    type: 'LONG',
    defaultValue: 300000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'How often to refresh metadata even without leadership changes.',
  },
  {
    name: 'request.timeout.ms',
    type: 'INT',
    defaultValue: 40000,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    documentation: 'The longest the client waits for the answer to a request.',
  },
  {
    name: 'connections.max.idle.ms',
    type: 'LONG',
    defaultValue: 540000,
    importance: 'MEDIUM',
    documentation: 'Close idle connections after this long.',
  },
  {
    name: 'retry.backoff.ms',
    type: 'LONG',
    defaultValue: 100,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'The base wait before retrying a failed request.',
  },
  {
    name: 'retry.backoff.max.ms',
    type: 'LONG',
    defaultValue: 1000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'The longest wait before retrying a failed request.',
  },
  {
    name: 'security.protocol',
    type: 'STRING',
    defaultValue: 'PLAINTEXT',
    validator: Validators.inIgnoringCase('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'),
    importance: 'MEDIUM',
    documentation: 'The protocol used to talk to brokers.',
  },
]

function group(name: string, keys: readonly Key[]): ConfigKeyOptions[] {
  return keys.map((k, i) => ({ ...k, group: name, orderInGroup: i + 1 }))
}

/** The declaration of every worker key the distributed worker reads itself. */
export const WORKER_CONFIG_DEF: ConfigDef = (() => {
  const def = new ConfigDef()
  for (const k of [...group('Cluster', CLUSTER), ...REST_CONFIG_KEYS]) def.define(k)
  return def
})()

/** Raw worker properties, as read from the file, the environment and --override. */
export type WorkerProperties = Record<string, string>

/** A parsed, validated distributed worker config, with typed getters and the raw properties. */
export class WorkerConfig extends AbstractConfig {
  /** The raw properties (for the stores, clients and REST, which read their own keys). */
  readonly props: Readonly<WorkerProperties>

  /**
   * Parses and validates.
   * @throws ConfigError naming the key at fault
   */
  constructor(props: WorkerProperties) {
    super(WORKER_CONFIG_DEF, props)
    this.props = Object.freeze({ ...props })
    const signature = this.string('inter.worker.signature.algorithm')
    const verification = this.getList('inter.worker.verification.algorithms') ?? []
    if (!verification.includes(signature)) {
      throw invalidValue(
        'inter.worker.signature.algorithm',
        signature,
        `Signature algorithm must be present in inter.worker.verification.algorithms list (${verification.join(',')})`,
      )
    }
  }

  /** A STRING value that has a non-null default or is required. */
  string(key: string): string {
    return this.getString(key) ?? ''
  }

  /** A numeric value that has a non-null default. */
  number(key: string): number {
    return this.getNumber(key) ?? 0
  }

  /** Whether the user set `key` (as opposed to its default applying). */
  isSet(key: string): boolean {
    return Object.hasOwn(this.props, key)
  }

  /** connect.protocol, lower-cased. */
  get protocol(): 'eager' | 'compatible' | 'sessioned' {
    return this.string('connect.protocol').toLowerCase() as 'eager' | 'compatible' | 'sessioned'
  }

  /** The REST request timeout: min(90 s, rebalance.timeout.ms), as Java's. */
  get restRequestTimeoutMs(): number {
    return Math.min(90_000, this.number('rebalance.timeout.ms'))
  }
}

/** Parses worker properties; @throws ConfigError naming the key at fault. */
export function parseWorkerConfig(props: WorkerProperties): WorkerConfig {
  return new WorkerConfig(props)
}

/**
 * A worker key's typed value: from a parsed WorkerConfig, or parsed from raw properties with WORKER_CONFIG_DEF (for
 * the parts that are handed raw properties, such as the internal topic stores).
 */
export function workerConfigValue(config: WorkerConfig | RawConfig, key: string): ConfigValueType {
  return config instanceof WorkerConfig ? config.get(key) : WORKER_CONFIG_DEF.parseOne(key, config)
}

/** docs/worker-config.md, generated from WORKER_CONFIG_DEF. */
export function workerConfigMarkdown(): string {
  return [
    '# Worker configuration',
    '',
    '<!-- Generated from src/config/connect/worker-config.ts by `npm run docs`; do not edit. -->',
    '',
    'The keys of a distributed worker (`connect-distributed worker.properties`), with the defaults and validation of',
    "Java's WorkerConfig, DistributedConfig and RestServerConfig. Client keys (ssl.\\*, sasl.\\*), `producer.`,",
    '`consumer.` and `admin.` prefixed keys, internal topic configs (`config.storage.<topic config>`) and',
    '`config.providers.<name>.*` are read by the parts that use them.',
    '',
    WORKER_CONFIG_DEF.toMarkdown(),
    '',
  ].join('\n')
}
