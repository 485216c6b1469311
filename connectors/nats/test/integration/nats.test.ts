/**
 * The NATS connectors in two real connect-distributed workers against the machine's nats-server (JetStream on),
 * through the connector harness: the record shape, at-least-once delivery of the JetStream source and the
 * no-duplicate delivery of the JetStream sink while the worker running the task is killed with -9, and the core
 * NATS source and sink.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect, headers, type NatsConnection } from '@nats-io/transport-node'
import {
  ConnectorHarness,
  countKeys,
  countSequence,
  createTestTopic,
  produceRecords,
  topicRecordCount,
  topicRecords,
} from '../../../../test/support/connector-harness.ts'
import { until } from '../../../../test/support/herder-cluster.ts'
import { uniqueName } from '../../../../test/support/kafka.ts'
import { testNats } from '../../../../test/support/shared-services.ts'

const STRING = 'org.apache.kafka.connect.storage.StringConverter'

describe('NATS connectors in a real cluster', () => {
  let harness: ConnectorHarness
  let nc: NatsConnection
  before(async () => {
    nc = await connect({ servers: process.env.TSCONNECT_TEST_NATS_URL || 'nats://127.0.0.1:4222' })
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-nats',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(async () => {
    await harness?.close()
    await nc?.close()
  })

  test('the JetStream source loses no message published while the worker running its task is killed with -9', async (t) => {
    const nats = await testNats(t)
    const stream = nats.stream()
    const jsm = await jetstreamManager(nc)
    await jsm.streams.add({ name: stream, subjects: [`${nats.subjectPrefix}.>`] })
    const js = jetstream(nc)
    const kafkaTopic = await createTestTopic('nats-kill')
    const name = uniqueName('nats-kill')
    await harness.createConnector(name, {
      'connector.class': 'NatsSource',
      'nats.servers': nats.url,
      'nats.stream': stream,
      'nats.subject': `${nats.subjectPrefix}.orders.*`,
      'nats.ack.wait.ms': '3000',
      'kafka.topic': kafkaTopic,
      'key.converter': STRING,
      'value.converter': STRING,
    })
    await harness.taskOwner(name)
    // Numbered messages, a few hundred a second, until 500 after the kill.
    let published = 0
    let stopAt = Number.POSITIVE_INFINITY
    const publishing = (async () => {
      for (let i = 1; i <= stopAt; i++) {
        const h = headers()
        h.set('source', 'test')
        await js.publish(`${nats.subjectPrefix}.orders.${i % 4}`, String(i), { headers: h })
        published = i
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 25))
      }
    })()
    await harness.killTaskOwnerWhen(name, async () => (await topicRecordCount(kafkaTopic)) >= 300)
    stopAt = published + 500
    await publishing
    const sent = published
    const numbers = async () => (await topicRecords(kafkaTopic)).map((r) => BigInt(r.value ?? '0'))
    await until('every number in Kafka', 90_000, async () => {
      const verdict = countSequence(1n, sent, await numbers())
      if (verdict.lost === 0) return true
      throw new Error(`still lost: ${JSON.stringify(verdict.lostRanges)}`)
    })
    await harness.stopConnector(name)
    const records = await topicRecords(kafkaTopic)
    const verdict = countSequence(
      1n,
      sent,
      records.map((r) => BigInt(r.value ?? '0')),
    )
    console.log(
      `# NATS JetStream source under kill -9: ${verdict.sent} sent, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
    // The record shape: keyed by subject, the NATS headers and the stream position as headers.
    const first = records[0]
    assert.ok(first)
    assert.equal(first.key, `${nats.subjectPrefix}.orders.1`)
    const h = new Map(first.headers)
    assert.equal(h.get('source'), 'test')
    assert.equal(h.get('nats.stream'), stream)
    assert.equal(h.get('nats.stream.sequence'), '1')
    assert.equal(h.get('nats.subject'), first.key)
  })

  test('the JetStream sink stores every record exactly once while the worker running its task is killed with -9', async (t) => {
    const nats = await testNats(t)
    const stream = nats.stream()
    const jsm = await jetstreamManager(nc)
    await jsm.streams.add({ name: stream, subjects: [`${nats.subjectPrefix}.>`] })
    const kafkaTopic = await createTestTopic('nats-sink')
    const sent = Array.from({ length: 5000 }, (_, i) => `k${i}`)
    await produceRecords(
      kafkaTopic,
      sent.map((key, i) => ({ key, value: String(i) })),
    )
    const name = uniqueName('nats-sink')
    await harness.createConnector(name, {
      'connector.class': 'io.tsconnect.nats.NatsSinkConnector',
      topics: kafkaTopic,
      'nats.servers': nats.url,
      'nats.subject': `${nats.subjectPrefix}.out.\${key}`,
      'nats.jetstream.enabled': 'true',
      'key.converter': STRING,
      'value.converter': STRING,
    })
    const stored = async () => (await jsm.streams.info(stream)).state.messages
    await harness.killTaskOwnerWhen(name, async () => (await stored()) >= 1000)
    const atKill = await stored()
    await until('every record stored', 90_000, async () => ((await stored()) >= sent.length ? true : undefined))
    await harness.stopConnector(name)
    const info = await jsm.streams.info(stream)
    const keys: string[] = []
    const consumer = await jetstream(nc).consumers.get(stream)
    const messages = await consumer.fetch({ max_messages: info.state.messages, expires: 10_000 })
    for await (const m of messages) {
      keys.push(m.subject.slice(`${nats.subjectPrefix}.out.`.length))
      if (keys.length === info.state.messages) break
    }
    const verdict = countKeys(sent, keys)
    console.log(
      `# NATS JetStream sink under kill -9: ${verdict.sent} records, ${info.state.messages} stored, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.duplicated, 0)
    assert.equal(info.state.messages, sent.length)
    assert.ok(atKill < sent.length, `the kill came after all ${sent.length} records were stored`)
  })

  test('core NATS: the source subscribes to subjects and the sink publishes to them', async (t) => {
    const nats = await testNats(t)
    const kafkaTopic = await createTestTopic('nats-core')
    const source = uniqueName('nats-core-source')
    await harness.createConnector(source, {
      'connector.class': 'NatsSource',
      'nats.servers': nats.url,
      'nats.subject': `${nats.subjectPrefix}.in.>`,
      'nats.key.type': 'fixed',
      'nats.key.value': 'device-7',
      'kafka.topic': kafkaTopic,
      'key.converter': STRING,
      'value.converter': STRING,
    })
    await harness.taskOwner(source)
    await until('the core record', 60_000, async () => {
      nc.publish(`${nats.subjectPrefix}.in.a`, 'ping')
      return (await topicRecordCount(kafkaTopic)) > 0 ? true : undefined
    })
    await harness.stopConnector(source)
    const [record] = await topicRecords(kafkaTopic)
    assert.equal(record?.key, 'device-7')
    assert.equal(record?.value, 'ping')
    assert.equal(new Map(record?.headers).get('nats.subject'), `${nats.subjectPrefix}.in.a`)

    // The sink publishes what the source wrote, back to core NATS.
    const received: string[] = []
    const sub = nc.subscribe(`${nats.subjectPrefix}.back.>`, {
      callback: (_e, m) => {
        received.push(m.string())
      },
    })
    t.after(() => sub.unsubscribe())
    await nc.flush()
    await produceRecords(kafkaTopic, [{ key: 'k', value: 'pong' }])
    const sink = uniqueName('nats-core-sink')
    await harness.createConnector(sink, {
      'connector.class': 'NatsSink',
      topics: kafkaTopic,
      'nats.servers': nats.url,
      'nats.subject': `${nats.subjectPrefix}.back.\${topic}`,
      'key.converter': STRING,
      'value.converter': STRING,
    })
    const inKafka = (await topicRecords(kafkaTopic)).map((r) => r.value)
    await until('every record published', 60_000, async () => (received.length >= inKafka.length ? true : undefined))
    await harness.stopConnector(sink)
    assert.deepEqual(received.sort(), inKafka.sort())
    assert.ok(received.includes('pong'))
  })
})
