/**
 * The connection keys every Redis connector shares (Redis Inc.'s RedisConfigDef: `redis.uri`, or `redis.host` and
 * `redis.port`, with credentials, TLS and a command timeout) and the ioredis client they describe.
 */
import { Redis, type RedisOptions } from 'ioredis'
import { type AbstractConfig, ConfigDef, ConfigError, Validators } from 'tsconnect'

const GROUP = 'Redis'

/** A ConfigDef with the connection keys, for each connector to add its own to. */
export function connectionConfigDef(): ConfigDef {
  let order = 0
  const next = () => ++order
  return new ConfigDef()
    .define({
      name: 'redis.uri',
      type: 'STRING',
      defaultValue: '',
      importance: 'HIGH',
      group: GROUP,
      orderInGroup: next(),
      documentation:
        'Redis URI (`redis://[user:password@]host:port[/db]`, or `rediss://` for TLS). When set, it wins over `redis.host` and `redis.port`.',
    })
    .define({
      name: 'redis.host',
      type: 'STRING',
      defaultValue: 'localhost',
      importance: 'HIGH',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The Redis host, used when `redis.uri` is empty.',
    })
    .define({
      name: 'redis.port',
      type: 'INT',
      defaultValue: 6379,
      validator: Validators.between(1, 65535),
      importance: 'HIGH',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The Redis port, used when `redis.uri` is empty.',
    })
    .define({
      name: 'redis.username',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The ACL user name (Redis 6+); the URI may carry it instead.',
    })
    .define({
      name: 'redis.password',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The password; the URI may carry it instead.',
    })
    .define({
      name: 'redis.tls',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Connect over TLS (a `rediss://` URI turns it on too).',
    })
    .define({
      name: 'redis.insecure',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Accept a TLS certificate that does not verify (tests with self-signed certificates only).',
    })
    .define({
      name: 'redis.timeout',
      type: 'LONG',
      defaultValue: 60,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Seconds a Redis command may take before it fails (and is retried by the worker).',
    })
    .define({
      name: 'redis.cluster',
      type: 'BOOLEAN',
      defaultValue: false,
      validator: {
        ensureValid(name: string, value: unknown) {
          if (value === true)
            throw new ConfigError(
              `Invalid value true for configuration ${name}: Redis Cluster is not supported yet`,
              name,
            )
        },
        toString: () => 'false',
      },
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Connect to a Redis Cluster. Not supported yet: only `false` is accepted.',
    })
}

/** The ioredis options the connection keys describe; the URI, when set, is passed alongside them. */
export function redisOptions(config: AbstractConfig): { uri: string; options: RedisOptions } {
  const uri = config.getString('redis.uri') ?? ''
  const tls = config.getBoolean('redis.tls') === true || uri.startsWith('rediss://')
  const options: RedisOptions = {
    // Commands fail instead of queueing forever while Redis is away, so a task sees the outage and retries.
    maxRetriesPerRequest: 1,
    commandTimeout: (config.getLong('redis.timeout') ?? 60) * 1000,
    connectTimeout: 10_000,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  }
  if (uri === '') {
    options.host = config.getString('redis.host') ?? 'localhost'
    options.port = config.getInt('redis.port') ?? 6379
  }
  const username = config.getString('redis.username')
  if (username !== null && username !== '') options.username = username
  const password = config.getPassword('redis.password')
  if (password !== null) options.password = password.value()
  if (tls) options.tls = { rejectUnauthorized: config.getBoolean('redis.insecure') !== true }
  return { uri, options }
}

/** Opens a client and waits until it is connected (a bad address fails start(), which the worker retries). */
export async function connectRedis(config: AbstractConfig, extra: RedisOptions = {}): Promise<Redis> {
  const { uri, options } = redisOptions(config)
  const all = { ...options, ...extra }
  const client = uri === '' ? new Redis(all) : new Redis(uri, all)
  // ioredis reports a lost connection as an 'error' event too; the failing command is what the task acts on.
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw error
  }
  return client
}
