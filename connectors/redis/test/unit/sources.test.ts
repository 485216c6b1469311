import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ConfigValue, type Struct, validateToConfigInfos } from 'tsconnect'
import { databaseOf, keyValueStruct } from '../../src/keys-source.ts'
import { RedisSinkConnector } from '../../src/redis-sink.ts'
import { RedisStreamSourceConnector, streamRecord } from '../../src/stream-source.ts'

describe('Redis stream source records', () => {
  it("have Redis Inc.'s shape: key = entry id, value {id, body, stream}, empty partition, offset {offset: id}", () => {
    const r = // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's placeholder
      streamRecord('orders', 'redis_${stream}', ['1-0', ['a', '1', 'b', '2']], 1000)
    assert.equal(r.topic, 'redis_orders')
    assert.equal(r.key, '1-0')
    assert.deepEqual(r.sourcePartition, {})
    assert.deepEqual(r.sourceOffset, { offset: '1-0' })
    assert.equal(r.timestamp, 1000)
    const v = r.value as Struct
    assert.equal(v.schema.name, 'com.redis.kafka.connect.stream.Value')
    assert.equal(v.get('id'), '1-0')
    assert.equal(v.get('stream'), 'orders')
    assert.deepEqual(
      [...(v.get('body') as Map<string, string>)],
      [
        ['a', '1'],
        ['b', '2'],
      ],
    )
  })
})

describe('Redis keys source values', () => {
  it('set the field of the key type and leave the others null', () => {
    const v = keyValueStruct({ key: 'k', type: 'hash', expiresAt: null, value: new Map([['f', 'v']]) })
    assert.equal(v.schema.name, 'com.redis.kafka.connect.keys.Value')
    assert.deepEqual([...(v.get('hash') as Map<string, string>)], [['f', 'v']])
    assert.equal(v.get('string'), null)
    assert.equal(v.get('ttl'), null)
  })

  it('describe a deleted key as type none', () => {
    const v = keyValueStruct({ key: 'k', type: 'none', expiresAt: null, value: null })
    assert.equal(v.get('type'), 'none')
  })

  it('read the database of a redis URI', () => {
    assert.equal(databaseOf('redis://127.0.0.1:6379/3'), 3)
    assert.equal(databaseOf('redis://127.0.0.1:6379'), 0)
  })
})

describe('Redis connector configs', () => {
  it('the sink refuses an unknown data type, naming the key', () => {
    const infos = validateToConfigInfos('RedisSink', new RedisSinkConnector().config(), { 'redis.type': 'JSON' })
    assert.equal(infos.error_count, 1)
    const type = infos.configs.find((c) => c.value?.name === 'redis.type')
    assert.match(String(type?.value?.errors[0]), /redis.type/)
  })

  it('the sink reports a collection type with an empty keyspace under redis.keyspace', () => {
    const values = new RedisSinkConnector().validate({ 'redis.type': 'SET', 'redis.keyspace': '' }) as ConfigValue[]
    const keyspace = values.find((v) => v.name === 'redis.keyspace')
    assert.match(String(keyspace?.errorMessages[0]), /may not be empty for SET/)
  })

  it('the sink refuses a collection type with an empty keyspace at start', () => {
    assert.throws(() => new RedisSinkConnector().start({ 'redis.type': 'SET', 'redis.keyspace': '' }), /redis.keyspace/)
  })

  it('the stream source needs a stream name', () => {
    const infos = validateToConfigInfos('RedisStreamSource', new RedisStreamSourceConnector().config(), {})
    assert.equal(infos.error_count, 1)
  })
})
