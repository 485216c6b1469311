/**
 * RedisKeysSourceConnector (Redis Inc.'s `com.redis.kafka.connect.RedisKeysSourceConnector`): writes a record with
 * the current value of each key that matches `redis.keys.pattern`, first for every existing key (SCAN, in mode
 * LIVE) and then for each key that changes (keyspace notifications).
 *
 * Record: key = the Redis key; value = struct `com.redis.kafka.connect.keys.Value {key, ttl, type, hash, string,
 * json, list, set, zset}` with the field of the key's type set; a deleted key has type `none`. Partition and offset
 * are empty maps: nothing resumes.
 *
 * Best effort, as in Java: keyspace notifications are fire-and-forget pub/sub, so a change made while no task is
 * subscribed (a restart, a kill -9, a dropped connection) is not seen as such. In mode LIVE a task scans again when
 * it starts, so every key that exists then arrives with its value at that time; a key created and deleted
 * meanwhile, or an intermediate value, is lost. Redis must publish notifications: `notify-keyspace-events`
 * must include `K` and the event classes wanted (e.g. `KEA`); the task logs nothing and sees no changes otherwise.
 */
import type { Redis } from 'ioredis'
import {
  AbstractConfig,
  type ConfigDef,
  RetriableError,
  Schema,
  SchemaBuilder,
  SourceConnector,
  SourceRecord,
  SourceTask,
  Struct,
  Validators,
} from 'tsconnect'
import { connectionConfigDef, connectRedis } from './connection.ts'

const VERSION = '1.0.0'
const GROUP = 'Keys'

/** The keys source's keys. */
export function keysSourceConfigDef(): ConfigDef {
  let order = 0
  const next = () => ++order
  return connectionConfigDef()
    .define({
      name: 'topic',
      type: 'STRING',
      defaultValue: 'rediskeys',
      validator: Validators.nonEmptyString(),
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The topic to write to.',
    })
    .define({
      name: 'redis.keys.pattern',
      type: 'STRING',
      defaultValue: '*',
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The glob-style pattern of the keys to read (SCAN MATCH and the notifications subscribed to).',
    })
    .define({
      name: 'mode',
      type: 'STRING',
      defaultValue: 'LIVE',
      validator: Validators.in('LIVE', 'LIVEONLY'),
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'LIVE: scan the existing keys at start, then follow changes; LIVEONLY: follow changes only.',
    })
    .define({
      name: 'redis.keys.timeout',
      type: 'LONG',
      defaultValue: 0,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation:
        'Milliseconds without a change after which the task stops reading (it then polls nothing); 0 never stops.',
    })
    .define({
      name: 'batch.size',
      type: 'INT',
      defaultValue: 500,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Most keys read per poll (and the SCAN COUNT hint).',
    })
}

const CONFIG = keysSourceConfigDef()

/** Redis Inc.'s value schema. */
export const KEYS_VALUE_SCHEMA = SchemaBuilder.struct()
  .name('com.redis.kafka.connect.keys.Value')
  .field('key', Schema.STRING_SCHEMA)
  .field('ttl', Schema.OPTIONAL_INT64_SCHEMA)
  .field('type', Schema.STRING_SCHEMA)
  .field('hash', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional().build())
  .field('string', Schema.OPTIONAL_STRING_SCHEMA)
  .field('json', Schema.OPTIONAL_STRING_SCHEMA)
  .field('list', SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
  .field('set', SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
  .field('zset', SchemaBuilder.map(Schema.FLOAT64_SCHEMA, Schema.STRING_SCHEMA).optional().build())
  .build()

/** A key's type and value as read from Redis. */
export interface KeySnapshot {
  key: string
  type: string
  /** Absolute expiry in epoch ms, or null when the key has none. */
  expiresAt: number | null
  value: unknown
}

/** The value struct of one key (zset scores become map keys, so members of equal score keep the last one). */
export function keyValueStruct(s: KeySnapshot): Struct {
  const struct = new Struct(KEYS_VALUE_SCHEMA).put('key', s.key).put('type', s.type).put('ttl', s.expiresAt)
  switch (s.type) {
    case 'hash':
      struct.put('hash', s.value as Map<string, string>)
      break
    case 'string':
      struct.put('string', s.value as string)
      break
    case 'list':
      struct.put('list', s.value as string[])
      break
    case 'set':
      struct.put('set', s.value as string[])
      break
    case 'zset':
      struct.put('zset', s.value as Map<number, string>)
      break
  }
  return struct
}

/** Reads one key's type, value and expiry (type `none` once deleted). */
async function readKey(redis: Redis, key: string): Promise<KeySnapshot> {
  const type = await redis.type(key)
  let value: unknown = null
  switch (type) {
    case 'string':
      value = await redis.get(key)
      break
    case 'hash':
      value = new Map(Object.entries(await redis.hgetall(key)))
      break
    case 'list':
      value = await redis.lrange(key, 0, -1)
      break
    case 'set':
      value = await redis.smembers(key)
      break
    case 'zset': {
      const flat = await redis.zrange(key, 0, -1, 'WITHSCORES')
      const map = new Map<number, string>()
      for (let i = 0; i + 1 < flat.length; i += 2) map.set(Number(flat[i + 1]), flat[i] as string)
      value = map
      break
    }
  }
  const pttl = type === 'none' ? -2 : await redis.pttl(key)
  return { key, type, expiresAt: pttl >= 0 ? Date.now() + pttl : null, value }
}

/** The connector: one task (notifications reach every subscriber, so more tasks would only repeat each other). */
export class RedisKeysSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    new AbstractConfig(CONFIG, props)
    this.#props = props
  }

  taskClass() {
    return RedisKeysSourceTask
  }

  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#props }]
  }

  stop(): void {}
}

/** The task: a subscriber connection queues changed keys; poll() scans (LIVE) and reads queued keys. */
export class RedisKeysSourceTask extends SourceTask {
  #redis: Redis | null = null
  #subscriber: Redis | null = null
  #topic = 'rediskeys'
  #pattern = '*'
  #batchSize = 500
  #idleTimeoutMs = 0
  /** SCAN's cursor while the start-up scan runs; null once it is done (or in LIVEONLY). */
  #scanCursor: string | null = '0'
  /** Keys changed since they were last read, in order of first change (a Set drops repeats). */
  #changed = new Set<string>()
  #lastChange = Date.now()
  #wake: (() => void) | null = null
  #stopped = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(CONFIG, props)
    this.#topic = config.getString('topic') ?? 'rediskeys'
    this.#pattern = config.getString('redis.keys.pattern') ?? '*'
    this.#batchSize = config.getInt('batch.size') ?? 500
    this.#idleTimeoutMs = config.getLong('redis.keys.timeout') ?? 0
    this.#scanCursor = config.getString('mode') === 'LIVEONLY' ? null : '0'
    const db = databaseOf(config.getString('redis.uri') ?? '')
    // Subscribe before scanning, so a change made during the scan is read again after it.
    this.#subscriber = await connectRedis(config)
    const prefix = `__keyspace@${db}__:`
    this.#subscriber.on('pmessage', (_pattern: string, channel: string) => {
      this.#changed.add(channel.slice(prefix.length))
      this.#lastChange = Date.now()
      this.#wake?.()
    })
    await this.#subscriber.psubscribe(prefix + this.#pattern)
    this.#redis = await connectRedis(config)
  }

  async poll(): Promise<SourceRecord[] | null> {
    const redis = this.#redis
    if (this.#stopped || redis === null) return null
    if (this.#idleTimeoutMs > 0 && Date.now() - this.#lastChange > this.#idleTimeoutMs && this.#scanCursor === null) {
      return null
    }
    try {
      const keys: string[] = []
      if (this.#scanCursor !== null) {
        const [cursor, found] = await redis.scan(this.#scanCursor, 'MATCH', this.#pattern, 'COUNT', this.#batchSize)
        this.#scanCursor = cursor === '0' ? null : cursor
        keys.push(...found)
      }
      for (const key of this.#changed) {
        if (keys.length >= this.#batchSize) break
        this.#changed.delete(key)
        keys.push(key)
      }
      if (keys.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100)
          this.#wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        this.#wake = null
        return null
      }
      const now = Date.now()
      const records: SourceRecord[] = []
      for (const key of keys) {
        const snapshot = await readKey(redis, key)
        records.push(
          new SourceRecord({
            sourcePartition: {},
            sourceOffset: {},
            topic: this.#topic,
            keySchema: Schema.STRING_SCHEMA,
            key,
            valueSchema: KEYS_VALUE_SCHEMA,
            value: keyValueStruct(snapshot),
            timestamp: now,
          }),
        )
      }
      return records
    } catch (error) {
      if (this.#stopped) return null
      throw new RetriableError(`reading Redis keys failed: ${(error as Error).message}`, { cause: error })
    }
  }

  stop(): void {
    this.#stopped = true
    this.#wake?.()
    this.#subscriber?.disconnect()
    this.#redis?.disconnect()
    this.#subscriber = null
    this.#redis = null
  }
}

/** The database number of a redis:// URI's path (0 when none). */
export function databaseOf(uri: string): number {
  if (uri === '') return 0
  const path = new URL(uri).pathname.replace(/^\//, '')
  return path === '' ? 0 : Number(path)
}
