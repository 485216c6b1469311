/**
 * RedisSinkConnector (Redis Inc.'s `com.redis.kafka.connect.RedisSinkConnector`): writes records to Redis as
 * strings, hashes, lists, sets, sorted sets or stream entries (sink-commands.ts has the mapping).
 *
 * Delivery is at-least-once. put() writes its batch before it returns (one pipeline, or one MULTI/EXEC with
 * `redis.multiexec`), so everything put is in Redis when the worker commits its offsets (Invariant 2). flush() also
 * writes the committed offsets into Redis under Redis Inc.'s keys, and open() seeks to them, as the Java connector
 * does: a sink whose consumer group was lost resumes where Redis says it stopped. Redelivered records are written
 * again: idempotent for STRING, HASH, SET and ZSET; a LIST or STREAM may hold a record twice after a crash.
 */
import type { Redis } from 'ioredis'
import {
  AbstractConfig,
  type ConfigDef,
  ConfigError,
  type ConfigValue,
  RetriableError,
  SinkConnector,
  type SinkRecord,
  SinkTask,
  type TopicPartition,
  type TopicPartitionOffset,
  Validators,
} from 'tsconnect'
import { connectionConfigDef, connectRedis } from './connection.ts'
import {
  commandsFor,
  isCollection,
  offsetKey,
  offsetValue,
  parseOffsetValue,
  type RedisCommand,
  SINK_TYPES,
  type SinkPlan,
  type SinkType,
  TOPIC_TOKEN,
} from './sink-commands.ts'

const VERSION = '1.0.0'
const GROUP = 'Sink'

/** The sink's keys: the connection keys, then Redis Inc.'s sink keys. */
export function redisSinkConfigDef(): ConfigDef {
  let order = 0
  const next = () => ++order
  return connectionConfigDef()
    .define({
      name: 'redis.type',
      type: 'STRING',
      defaultValue: 'STREAM',
      validator: Validators.in(...SINK_TYPES),
      importance: 'HIGH',
      group: GROUP,
      orderInGroup: next(),
      documentation:
        "The data type to write: STRING (SET), HASH (HSET of the value's fields), LIST (LPUSH/RPUSH of the record key), SET (SADD of the record key), ZSET (ZADD of the record key, scored by the value) or STREAM (XADD of the value's fields).",
    })
    .define({
      name: 'redis.keyspace',
      type: 'STRING',
      defaultValue: TOPIC_TOKEN,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: `The key template; \`${TOPIC_TOKEN}\` is the record's topic. STRING and HASH write \`keyspace + separator + record key\` (the record key alone when empty); the other types write the keyspace itself, which must not be empty.`,
    })
    .define({
      name: 'redis.key',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The older name of `redis.keyspace`; used when set.',
    })
    .define({
      name: 'redis.separator',
      type: 'STRING',
      defaultValue: ':',
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Between the keyspace and the record key (STRING and HASH).',
    })
    .define({
      name: 'redis.push.direction',
      type: 'STRING',
      defaultValue: 'LEFT',
      validator: Validators.in('LEFT', 'RIGHT'),
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'LIST only: LEFT (LPUSH) or RIGHT (RPUSH).',
    })
    .define({
      name: 'redis.key.ttl',
      type: 'LONG',
      defaultValue: -1,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Seconds to live set on every key written (EXPIRE, or SET ... EX); -1 keeps keys forever.',
    })
    .define({
      name: 'redis.multiexec',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Write each batch in one MULTI/EXEC transaction instead of a pipeline.',
    })
    .define({
      name: 'redis.wait.replicas',
      type: 'INT',
      defaultValue: 0,
      validator: Validators.atLeast(0),
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'After each batch, WAIT for this many replicas to have it; 0 does not wait.',
    })
    .define({
      name: 'redis.wait.timeout',
      type: 'LONG',
      defaultValue: 1000,
      validator: Validators.atLeast(0),
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation:
        'Milliseconds the WAIT of `redis.wait.replicas` may take; too few replicas then is a retriable error.',
    })
}

const CONFIG = redisSinkConfigDef()

/** The write plan a sink config describes; a collection type with an empty keyspace is a config error. */
export function sinkPlan(config: AbstractConfig): SinkPlan {
  const type = (config.getString('redis.type') ?? 'STREAM') as SinkType
  const keyspace = config.getString('redis.key') ?? config.getString('redis.keyspace') ?? TOPIC_TOKEN
  if (isCollection(type) && keyspace.trim() === '') {
    throw new ConfigError(
      `Invalid value for configuration redis.keyspace: it may not be empty for ${type}, whose records share the keyspace's key`,
      'redis.keyspace',
    )
  }
  const ttl = config.getLong('redis.key.ttl') ?? -1
  return {
    type,
    keyspace: keyspace.trim(),
    separator: config.getString('redis.separator') ?? ':',
    pushDirection: config.getString('redis.push.direction') === 'RIGHT' ? 'RIGHT' : 'LEFT',
    ttlSeconds: Math.max(ttl, 0),
  }
}

/** The connector: every task writes with the same settings. */
export class RedisSinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  /** ConfigDef's checks, then the keyspace rule that spans two keys (REST validate names redis.keyspace). */
  override validate(props: Readonly<Record<string, string>>): ConfigValue[] {
    const values = CONFIG.validate(props)
    if (values.some((v) => v.errorMessages.length > 0)) return values
    try {
      sinkPlan(new AbstractConfig(CONFIG, props))
    } catch (error) {
      const key = error instanceof ConfigError ? error.key : undefined
      values.find((v) => v.name === key)?.addErrorMessage((error as Error).message)
    }
    return values
  }

  start(props: Readonly<Record<string, string>>): void {
    sinkPlan(new AbstractConfig(CONFIG, props))
    this.#props = props
  }

  taskClass() {
    return RedisSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}
}

/** Whether an ioredis failure is the connection's (worth retrying) rather than the command's. */
function isConnectionFailure(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error)
  return /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Command timed out|max retries|Stream isn't writeable|LOADING|READONLY|TRYAGAIN/i.test(
    text,
  )
}

/** The task: one connection, one pipeline per put(). */
export class RedisSinkTask extends SinkTask {
  #redis: Redis | null = null
  #plan: SinkPlan | null = null
  #multiExec = false
  #waitReplicas = 0
  #waitTimeoutMs = 1000

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(CONFIG, props)
    this.#plan = sinkPlan(config)
    this.#multiExec = config.getBoolean('redis.multiexec') === true
    this.#waitReplicas = config.getInt('redis.wait.replicas') ?? 0
    this.#waitTimeoutMs = config.getLong('redis.wait.timeout') ?? 1000
    this.#redis = await connectRedis(config)
  }

  /** Seeks each partition to the offset the sink last stored in Redis, as Redis Inc.'s connector does. */
  override async open(partitions: readonly TopicPartition[]): Promise<void> {
    if (partitions.length === 0 || this.#redis === null) return
    const stored = await this.#redis.mget(...partitions.map((p) => offsetKey(p.topic, p.partition)))
    const seeks: TopicPartitionOffset[] = []
    for (const text of stored) {
      const state = parseOffsetValue(text)
      if (state !== null) seeks.push(state)
    }
    if (seeks.length > 0) this.context.offset(seeks)
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const redis = this.#redis
    const plan = this.#plan
    if (redis === null || plan === null || records.length === 0) return
    const commands: RedisCommand[] = []
    /** The record each command writes, so a command Redis refuses is reported with its record. */
    const owners: SinkRecord[] = []
    for (const record of records) {
      try {
        for (const command of commandsFor(plan, record)) {
          commands.push(command)
          owners.push(record)
        }
      } catch (error) {
        await this.#badRecord(record, error as Error)
      }
    }
    if (commands.length === 0) return
    const refused = await this.#write(redis, commands)
    for (const [i, error] of refused) await this.#badRecord(owners[i] as SinkRecord, error)
  }

  /** A record that cannot be written goes through the worker's error policy (fail, log, dead letter queue). */
  async #badRecord(record: SinkRecord, error: Error): Promise<void> {
    const reporter = this.context.errantRecordReporter()
    if (reporter === null) throw error
    // With errors.tolerance=none the reporter fails the task; otherwise the record is logged or sent to the DLQ.
    await reporter.report(record, error)
  }

  /**
   * Sends the commands in one pipeline (or MULTI/EXEC); answers the commands Redis refused (a WRONGTYPE key, say)
   * by index. A lost connection or a timeout is a RetriableError: the worker gives the batch again.
   */
  async #write(redis: Redis, commands: RedisCommand[]): Promise<[number, Error][]> {
    const refused: [number, Error][] = []
    try {
      const batch = this.#multiExec ? redis.multi() : redis.pipeline()
      for (const [name, ...args] of commands) batch.call(name, ...args)
      const results = await batch.exec()
      if (results === null) throw new RetriableError('the MULTI/EXEC transaction was aborted')
      for (const [i, [error]] of results.entries()) {
        if (!error) continue
        if (isConnectionFailure(error)) throw error
        refused.push([i, error])
      }
      if (this.#waitReplicas > 0) {
        const acked = Number(await redis.wait(this.#waitReplicas, this.#waitTimeoutMs))
        if (acked < this.#waitReplicas) {
          throw new RetriableError(`only ${acked} of ${this.#waitReplicas} replicas acknowledged the batch`)
        }
      }
    } catch (error) {
      if (error instanceof RetriableError) throw error
      if (isConnectionFailure(error)) {
        throw new RetriableError(`writing to Redis failed: ${(error as Error).message}`, { cause: error })
      }
      throw error
    }
    return refused
  }

  /** Everything put is written already; this stores the offsets in Redis too (Redis Inc.'s offset keys). */
  override async flush(currentOffsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.#redis === null || currentOffsets.length === 0) return
    const pairs: string[] = []
    for (const o of currentOffsets)
      pairs.push(offsetKey(o.topic, o.partition), offsetValue(o.topic, o.partition, o.offset))
    await this.#redis.mset(...pairs)
  }

  stop(): void {
    this.#redis?.disconnect()
    this.#redis = null
  }
}
