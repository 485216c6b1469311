/**
 * The MQTT connectors in two real connect-distributed workers against the machine's Mosquitto (MQTT 5), through
 * the connector harness: the record shape of the source, and at-least-once delivery of the source and the sink
 * while the worker running the task is killed with -9.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import mqtt from 'mqtt'
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
import { testMqtt } from '../../../../test/support/shared-services.ts'

const BYTES = 'org.apache.kafka.connect.converters.ByteArrayConverter'
const STRING = 'org.apache.kafka.connect.storage.StringConverter'

describe('MQTT connectors in a real cluster', () => {
  let harness: ConnectorHarness
  before(async () => {
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-mqtt',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(() => harness?.close())

  test('the source keys each message by its MQTT topic, with its payload as bytes and its properties as headers (QoS 2)', async (t) => {
    const mq = await testMqtt(t)
    const kafkaTopic = await createTestTopic('mqtt-shape')
    const published = mq.topic('shape/sensor-1')
    const filter = published.replace(/sensor-1$/, '+')
    const name = uniqueName('mqtt-shape')
    await harness.createConnector(name, {
      'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
      'mqtt.server.uri': mq.url.replace('mqtt://', 'tcp://'),
      'mqtt.topics': filter,
      'kafka.topic': kafkaTopic,
      'mqtt.qos': '2',
      'key.converter': STRING,
      'value.converter': BYTES,
    })
    await harness.taskOwner(name)
    const publisher = await mqtt.connectAsync(mq.url, { protocolVersion: 5, clientId: uniqueName('pub') })
    t.after(() => publisher.endAsync())
    // The subscription is made in the task's start, shortly after RUNNING: publish until a record arrives.
    await until('the first record', 60_000, async () => {
      await publisher.publishAsync(published, Buffer.from('21.5'), {
        qos: 2,
        properties: { userProperties: { site: 'north' }, contentType: 'application/octet-stream' },
      })
      return (await topicRecordCount(kafkaTopic)) > 0 ? true : undefined
    })
    await harness.stopConnector(name)
    const [record] = await topicRecords(kafkaTopic)
    assert.ok(record)
    assert.equal(record.key, published)
    assert.equal(record.value, '21.5')
    const headers = new Map(record.headers)
    assert.equal(headers.get('site'), 'north')
    assert.equal(headers.get('mqtt.content.type'), 'application/octet-stream')
    assert.equal(headers.get('mqtt.qos'), '2')
    assert.equal(headers.get('mqtt.retained'), 'false')
  })

  test('the source loses no QoS 1 message published while the worker running its task is killed with -9', async (t) => {
    const mq = await testMqtt(t)
    const kafkaTopic = await createTestTopic('mqtt-kill')
    const name = uniqueName('mqtt-kill')
    await harness.createConnector(name, {
      'connector.class': 'MqttSource',
      'mqtt.server.uri': mq.url,
      'mqtt.topics': mq.topic('kill/probe').replace(/probe$/, '#'),
      'kafka.topic': kafkaTopic,
      'mqtt.qos': '1',
      'mqtt.clean.session.enabled': 'false',
      'key.converter': STRING,
      'value.converter': STRING,
    })
    await harness.taskOwner(name)
    // The task's persistent session exists once it subscribed; from then on the broker keeps what it misses.
    const publisher = await mqtt.connectAsync(mq.url, { protocolVersion: 5, clientId: uniqueName('pub') })
    t.after(() => publisher.endAsync())
    const probe = mq.topic('kill/probe')
    await until('the subscription', 60_000, async () => {
      await publisher.publishAsync(probe, 'probe', { qos: 1 })
      return (await topicRecordCount(kafkaTopic)) > 0 ? true : undefined
    })
    // Numbered messages on three topics, about 100 a second, until 300 after the kill (Mosquitto queues up to
    // 1000 for a client that is away).
    let published = 0
    let stopAt = Number.POSITIVE_INFINITY
    const publishing = (async () => {
      for (let i = 1; i <= stopAt; i++) {
        await publisher.publishAsync(mq.topic(`kill/device-${i % 3}`), String(i), { qos: 1 })
        published = i
        await new Promise((r) => setTimeout(r, 10))
      }
    })()
    await harness.killTaskOwnerWhen(name, async () => (await topicRecordCount(kafkaTopic)) >= 200)
    stopAt = published + 300
    await publishing
    const sent = published
    const numbers = async () =>
      (await topicRecords(kafkaTopic)).filter((r) => r.value !== 'probe').map((r) => BigInt(r.value ?? '0'))
    await until('every number in Kafka', 90_000, async () => {
      const verdict = countSequence(1n, sent, await numbers())
      if (verdict.lost === 0) return true
      throw new Error(`still lost: ${JSON.stringify(verdict.lostRanges)}`)
    })
    await harness.stopConnector(name)
    const verdict = countSequence(1n, sent, await numbers())
    console.log(
      `# MQTT source under kill -9: ${verdict.sent} sent, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
  })

  test('the sink publishes every record of a topic while the worker running its task is killed with -9', async (t) => {
    const mq = await testMqtt(t)
    const kafkaTopic = await createTestTopic('mqtt-sink')
    const sent = Array.from({ length: 3000 }, (_, i) => `k${i}`)
    await produceRecords(
      kafkaTopic,
      sent.map((key, i) => ({ key, value: String(i) })),
    )
    const target = mq.topic('sink')
    const subscriber = await mqtt.connectAsync(mq.url, { protocolVersion: 5, clientId: uniqueName('sub') })
    t.after(() => subscriber.endAsync())
    const arrived: string[] = []
    subscriber.on('message', (topic) => {
      if (topic.startsWith(`${target}/`)) arrived.push(topic.slice(target.length + 1))
    })
    await subscriber.subscribeAsync(`${target}/#`, { qos: 1 })
    const name = uniqueName('mqtt-sink')
    await harness.createConnector(name, {
      'connector.class': 'io.confluent.connect.mqtt.MqttSinkConnector',
      topics: kafkaTopic,
      'mqtt.server.uri': mq.url,
      'mqtt.qos': '1',
      'mqtt.topic': `${target}/\${key}`,
      'key.converter': STRING,
      'value.converter': STRING,
    })
    await harness.killTaskOwnerWhen(name, () => arrived.length >= 600)
    const atKill = arrived.length
    await until('every key published', 90_000, async () => (countKeys(sent, arrived).lost === 0 ? true : undefined))
    await harness.stopConnector(name)
    const verdict = countKeys(sent, arrived)
    console.log(
      `# MQTT sink under kill -9: ${verdict.sent} records, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
    assert.ok(atKill < sent.length, `the kill came after all ${sent.length} records were published`)
  })
})
