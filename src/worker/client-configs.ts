/**
 * The settings of a task's own Kafka clients (Java's Worker.baseProducerConfigs, baseConsumerConfigs and adminConfigs; KIP-458), in Java's order, later wins: worker-forced
 * base values, the worker's `producer.` / `consumer.` / `admin.` keys, then the connector's `*.override.` keys as
 * connector.client.config.override.policy allows (All by default, None, Principal).
 */

import { workerConfigValue } from '../config/connect/worker-config.ts'
import { ConnectError } from '../errors.ts'
import type { ConfigMap } from '../stores/config-store.ts'

/** A client's role, as the prefixes name it. */
export type TaskClientRole = 'producer' | 'consumer' | 'admin'

const PRINCIPAL_KEYS = new Set(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol'])

/**
 * The client keys Java declares as PASSWORD (ProducerConfig, ConsumerConfig, AdminClientConfig): their values are
 * shown as "[hidden]" wherever an override is echoed.
 */
export const CLIENT_PASSWORD_KEYS: ReadonlySet<string> = new Set([
  'sasl.jaas.config',
  'ssl.key.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.password',
  'ssl.truststore.certificates',
  'ssl.truststore.password',
  'sasl.oauthbearer.client.credentials.client.secret',
  'sasl.oauthbearer.assertion.private.key.passphrase',
])

function withPrefix(config: Readonly<ConfigMap>, prefix: string): ConfigMap {
  const out: ConfigMap = {}
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
  return out
}

/** One `*.override.` key of a connector config, as the override policy judged it. */
export interface ClientOverride {
  /** The client key, without the prefix. */
  readonly key: string
  readonly value: string | null
  /** Java's message when the policy does not allow the key, else undefined. */
  readonly error: string | undefined
}

/**
 * The connector's `<role>.override.` keys, each judged by the worker's connector.client.config.override.policy
 * (All by default, None, Principal, or Java's class names of those), as Java's policies' validate().
 */
export function clientOverrides(
  role: TaskClientRole,
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): ClientOverride[] {
  const policy = workerConfigValue(workerConfig, 'connector.client.config.override.policy') as string
  const simple = policy.slice(policy.lastIndexOf('.') + 1).replace(/ConnectorClientConfigOverridePolicy$/, '')
  return Object.entries(withPrefix(connectorConfig, `${role}.override.`)).map(([key, value]) => {
    const allowed = simple === 'All' || (simple === 'Principal' && PRINCIPAL_KEYS.has(key))
    return {
      key,
      value,
      error: allowed
        ? undefined
        : `The '${simple}' policy does not allow '${key}' to be overridden in the connector configuration.`,
    }
  })
}

/**
 * The connector's overrides for a role, checked against the worker's policy; a ConnectError with Java's message
 * names the first key the policy does not allow.
 */
export function connectorOverrides(
  role: TaskClientRole,
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): ConfigMap {
  const overrides: ConfigMap = {}
  for (const { key, value, error } of clientOverrides(role, connectorConfig, workerConfig)) {
    if (error !== undefined) throw new ConnectError('INVALID_CONFIG', error)
    overrides[key] = value
  }
  return overrides
}

/** The worker's bootstrap.servers (its default when unset), as task clients get it. */
function bootstrapServers(workerConfig: Readonly<ConfigMap>): string {
  return (workerConfigValue(workerConfig, 'bootstrap.servers') as readonly string[]).join(',')
}

/** The names a task's clients are given, as Java's. */
export function clientId(role: 'producer' | 'consumer' | 'admin' | 'dlq-producer', connector: string, task: number) {
  const word = { producer: 'producer', consumer: 'consumer', admin: 'adminclient', 'dlq-producer': 'dlq-producer' }[
    role
  ]
  return `connector-${word}-${connector}-${task}`
}

/** A source task's producer settings. */
export function producerConfigs(
  connector: string,
  task: number,
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): ConfigMap {
  return {
    'bootstrap.servers': bootstrapServers(workerConfig),
    // Java forces acks=all so that a record is either acknowledged or the task fails: no silent loss. (Java also
    // forces one request in flight; the idempotent producer keeps per-partition order without it.)
    acks: 'all',
    'client.id': clientId('producer', connector, task),
    ...withPrefix(workerConfig, 'producer.'),
    ...connectorOverrides('producer', connectorConfig, workerConfig),
  }
}

/** A sink task's consumer settings; group.id is connect-<name> unless overridden. */
export function consumerConfigs(
  connector: string,
  task: number,
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): ConfigMap {
  return {
    'bootstrap.servers': bootstrapServers(workerConfig),
    'group.id': `connect-${connector}`,
    'client.id': clientId('consumer', connector, task),
    'enable.auto.commit': 'false',
    'auto.offset.reset': 'earliest',
    ...withPrefix(workerConfig, 'consumer.'),
    ...connectorOverrides('consumer', connectorConfig, workerConfig),
  }
}

/** A task's admin settings (topic creation, the DLQ topic). */
export function adminConfigs(
  connector: string,
  task: number,
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): ConfigMap {
  const base: ConfigMap = {}
  for (const [k, v] of Object.entries(workerConfig)) {
    if (!k.startsWith('admin.') && !k.startsWith('producer.') && !k.startsWith('consumer.')) base[k] = v
  }
  return {
    ...base,
    'client.id': clientId('admin', connector, task),
    ...withPrefix(workerConfig, 'admin.'),
    ...connectorOverrides('admin', connectorConfig, workerConfig),
  }
}
