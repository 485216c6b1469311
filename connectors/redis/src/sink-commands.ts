/**
 * What the Redis sink writes for one record, as plain command lists, with no I/O: the data types of Redis Inc.'s
 * RedisSinkConnector (`redis.type`), its key rule and tombstones.
 *
 * Key rule: STRING and HASH write one key per record, `keyspace + separator + record key` (the record key alone when
 * the keyspace is empty); LIST, SET, ZSET and STREAM write one key per keyspace, whose members are record keys
 * (a stream's entries are record values). `${topic}` in the keyspace is the record's topic.
 *
 * Tombstones (null values): STRING and HASH delete the key; LIST, SET and ZSET remove the record key as a member;
 * STREAM ignores them (a stream has no entry to remove by key).
 */
import type { SinkRecord } from 'tsconnect'
import { fieldsOf, redisBytes, scoreOf } from './values.ts'

/** The data types the sink writes. JSON and TIMESERIES need Redis modules and are not offered. */
export const SINK_TYPES = ['STRING', 'HASH', 'LIST', 'SET', 'ZSET', 'STREAM'] as const

/** One of SINK_TYPES. */
export type SinkType = (typeof SINK_TYPES)[number]

/** One Redis command: its name, then its arguments. */
export type RedisCommand = [string, ...(string | Buffer | number)[]]

/** The settings that decide what a record becomes. */
export interface SinkPlan {
  readonly type: SinkType
  /** The key template; `${topic}` is replaced by the record's topic. */
  readonly keyspace: string
  readonly separator: string
  /** LIST only: LPUSH (LEFT) or RPUSH (RIGHT). */
  readonly pushDirection: 'LEFT' | 'RIGHT'
  /** Seconds to live set on each key written; 0 or less keeps keys forever. */
  readonly ttlSeconds: number
}

/** The token of the keyspace template. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Redis Inc.'s placeholder, written as it is
export const TOPIC_TOKEN = '${topic}'

/** Whether the type writes one key per keyspace (members are record keys) rather than one per record. */
export function isCollection(type: SinkType): boolean {
  return type !== 'STRING' && type !== 'HASH'
}

/** The keyspace of a record's topic. */
export function keyspaceOf(plan: SinkPlan, topic: string): string {
  return plan.keyspace.replaceAll(TOPIC_TOKEN, topic)
}

/** The Redis key a record writes. */
export function redisKey(plan: SinkPlan, record: Pick<SinkRecord, 'topic' | 'key'>): Buffer {
  const keyspace = keyspaceOf(plan, record.topic)
  if (isCollection(plan.type)) return Buffer.from(keyspace, 'utf8')
  const key = redisBytes(record.key, 'key')
  if (keyspace === '') return key
  return Buffer.concat([Buffer.from(keyspace + plan.separator, 'utf8'), key])
}

/** The commands that write one record (empty when it writes nothing, as a tombstone of a stream). */
export function commandsFor(plan: SinkPlan, record: Pick<SinkRecord, 'topic' | 'key' | 'value'>): RedisCommand[] {
  const key = redisKey(plan, record)
  const tombstone = record.value === null || record.value === undefined
  const commands: RedisCommand[] = []
  switch (plan.type) {
    case 'STRING':
      if (tombstone) return [['DEL', key]]
      return [
        plan.ttlSeconds > 0
          ? ['SET', key, redisBytes(record.value, 'value'), 'EX', plan.ttlSeconds]
          : ['SET', key, redisBytes(record.value, 'value')],
      ]
    case 'HASH': {
      if (tombstone) return [['DEL', key]]
      const fields = fieldsOf(record.value)
      if (fields.length === 0) return []
      commands.push(['HSET', key, ...fields.flat()])
      break
    }
    case 'LIST': {
      const member = redisBytes(record.key, 'key')
      if (tombstone) return [['LREM', key, 0, member]]
      commands.push([plan.pushDirection === 'LEFT' ? 'LPUSH' : 'RPUSH', key, member])
      break
    }
    case 'SET': {
      const member = redisBytes(record.key, 'key')
      if (tombstone) return [['SREM', key, member]]
      commands.push(['SADD', key, member])
      break
    }
    case 'ZSET': {
      const member = redisBytes(record.key, 'key')
      if (tombstone) return [['ZREM', key, member]]
      commands.push(['ZADD', key, scoreOf(record.value), member])
      break
    }
    case 'STREAM': {
      if (tombstone) return []
      const fields = fieldsOf(record.value)
      if (fields.length === 0) return []
      commands.push(['XADD', key, '*', ...fields.flat()])
      break
    }
  }
  if (plan.ttlSeconds > 0) commands.push(['EXPIRE', key, plan.ttlSeconds])
  return commands
}

/** Redis Inc.'s key for the sink's own copy of a partition's committed offset. */
export function offsetKey(topic: string, partition: number): string {
  return `com.redis.kafka.connect.sink.offset.${topic}.${partition}`
}

/** The value stored under offsetKey: Redis Inc.'s SinkOffsetState as JSON. */
export function offsetValue(topic: string, partition: number, offset: number): string {
  return JSON.stringify({ topic, partition, offset })
}

/** Reads an offsetValue back; null when it is not one. */
export function parseOffsetValue(text: string | null): { topic: string; partition: number; offset: number } | null {
  if (text === null) return null
  try {
    const v = JSON.parse(text) as { topic?: unknown; partition?: unknown; offset?: unknown }
    if (typeof v.topic === 'string' && typeof v.partition === 'number' && typeof v.offset === 'number') {
      return { topic: v.topic, partition: v.partition, offset: v.offset }
    }
  } catch {
    // Not ours: ignored, the consumer group's offset stands.
  }
  return null
}
