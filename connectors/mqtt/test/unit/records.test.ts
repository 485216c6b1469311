import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { IPublishPacket } from 'mqtt'
import {
  Headers,
  payloadOf,
  RecordTemplate,
  Schema,
  SchemaBuilder,
  SinkRecord,
  Struct,
  validateToConfigInfos,
} from 'tsconnect'
import { brokerUrl, SINK_CONFIG, SOURCE_CONFIG } from '../../src/config.ts'
import { messageRecord } from '../../src/message-record.ts'
import { MqttSourceConnector } from '../../src/mqtt-source.ts'

function packet(p: Partial<IPublishPacket>): IPublishPacket {
  return {
    cmd: 'publish',
    topic: 'plant/line-1/temp',
    payload: Buffer.from('21.5'),
    qos: 1,
    dup: false,
    retain: false,
    messageId: 3,
    ...p,
  }
}

test('a message becomes a record keyed by its MQTT topic, its payload as bytes, without a source offset', () => {
  const r = messageRecord(packet({}), 'telemetry', 1000)
  assert.equal(r.topic, 'telemetry')
  assert.equal(r.key, 'plant/line-1/temp')
  assert.equal(r.keySchema, Schema.STRING_SCHEMA)
  assert.equal(r.valueSchema, Schema.BYTES_SCHEMA)
  assert.deepEqual(Buffer.from(r.value as Uint8Array).toString(), '21.5')
  assert.equal(r.timestamp, 1000)
  assert.equal(r.sourcePartition, null)
  assert.equal(r.sourceOffset, null)
})

test('QoS, retain, duplicate and packet id become headers', () => {
  const h = messageRecord(packet({ retain: true, dup: true }), 't', 0).headers
  assert.equal(h.lastWithName('mqtt.qos')?.value, 1)
  assert.equal(h.lastWithName('mqtt.retained')?.value, true)
  assert.equal(h.lastWithName('mqtt.duplicate')?.value, true)
  assert.equal(h.lastWithName('mqtt.message.id')?.value, 3)
  assert.equal(messageRecord(packet({ qos: 0 }), 't', 0).headers.lastWithName('mqtt.message.id'), undefined)
})

test('MQTT 5 properties become headers; a repeated user property gives repeated headers', () => {
  const h = messageRecord(
    packet({
      properties: {
        userProperties: { site: 'north', tag: ['a', 'b'] },
        contentType: 'text/plain',
        responseTopic: 'replies/1',
        correlationData: Buffer.from([1, 2]),
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
      },
    }),
    't',
    0,
  ).headers
  assert.equal(h.lastWithName('site')?.value, 'north')
  assert.deepEqual(
    h.allWithName('tag').map((x) => x.value),
    ['a', 'b'],
  )
  assert.equal(h.lastWithName('mqtt.content.type')?.value, 'text/plain')
  assert.equal(h.lastWithName('mqtt.response.topic')?.value, 'replies/1')
  assert.deepEqual([...((h.lastWithName('mqtt.correlation.data')?.value ?? []) as Uint8Array)], [1, 2])
  assert.equal(h.lastWithName('mqtt.payload.format.indicator')?.value, true)
  assert.equal(h.lastWithName('mqtt.message.expiry.interval')?.value, 60)
})

function sinkRecord(o: Partial<{ key: unknown; value: unknown; headers: Headers }>): SinkRecord {
  return new SinkRecord({
    topic: 'orders',
    kafkaPartition: 2,
    kafkaOffset: 41,
    key: o.key ?? null,
    value: o.value ?? null,
    headers: o.headers,
  })
}

test('topic templates render topic, partition, offset, key and headers', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own template syntax
  const template = RecordTemplate.parse('out/${topic}/${partition}/${offset}/${key}/${header.site}', 'mqtt.topic')
  const headers = new Headers().addString('site', 'north')
  assert.equal(template.render(sinkRecord({ key: 'k1', headers })), 'out/orders/2/41/k1/north')
  assert.equal(template.render(sinkRecord({})), 'out/orders/2/41//')
})

test('an unknown template reference is a config error naming the key', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own template syntax
  assert.throws(() => RecordTemplate.parse('x/${value}', 'mqtt.topic'), /mqtt\.topic.*\$\{value\}/)
})

test('payloads: bytes as they are, strings as UTF-8, a tombstone empty, structs as JSON', () => {
  assert.deepEqual([...payloadOf(new Uint8Array([0, 255]))], [0, 255])
  assert.equal(payloadOf('héllo').toString('utf8'), 'héllo')
  assert.equal(payloadOf(null).length, 0)
  const schema = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).build()
  assert.equal(
    payloadOf(new Struct(schema).put('id', 2n ** 60n).put('name', 'a')).toString(),
    '{"id":"1152921504606846976","name":"a"}',
  )
})

test("Paho's tcp:// and ssl:// URIs map to mqtt:// and mqtts://; an unknown scheme is refused", () => {
  assert.equal(brokerUrl('tcp://b:1883'), 'mqtt://b:1883')
  assert.equal(brokerUrl('ssl://b:8883'), 'mqtts://b:8883')
  assert.equal(brokerUrl('mqtt://b'), 'mqtt://b')
  assert.throws(() => brokerUrl('http://b'), /mqtt\.server\.uri/)
})

test('the source deals its topic filters out among tasks, each with a client id of its own', () => {
  const c = new MqttSourceConnector()
  c.start({ name: 'iot', 'mqtt.server.uri': 'tcp://b:1883', 'mqtt.topics': 'a/#,b/+,c', 'kafka.topic': 'k' })
  const configs = c.taskConfigs(2)
  assert.deepEqual(
    configs.map((x) => [x['mqtt.topics'], x['tsconnect.mqtt.task.client.id']]),
    [
      ['a/#,c', 'iot-0'],
      ['b/+', 'iot-1'],
    ],
  )
  assert.equal(c.taskConfigs(10).length, 3)
})

test('REST validate names the missing and the invalid keys', () => {
  const source = validateToConfigInfos('MqttSource', SOURCE_CONFIG, { 'mqtt.qos': '3' })
  const errors = (infos: typeof source) =>
    infos.configs.filter((c) => (c.value?.errors.length ?? 0) > 0).map((c) => c.value?.name)
  assert.deepEqual(errors(source).sort(), ['kafka.topic', 'mqtt.qos', 'mqtt.server.uri', 'mqtt.topics'])
  const sink = validateToConfigInfos('MqttSink', SINK_CONFIG, {
    'mqtt.server.uri': 'tcp://b',
    'mqtt.protocol.version': '4',
  })
  assert.deepEqual(errors(sink), ['mqtt.protocol.version'])
})
