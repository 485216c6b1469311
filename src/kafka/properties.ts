/**
 * Java-style client properties (bootstrap.servers, security.protocol, acks, ...) turned into @platformatic/kafka
 * options.
 *
 * Users carry their worker.properties over from Java Connect, including the client keys under producer.,
 * consumer. and admin. prefixes. Each key Java's clients know is either mapped here, or reported as having no
 * effect (with the reason), so nothing is dropped silently; keys Java does not know are reported as unknown.
 * Bad values raise a ConfigError naming the key, as Java's ConfigDef does.
 */
import { readFileSync } from 'node:fs'
import type { ConnectionOptions as TlsOptions } from 'node:tls'
import { ConfigError } from '../errors.ts'

/** Which client the properties are for: some keys belong to one kind only. */
export type ClientRole = 'producer' | 'consumer' | 'admin'

/** Java-style properties: string values as read from a .properties file (numbers and booleans are accepted too). */
export type ClientProperties = Record<string, string | number | boolean | undefined>

/** SASL settings in @platformatic/kafka's shape. */
export interface SaslSettings {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER'
  username?: string
  password?: string
  token?: string
}

/** Options every client takes (@platformatic/kafka's BaseOptions plus connection options). */
export interface BaseSettings {
  clientId: string
  bootstrapBrokers: string[]
  clientRack?: string
  timeout?: number
  requestTimeout?: number
  connectTimeout?: number
  retries?: number
  retryDelay?: number
  metadataMaxAge?: number
  tls?: TlsOptions
  sasl?: SaslSettings
}

/** Producer options (acks, compression, idempotence, transactions). */
export interface ProducerSettings {
  acks: number
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
  idempotent: boolean
  transactionalId?: string
}

/** Fetch and group options of a consumer. */
export interface ConsumerSettings {
  groupId?: string
  groupInstanceId?: string
  isolationLevel: 0 | 1
  minBytes?: number
  maxBytes?: number
  maxBytesPerPartition?: number
  maxWaitTime?: number
  sessionTimeout?: number
  heartbeatInterval?: number
  rebalanceTimeout?: number
  /** auto.offset.reset: where a consumer without a committed offset starts. */
  autoOffsetReset: 'earliest' | 'latest' | 'none'
  /** max.poll.records: the most records one poll hands over (applied by tsconnect's own loops). */
  maxPollRecords: number
}

/** The result of parsing: options per concern, plus one warning per ignored or unknown key. */
export interface ClientSettings {
  base: BaseSettings
  producer: ProducerSettings
  consumer: ConsumerSettings
  warnings: string[]
}

type Apply = (value: string, s: ClientSettings, props: Map<string, string>) => void

interface KeySpec {
  roles: readonly ClientRole[]
  apply: Apply
}

const ALL: readonly ClientRole[] = ['producer', 'consumer', 'admin']
const PRODUCER: readonly ClientRole[] = ['producer']
const CONSUMER: readonly ClientRole[] = ['consumer']

function int(key: string, value: string, min = 0): number {
  const n = Number(value.trim())
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`Invalid value ${value} for configuration ${key}: must be an integer >= ${min}`, key)
  }
  return n
}

function bool(key: string, value: string): boolean {
  const v = value.trim().toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new ConfigError(`Invalid value ${value} for configuration ${key}: must be true or false`, key)
}

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase()
  const match = allowed.find((a) => a.toLowerCase() === v)
  if (!match) {
    throw new ConfigError(`Invalid value ${value} for configuration ${key}: must be one of ${allowed.join(', ')}`, key)
  }
  return match
}

/** Keys that Java's clients know and tsconnect maps. */
const MAPPED: Record<string, KeySpec> = {
  'bootstrap.servers': {
    roles: ALL,
    apply: (v, s) => {
      s.base.bootstrapBrokers = v
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean)
    },
  },
  'client.id': {
    roles: ALL,
    apply: (v, s) => {
      s.base.clientId = v
    },
  },
  'client.rack': {
    roles: ALL,
    apply: (v, s) => {
      s.base.clientRack = v
    },
  },
  'request.timeout.ms': {
    roles: ALL,
    apply: (v, s) => {
      s.base.requestTimeout = int('request.timeout.ms', v)
      s.base.timeout = s.base.requestTimeout
    },
  },
  'default.api.timeout.ms': {
    roles: ['consumer', 'admin'],
    apply: (v, s) => {
      s.base.timeout = int('default.api.timeout.ms', v)
    },
  },
  'socket.connection.setup.timeout.ms': {
    roles: ALL,
    apply: (v, s) => {
      s.base.connectTimeout = int('socket.connection.setup.timeout.ms', v)
    },
  },
  retries: {
    roles: ALL,
    apply: (v, s) => {
      s.base.retries = Math.min(int('retries', v), 1_000_000)
    },
  },
  'retry.backoff.ms': {
    roles: ALL,
    apply: (v, s) => {
      s.base.retryDelay = int('retry.backoff.ms', v)
    },
  },
  'metadata.max.age.ms': {
    roles: ALL,
    apply: (v, s) => {
      s.base.metadataMaxAge = int('metadata.max.age.ms', v)
    },
  },
  'security.protocol': { roles: ALL, apply: () => {} }, // read by applySecurity, which needs the other keys too
  'sasl.mechanism': { roles: ALL, apply: () => {} },
  'sasl.jaas.config': { roles: ALL, apply: () => {} },
  'ssl.truststore.type': { roles: ALL, apply: () => {} },
  'ssl.truststore.location': { roles: ALL, apply: () => {} },
  'ssl.truststore.password': { roles: ALL, apply: () => {} },
  'ssl.truststore.certificates': { roles: ALL, apply: () => {} },
  'ssl.keystore.type': { roles: ALL, apply: () => {} },
  'ssl.keystore.location': { roles: ALL, apply: () => {} },
  'ssl.keystore.password': { roles: ALL, apply: () => {} },
  'ssl.keystore.key': { roles: ALL, apply: () => {} },
  'ssl.keystore.certificate.chain': { roles: ALL, apply: () => {} },
  'ssl.key.password': { roles: ALL, apply: () => {} },
  'ssl.endpoint.identification.algorithm': { roles: ALL, apply: () => {} },
  acks: {
    roles: PRODUCER,
    apply: (v, s) => {
      const a = oneOf('acks', v, ['all', '-1', '0', '1'])
      s.producer.acks = a === 'all' ? -1 : Number(a)
    },
  },
  'compression.type': {
    roles: PRODUCER,
    apply: (v, s) => {
      s.producer.compression = oneOf('compression.type', v, ['none', 'gzip', 'snappy', 'lz4', 'zstd'])
    },
  },
  'enable.idempotence': {
    roles: PRODUCER,
    apply: (v, s) => {
      s.producer.idempotent = bool('enable.idempotence', v)
    },
  },
  'transactional.id': {
    roles: PRODUCER,
    apply: (v, s) => {
      s.producer.transactionalId = v
    },
  },
  'group.id': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.groupId = v
    },
  },
  'group.instance.id': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.groupInstanceId = v
    },
  },
  'isolation.level': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.isolationLevel =
        oneOf('isolation.level', v, ['read_uncommitted', 'read_committed']) === 'read_committed' ? 1 : 0
    },
  },
  'fetch.min.bytes': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.minBytes = int('fetch.min.bytes', v)
    },
  },
  'fetch.max.bytes': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.maxBytes = int('fetch.max.bytes', v)
    },
  },
  'max.partition.fetch.bytes': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.maxBytesPerPartition = int('max.partition.fetch.bytes', v)
    },
  },
  'fetch.max.wait.ms': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.maxWaitTime = int('fetch.max.wait.ms', v)
    },
  },
  'session.timeout.ms': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.sessionTimeout = int('session.timeout.ms', v)
    },
  },
  'heartbeat.interval.ms': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.heartbeatInterval = int('heartbeat.interval.ms', v)
    },
  },
  'max.poll.interval.ms': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.rebalanceTimeout = int('max.poll.interval.ms', v, 1)
    },
  },
  'auto.offset.reset': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.autoOffsetReset = oneOf('auto.offset.reset', v, ['earliest', 'latest', 'none'])
    },
  },
  'max.poll.records': {
    roles: CONSUMER,
    apply: (v, s) => {
      s.consumer.maxPollRecords = int('max.poll.records', v, 1)
    },
  },
}

/**
 * Keys that Java's clients know but that have no effect here, with the reason. Serializer keys are absent on
 * purpose: Connect always moves bytes, so they carry no meaning for a Connect worker and are accepted silently.
 */
const NO_EFFECT: Record<string, string> = {
  'linger.ms': 'records are sent as soon as a batch is handed over; batching follows the task loop',
  'batch.size': 'batches are the records of one send call',
  'buffer.memory': 'backpressure is applied per task instead',
  'max.in.flight.requests.per.connection': 'the client pipelines requests on its own',
  'delivery.timeout.ms': 'delivery is bounded by request.timeout.ms and retries',
  'max.block.ms': 'sends never block the event loop',
  'max.request.size': 'the broker enforces message.max.bytes',
  'send.buffer.bytes': 'Node sizes socket buffers',
  'receive.buffer.bytes': 'Node sizes socket buffers',
  'reconnect.backoff.ms': 'reconnects follow retry.backoff.ms',
  'reconnect.backoff.max.ms': 'reconnects follow retry.backoff.ms',
  'retry.backoff.max.ms': 'retries follow retry.backoff.ms',
  'connections.max.idle.ms': 'connections stay open while the client lives',
  'enable.auto.commit': 'Connect commits offsets itself',
  'auto.commit.interval.ms': 'Connect commits offsets itself',
  'partition.assignment.strategy': 'sink consumers use the cooperative-sticky assignor',
  'check.crcs': 'CRCs are always checked',
  'metrics.sample.window.ms': 'metrics are exported through Prometheus',
  'metrics.num.samples': 'metrics are exported through Prometheus',
  'metrics.recording.level': 'metrics are exported through Prometheus',
  'metric.reporters': 'metrics are exported through Prometheus',
  'auto.include.jmx.reporter': 'there is no JMX in Node',
  'interceptor.classes': 'Java interceptors cannot run in Node',
  'partitioner.class': "keys are always partitioned with Java's default murmur2 partitioner",
  'client.dns.lookup': 'addresses are resolved by Node',
  'transaction.timeout.ms': 'the transaction timeout follows request.timeout.ms',
}

const SILENT = new Set([
  'key.serializer',
  'value.serializer',
  'key.deserializer',
  'value.deserializer',
  'allow.auto.create.topics',
  'exclude.internal.topics',
])

/**
 * Whether Java's clients know `key` (mapped here, or reported as having no effect). Worker configs hand all their
 * keys to internal clients, as Java does; filtering them through this first keeps worker-only keys
 * (group.id aside, config.storage.topic, ...) from being reported as unknown client properties.
 */
export function isClientProperty(key: string): boolean {
  return key in MAPPED || key in NO_EFFECT || SILENT.has(key)
}

let clientCounter = 0

function defaults(role: ClientRole): ClientSettings {
  return {
    base: { clientId: `tsconnect-${role}-${++clientCounter}`, bootstrapBrokers: [] },
    // Java's producer defaults since Kafka 3.0: acks=all with idempotence on.
    producer: { acks: -1, compression: 'none', idempotent: true },
    consumer: { isolationLevel: 0, autoOffsetReset: 'latest', maxPollRecords: 500 },
    warnings: [],
  }
}

/**
 * Parses Java-style client properties for one kind of client. Throws ConfigError for a missing bootstrap.servers
 * or a bad value; returns a warning for each key that is unknown, belongs to another kind of client, or has no
 * effect here.
 */
export function parseClientProperties(props: ClientProperties, role: ClientRole): ClientSettings {
  const settings = defaults(role)
  const values = new Map<string, string>()
  for (const [key, raw] of Object.entries(props)) {
    if (raw !== undefined) values.set(key, String(raw))
  }
  for (const [key, value] of values) {
    const spec = MAPPED[key]
    if (spec) {
      if (spec.roles.includes(role)) spec.apply(value, settings, values)
      else settings.warnings.push(`${key} is a ${spec.roles.join('/')} property and has no effect on a ${role}`)
    } else if (NO_EFFECT[key]) {
      settings.warnings.push(`${key} has no effect in tsconnect: ${NO_EFFECT[key]}`)
    } else if (!SILENT.has(key)) {
      settings.warnings.push(`${key} is not a known ${role} property and is ignored`)
    }
  }
  if (settings.base.bootstrapBrokers.length === 0) {
    throw new ConfigError(
      'Missing required configuration "bootstrap.servers" which has no default value.',
      'bootstrap.servers',
    )
  }
  applySecurity(values, settings)
  return settings
}

function readPem(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`Cannot read ${key} ${path}: ${(error as Error).message}`, key, { cause: error })
  }
}

function applySecurity(props: Map<string, string>, s: ClientSettings): void {
  const protocol = oneOf('security.protocol', props.get('security.protocol') ?? 'PLAINTEXT', [
    'PLAINTEXT',
    'SSL',
    'SASL_PLAINTEXT',
    'SASL_SSL',
  ])
  if (protocol === 'SSL' || protocol === 'SASL_SSL') s.base.tls = tlsOptions(props)
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') s.base.sasl = saslOptions(props)
}

function tlsOptions(props: Map<string, string>): TlsOptions {
  const tls: TlsOptions = {}
  const trustType = (props.get('ssl.truststore.type') ?? 'JKS').toUpperCase()
  const trustLocation = props.get('ssl.truststore.location')
  const trustInline = props.get('ssl.truststore.certificates')
  if (trustInline) tls.ca = trustInline
  else if (trustLocation) {
    if (trustType !== 'PEM') {
      throw new ConfigError(
        `ssl.truststore.type ${trustType} is not supported: Node reads PEM trust stores. Convert it (keytool -exportcert -rfc) and set ssl.truststore.type=PEM`,
        'ssl.truststore.type',
      )
    }
    tls.ca = readPem('ssl.truststore.location', trustLocation)
  }

  const keyType = (props.get('ssl.keystore.type') ?? 'JKS').toUpperCase()
  const keyLocation = props.get('ssl.keystore.location')
  const keyPassword = props.get('ssl.key.password')
  if (props.get('ssl.keystore.key')) {
    tls.key = props.get('ssl.keystore.key')
    tls.cert = props.get('ssl.keystore.certificate.chain')
    if (keyPassword) tls.passphrase = keyPassword
  } else if (keyLocation) {
    if (keyType === 'PKCS12') {
      try {
        tls.pfx = readFileSync(keyLocation)
      } catch (error) {
        throw new ConfigError(`Cannot read ssl.keystore.location ${keyLocation}`, 'ssl.keystore.location', {
          cause: error,
        })
      }
      const password = props.get('ssl.keystore.password')
      if (password) tls.passphrase = password
    } else if (keyType === 'PEM') {
      const pem = readPem('ssl.keystore.location', keyLocation)
      tls.key = pem
      tls.cert = pem
      if (keyPassword) tls.passphrase = keyPassword
    } else {
      throw new ConfigError(
        `ssl.keystore.type ${keyType} is not supported: use PEM or PKCS12 (keytool -importkeystore -deststoretype PKCS12)`,
        'ssl.keystore.type',
      )
    }
  }
  // Java's default is https (verify the host name); an empty value turns verification of the name off.
  if (props.get('ssl.endpoint.identification.algorithm') === '') tls.checkServerIdentity = () => undefined
  return tls
}

/** Reads `key="value"` options out of a JAAS line such as `...PlainLoginModule required username="u" password="p";`. */
export function parseJaasOptions(jaas: string): Record<string, string> {
  const options: Record<string, string> = {}
  for (const match of jaas.matchAll(/([A-Za-z0-9_.]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]+))/g)) {
    const key = match[1] as string
    options[key] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] as string)
  }
  return options
}

function saslOptions(props: Map<string, string>): SaslSettings {
  const mechanism = oneOf('sasl.mechanism', props.get('sasl.mechanism') ?? 'GSSAPI', [
    'PLAIN',
    'SCRAM-SHA-256',
    'SCRAM-SHA-512',
    'OAUTHBEARER',
    'GSSAPI',
  ])
  if (mechanism === 'GSSAPI') {
    throw new ConfigError('sasl.mechanism GSSAPI (Kerberos) is not supported by tsconnect', 'sasl.mechanism')
  }
  const jaas = props.get('sasl.jaas.config')
  if (!jaas) {
    throw new ConfigError(`sasl.jaas.config is required for sasl.mechanism ${mechanism}`, 'sasl.jaas.config')
  }
  const options = parseJaasOptions(jaas)
  if (mechanism === 'OAUTHBEARER') {
    const token = options.token
    if (!token) throw new ConfigError('sasl.jaas.config for OAUTHBEARER needs a token option', 'sasl.jaas.config')
    return { mechanism, token }
  }
  if (!options.username || options.password === undefined) {
    throw new ConfigError(`sasl.jaas.config for ${mechanism} needs username and password`, 'sasl.jaas.config')
  }
  return { mechanism, username: options.username, password: options.password }
}
