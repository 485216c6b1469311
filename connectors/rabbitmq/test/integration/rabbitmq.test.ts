/**
 * The RabbitMQ connectors in two real connect-distributed workers against the machine's RabbitMQ, through the
 * connector harness: the record shapes of the source, and at-least-once delivery of the source and the sink while
 * the worker running the task is killed with -9.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import amqp from 'amqplib'
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
import { testRabbitMq } from '../../../../test/support/shared-services.ts'

const BYTES = 'org.apache.kafka.connect.converters.ByteArrayConverter'
const STRING = 'org.apache.kafka.connect.storage.StringConverter'
const JSON_NO_SCHEMA = {
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
}

describe('RabbitMQ connectors in a real cluster', () => {
  let harness: ConnectorHarness
  before(async () => {
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-rabbitmq',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(() => harness?.close())

  async function channel(url: string) {
    const connection = await amqp.connect(url)
    const ch = await connection.createConfirmChannel()
    return { ch, close: () => connection.close() }
  }

  test("the source writes jcustenborder's Message struct, and AMQP properties and headers as rabbitmq.* headers", async (t) => {
    const rmq = await testRabbitMq(t)
    const queue = rmq.queue()
    const { ch, close } = await channel(rmq.url)
    t.after(close)
    await ch.assertQueue(queue, { durable: true })
    ch.sendToQueue(queue, Buffer.from('hello'), {
      messageId: 'm-1',
      contentType: 'text/plain',
      correlationId: 'c-1',
      timestamp: 1_700_000_000,
      headers: { site: 'north', attempt: 3 },
    })
    await ch.waitForConfirms()
    const kafkaTopic = await createTestTopic('rabbitmq-shape')
    const name = uniqueName('rabbitmq-shape')
    await harness.createConnector(name, {
      'connector.class': 'com.github.jcustenborder.kafka.connect.rabbitmq.RabbitMQSourceConnector',
      'rabbitmq.host': new URL(rmq.url).hostname,
      'rabbitmq.port': new URL(rmq.url).port,
      'rabbitmq.queue': queue,
      'kafka.topic': kafkaTopic,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      ...JSON_NO_SCHEMA,
    })
    await until('the record', 60_000, async () => ((await topicRecordCount(kafkaTopic)) > 0 ? true : undefined))
    await harness.stopConnector(name)
    const [record] = await topicRecords(kafkaTopic)
    assert.ok(record)
    assert.deepEqual(JSON.parse(record.key ?? ''), { messageId: 'm-1' })
    const value = JSON.parse(record.value ?? '')
    assert.equal(Buffer.from(value.body, 'base64').toString(), 'hello')
    assert.equal(value.envelope.routingKey, queue)
    assert.equal(value.envelope.isRedeliver, false)
    assert.equal(value.basicProperties.contentType, 'text/plain')
    assert.equal(value.basicProperties.correlationId, 'c-1')
    assert.equal(value.basicProperties.timestamp, 1_700_000_000_000)
    assert.deepEqual(value.basicProperties.headers, { site: 'north', attempt: '3' })
    const headers = new Map(record.headers)
    assert.equal(headers.get('rabbitmq.site'), 'north')
    assert.equal(headers.get('rabbitmq.attempt'), '3')
    assert.equal(headers.get('rabbitmq.message.id'), 'm-1')
    assert.equal(headers.get('rabbitmq.content.type'), 'text/plain')
  })

  test('the source loses no message published while the worker running its task is killed with -9', async (t) => {
    const rmq = await testRabbitMq(t)
    const queue = rmq.queue()
    const { ch, close } = await channel(rmq.url)
    t.after(close)
    await ch.assertQueue(queue, { durable: true })
    const kafkaTopic = await createTestTopic('rabbitmq-kill')
    const name = uniqueName('rabbitmq-kill')
    await harness.createConnector(name, {
      'connector.class': 'io.confluent.connect.rabbitmq.RabbitMQSourceConnector',
      'rabbitmq.host': new URL(rmq.url).hostname,
      'rabbitmq.queue': queue,
      'rabbitmq.prefetch.count': '100',
      'kafka.topic': kafkaTopic,
      'key.converter': STRING,
      'value.converter': STRING,
    })
    // Numbered messages, about 1000 a second, until 1000 after the kill.
    let published = 0
    let stopAt = Number.POSITIVE_INFINITY
    const publishing = (async () => {
      for (let i = 1; i <= stopAt; i++) {
        ch.sendToQueue(queue, Buffer.from(String(i)), { messageId: String(i), persistent: true })
        published = i
        if (i % 50 === 0) {
          await ch.waitForConfirms()
          await new Promise((r) => setTimeout(r, 50))
        }
      }
      await ch.waitForConfirms()
    })()
    await harness.killTaskOwnerWhen(name, async () => (await topicRecordCount(kafkaTopic)) >= 500)
    stopAt = published + 1000
    await publishing
    const sent = published
    const numbers = async () => (await topicRecords(kafkaTopic)).map((r) => BigInt(r.value ?? '0'))
    await until('every number in Kafka', 90_000, async () => {
      const verdict = countSequence(1n, sent, await numbers())
      if (verdict.lost === 0) return true
      throw new Error(`still lost: ${JSON.stringify(verdict.lostRanges)}`)
    })
    await harness.stopConnector(name)
    const verdict = countSequence(1n, sent, await numbers())
    console.log(
      `# RabbitMQ source under kill -9: ${verdict.sent} sent, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
  })

  test('the sink publishes every record of a topic, with confirms, while the worker running its task is killed with -9', async (t) => {
    const rmq = await testRabbitMq(t)
    const queue = rmq.queue()
    const exchange = rmq.exchange()
    const { ch, close } = await channel(rmq.url)
    t.after(close)
    await ch.assertExchange(exchange, 'direct', { durable: false })
    await ch.assertQueue(queue, { durable: true })
    await ch.bindQueue(queue, exchange, 'orders')
    const kafkaTopic = await createTestTopic('rabbitmq-sink')
    const sent = Array.from({ length: 5000 }, (_, i) => `k${i}`)
    await produceRecords(
      kafkaTopic,
      sent.map((key, i) => ({ key, value: String(i) })),
    )
    const arrived: string[] = []
    await ch.consume(
      queue,
      (m) => {
        if (m !== null) arrived.push(m.properties.correlationId as string)
      },
      { noAck: true },
    )
    const name = uniqueName('rabbitmq-sink')
    await harness.createConnector(name, {
      'connector.class': 'io.confluent.connect.rabbitmq.sink.RabbitMQSinkConnector',
      topics: kafkaTopic,
      'rabbitmq.host': new URL(rmq.url).hostname,
      'rabbitmq.exchange': exchange,
      'rabbitmq.routing.key': 'orders',
      'rabbitmq.forward.kafka.key': 'true',
      'rabbitmq.forward.kafka.metadata': 'true',
      'key.converter': STRING,
      'value.converter': BYTES,
    })
    await harness.killTaskOwnerWhen(name, () => arrived.length >= 1000)
    const atKill = arrived.length
    await until('every key published', 90_000, async () => (countKeys(sent, arrived).lost === 0 ? true : undefined))
    await harness.stopConnector(name)
    const verdict = countKeys(sent, arrived)
    console.log(
      `# RabbitMQ sink under kill -9: ${verdict.sent} records, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
    assert.ok(atKill < sent.length, `the kill came after all ${sent.length} records were published`)
  })
})
