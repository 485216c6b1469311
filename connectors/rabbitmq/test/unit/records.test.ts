import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumeMessage } from 'amqplib'
import { Schema, type Struct, validateToConfigInfos } from 'tsconnect'
import { SINK_CONFIG, sourceConfig } from '../../src/config.ts'
import { MESSAGE_KEY_SCHEMA, MESSAGE_SCHEMA, messageRecord } from '../../src/message-record.ts'

function message(properties: Partial<ConsumeMessage['properties']> = {}): ConsumeMessage {
  return {
    content: Buffer.from('hello'),
    fields: { consumerTag: 'ctag', deliveryTag: 7, redelivered: true, exchange: 'ex', routingKey: 'rk' },
    properties: {
      contentType: undefined,
      contentEncoding: undefined,
      headers: {},
      deliveryMode: undefined,
      priority: undefined,
      correlationId: undefined,
      replyTo: undefined,
      expiration: undefined,
      messageId: undefined,
      timestamp: undefined,
      type: undefined,
      userId: undefined,
      appId: undefined,
      clusterId: undefined,
      ...properties,
    },
  } as ConsumeMessage
}

test("bytes (Confluent's): the key is the message id, the value the body, without a source offset", () => {
  const r = messageRecord(message({ messageId: 'm-1' }), 'orders', 'bytes', 5)
  assert.equal(r.key, 'm-1')
  assert.equal(r.valueSchema, Schema.BYTES_SCHEMA)
  assert.equal(Buffer.from(r.value as Uint8Array).toString(), 'hello')
  assert.equal(r.timestamp, 5)
  assert.equal(r.sourceOffset, null)
  assert.equal(messageRecord(message(), 'orders', 'bytes', 5).key, null)
})

test("struct (jcustenborder's): MessageKey and Message with envelope and properties", () => {
  const r = messageRecord(
    message({
      messageId: 'm-1',
      contentType: 'text/plain',
      deliveryMode: 2,
      timestamp: 1_700_000_000,
      headers: { n: 1 },
    }),
    'orders',
    'struct',
    5,
  )
  assert.equal(r.keySchema, MESSAGE_KEY_SCHEMA)
  assert.equal((r.key as Struct).get('messageId'), 'm-1')
  assert.equal(r.valueSchema, MESSAGE_SCHEMA)
  const value = r.value as Struct
  assert.equal(value.get('consumerTag'), 'ctag')
  const envelope = value.get('envelope') as Struct
  assert.deepEqual(
    [envelope.get('deliveryTag'), envelope.get('isRedeliver'), envelope.get('exchange'), envelope.get('routingKey')],
    [7, true, 'ex', 'rk'],
  )
  const props = value.get('basicProperties') as Struct
  assert.equal(props.get('contentType'), 'text/plain')
  assert.equal(props.get('deliveryMode'), 2)
  assert.deepEqual(props.get('timestamp'), new Date(1_700_000_000_000))
  assert.deepEqual(props.get('headers'), new Map([['n', '1']]))
  // The AMQP timestamp (seconds) is the record's.
  assert.equal(r.timestamp, 1_700_000_000_000)
})

test('AMQP headers, properties and envelope become rabbitmq.* headers with their types', () => {
  const h = messageRecord(
    message({ correlationId: 'c', headers: { site: 'north', attempt: 3, ok: true, raw: Buffer.from([1]) } }),
    't',
    'bytes',
    0,
  ).headers
  assert.equal(h.lastWithName('rabbitmq.site')?.value, 'north')
  assert.equal(h.lastWithName('rabbitmq.attempt')?.value, 3)
  assert.equal(h.lastWithName('rabbitmq.ok')?.value, true)
  assert.deepEqual([...((h.lastWithName('rabbitmq.raw')?.value ?? []) as Uint8Array)], [1])
  assert.equal(h.lastWithName('rabbitmq.correlation.id')?.value, 'c')
  assert.equal(h.lastWithName('rabbitmq.routing.key')?.value, 'rk')
  assert.equal(h.lastWithName('rabbitmq.redelivered')?.value, true)
})

test("jcustenborder's class defaults to struct records, Confluent's to bytes", () => {
  assert.equal(sourceConfig('struct').configKeys.get('rabbitmq.record.format')?.defaultValue, 'struct')
  assert.equal(sourceConfig('bytes').configKeys.get('rabbitmq.record.format')?.defaultValue, 'bytes')
})

test('REST validate names the missing and the invalid keys', () => {
  const errors = (infos: ReturnType<typeof validateToConfigInfos>) =>
    infos.configs.filter((c) => (c.value?.errors.length ?? 0) > 0).map((c) => c.value?.name)
  assert.deepEqual(errors(validateToConfigInfos('RabbitMQSource', sourceConfig('bytes'), {})).sort(), [
    'kafka.topic',
    'rabbitmq.queue',
  ])
  assert.deepEqual(
    errors(validateToConfigInfos('RabbitMQSink', SINK_CONFIG, { 'rabbitmq.delivery.mode': 'SOMETIMES' })).sort(),
    ['rabbitmq.delivery.mode', 'rabbitmq.exchange', 'rabbitmq.routing.key'],
  )
})
