import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsMsg } from '@nats-io/jetstream'
import { headers, type Msg } from '@nats-io/transport-node'
import { SinkRecord, validateToConfigInfos } from 'tsconnect'
import { SINK_CONFIG, SOURCE_CONFIG } from '../../src/config.ts'
import { coreRecord, jetStreamRecord } from '../../src/message-record.ts'
import { messageId } from '../../src/nats-sink.ts'
import { NatsSourceConnector } from '../../src/nats-source.ts'

function coreMsg(): Msg {
  const h = headers()
  h.append('tag', 'a')
  h.append('tag', 'b')
  return { subject: 'plant.temp', reply: 'inbox.1', data: new TextEncoder().encode('21.5'), headers: h, sid: 1 } as Msg
}

test('a core message: value the payload, key the subject, NATS headers and the subject as headers', () => {
  const r = coreRecord(coreMsg(), 'telemetry', { type: 'subject', value: '' }, 9)
  assert.equal(r.key, 'plant.temp')
  assert.equal(Buffer.from(r.value as Uint8Array).toString(), '21.5')
  assert.equal(r.timestamp, 9)
  assert.equal(r.sourceOffset, null)
  assert.deepEqual(
    r.headers.allWithName('tag').map((h) => h.value),
    ['a', 'b'],
  )
  assert.equal(r.headers.lastWithName('nats.subject')?.value, 'plant.temp')
  assert.equal(r.headers.lastWithName('nats.reply')?.value, 'inbox.1')
})

test("keys as nats-kafka's keytype chooses them: fixed, reply, none", () => {
  assert.equal(coreRecord(coreMsg(), 't', { type: 'fixed', value: 'k' }, 0).key, 'k')
  assert.equal(coreRecord(coreMsg(), 't', { type: 'reply', value: '' }, 0).key, 'inbox.1')
  assert.equal(coreRecord(coreMsg(), 't', { type: 'none', value: '' }, 0).key, null)
})

test('a JetStream message: stream position as headers and as source partition and offset, the stream time', () => {
  const msg = {
    subject: 'orders.1',
    data: new TextEncoder().encode('x'),
    headers: undefined,
    seq: 42,
    redelivered: true,
    time: new Date(1_700_000_000_000),
    info: { stream: 'ORDERS', consumer: 'c1', deliveryCount: 2 },
  } as unknown as JsMsg
  const r = jetStreamRecord(msg, 't', { type: 'subject', value: '' })
  assert.deepEqual(r.sourcePartition, { stream: 'ORDERS', consumer: 'c1' })
  assert.deepEqual(r.sourceOffset, { stream_seq: 42 })
  assert.equal(r.timestamp, 1_700_000_000_000)
  assert.equal(r.headers.lastWithName('nats.stream.sequence')?.value, 42)
  assert.equal(r.headers.lastWithName('nats.delivery.count')?.value, 2)
  assert.equal(r.headers.lastWithName('nats.redelivered')?.value, true)
})

test('the sink message id is the original topic, partition and offset, whatever SMTs renamed', () => {
  const record = new SinkRecord({ topic: 'orders', kafkaPartition: 3, kafkaOffset: 17 }).newRecord({ topic: 'renamed' })
  assert.equal(messageId(record), 'orders-3-17')
})

test('a JetStream source runs one task; core NATS as many as asked, in one queue group', () => {
  const c = new NatsSourceConnector()
  c.start({ 'nats.servers': 'nats://n', 'kafka.topic': 't', 'nats.stream': 'S' })
  assert.equal(c.taskConfigs(4).length, 1)
  c.start({ 'nats.servers': 'nats://n', 'kafka.topic': 't', 'nats.subject': 'a.>' })
  assert.equal(c.taskConfigs(4).length, 4)
  assert.throws(() => c.start({ 'nats.servers': 'nats://n', 'kafka.topic': 't' }), /nats\.subject/)
})

test('REST validate names the missing and the invalid keys', () => {
  const errors = (infos: ReturnType<typeof validateToConfigInfos>) =>
    infos.configs.filter((c) => (c.value?.errors.length ?? 0) > 0).map((c) => c.value?.name)
  assert.deepEqual(errors(validateToConfigInfos('NatsSource', SOURCE_CONFIG, { 'nats.key.type': 'header' })).sort(), [
    'kafka.topic',
    'nats.key.type',
    'nats.servers',
  ])
  assert.deepEqual(errors(validateToConfigInfos('NatsSink', SINK_CONFIG, { 'nats.servers': 'nats://n' })), [])
})
