import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schema, SchemaBuilder, Struct } from 'tsconnect'
import {
  commandsFor,
  offsetKey,
  offsetValue,
  parseOffsetValue,
  type SinkPlan,
  TOPIC_TOKEN,
} from '../../src/sink-commands.ts'

const plan = (o: Partial<SinkPlan>): SinkPlan => ({
  type: 'STRING',
  keyspace: TOPIC_TOKEN,
  separator: ':',
  pushDirection: 'LEFT',
  ttlSeconds: 0,
  ...o,
})

/** Commands with their Buffers as text, to compare. */
function text(commands: ReturnType<typeof commandsFor>): unknown[] {
  return commands.map((c) => c.map((a) => (Buffer.isBuffer(a) ? a.toString('utf8') : a)))
}

describe('Redis sink commands', () => {
  it('STRING writes keyspace:key, with the topic in the keyspace template', () => {
    assert.deepEqual(
      text(commandsFor(plan({ keyspace: `kafka_${TOPIC_TOKEN}` }), { topic: 'orders', key: '7', value: 'x' })),
      [['SET', 'kafka_orders:7', 'x']],
    )
  })

  it('STRING with an empty keyspace writes the record key alone', () => {
    assert.deepEqual(text(commandsFor(plan({ keyspace: '' }), { topic: 'orders', key: 'k1', value: 'v' })), [
      ['SET', 'k1', 'v'],
    ])
  })

  it('STRING with a TTL sets it in the SET itself', () => {
    assert.deepEqual(text(commandsFor(plan({ ttlSeconds: 60 }), { topic: 't', key: 'k', value: 'v' })), [
      ['SET', 't:k', 'v', 'EX', 60],
    ])
  })

  it('STRING writes a struct value as JSON and 64-bit numbers exactly', () => {
    const schema = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).build()
    const value = new Struct(schema).put('id', 2n ** 60n)
    assert.deepEqual(text(commandsFor(plan({}), { topic: 't', key: 1, value })), [
      ['SET', 't:1', '{"id":1152921504606846976}'],
    ])
  })

  it('a tombstone deletes the STRING or HASH key', () => {
    assert.deepEqual(text(commandsFor(plan({}), { topic: 't', key: 'k', value: null })), [['DEL', 't:k']])
    assert.deepEqual(text(commandsFor(plan({ type: 'HASH' }), { topic: 't', key: 'k', value: null })), [['DEL', 't:k']])
  })

  it('HASH writes the fields of a map and leaves null fields out, then the TTL', () => {
    const value = new Map<string, unknown>([
      ['a', 1],
      ['b', null],
      ['c', 'x'],
    ])
    assert.deepEqual(text(commandsFor(plan({ type: 'HASH', ttlSeconds: 5 }), { topic: 't', key: 'k', value })), [
      ['HSET', 't:k', 'a', '1', 'c', 'x'],
      ['EXPIRE', 't:k', 5],
    ])
  })

  it('LIST pushes the record key to the keyspace, left by default, right when asked', () => {
    assert.deepEqual(text(commandsFor(plan({ type: 'LIST' }), { topic: 't', key: 'm', value: 'v' })), [
      ['LPUSH', 't', 'm'],
    ])
    assert.deepEqual(
      text(commandsFor(plan({ type: 'LIST', pushDirection: 'RIGHT' }), { topic: 't', key: 'm', value: 'v' })),
      [['RPUSH', 't', 'm']],
    )
  })

  it('a tombstone removes the member from a LIST, SET or ZSET', () => {
    const tomb = { topic: 't', key: 'm', value: null }
    assert.deepEqual(text(commandsFor(plan({ type: 'LIST' }), tomb)), [['LREM', 't', 0, 'm']])
    assert.deepEqual(text(commandsFor(plan({ type: 'SET' }), tomb)), [['SREM', 't', 'm']])
    assert.deepEqual(text(commandsFor(plan({ type: 'ZSET' }), tomb)), [['ZREM', 't', 'm']])
  })

  it('ZSET scores the record key by the value', () => {
    assert.deepEqual(text(commandsFor(plan({ type: 'ZSET' }), { topic: 't', key: 'm', value: 2.5 })), [
      ['ZADD', 't', 2.5, 'm'],
    ])
    assert.throws(() => commandsFor(plan({ type: 'ZSET' }), { topic: 't', key: 'm', value: 'high' }), /number/)
  })

  it('STREAM adds the value fields as an entry and ignores tombstones', () => {
    const value = new Map([['f', 'v']])
    assert.deepEqual(text(commandsFor(plan({ type: 'STREAM' }), { topic: 't', key: null, value })), [
      ['XADD', 't', '*', 'f', 'v'],
    ])
    assert.deepEqual(commandsFor(plan({ type: 'STREAM' }), { topic: 't', key: null, value: null }), [])
  })

  it('a null key of a STRING record is a data error', () => {
    assert.throws(() => commandsFor(plan({}), { topic: 't', key: null, value: 'v' }), { name: 'DataError' })
  })

  it("stores offsets under Redis Inc.'s keys and reads them back", () => {
    assert.equal(offsetKey('orders', 3), 'com.redis.kafka.connect.sink.offset.orders.3')
    assert.deepEqual(parseOffsetValue(offsetValue('orders', 3, 42)), { topic: 'orders', partition: 3, offset: 42 })
    assert.equal(parseOffsetValue('not json'), null)
  })
})
