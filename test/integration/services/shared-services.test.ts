/**
 * The machine's shared Redis, RabbitMQ, Mosquitto and NATS answer, and what a test made under the names
 * test/support/shared-services.ts handed it is gone once the test is over.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect as connectNats } from '@nats-io/transport-node'
import amqp from 'amqplib'
import { Redis } from 'ioredis'
import mqtt from 'mqtt'
import { SHARED_SERVICE_URLS, testMqtt, testNats, testRabbitMq, testRedis } from '../../support/shared-services.ts'

test('Redis: keys under a test prefix answer, and are deleted after the test', async (t) => {
  let prefix = ''
  await t.test('writes under its prefix', async (t) => {
    const redis = await testRedis(t)
    prefix = redis.prefix
    const client = new Redis(redis.url)
    t.after(() => client.disconnect())
    await client.set(`${prefix}a`, '1')
    await client.xadd(`${prefix}stream`, '*', 'field', 'value')
    assert.equal(await client.get(`${prefix}a`), '1')
  })
  const client = new Redis(SHARED_SERVICE_URLS.redis)
  t.after(() => client.disconnect())
  assert.deepEqual(await client.keys(`${prefix}*`), [])
})

test('RabbitMQ: a queue and an exchange of the test answer, and are deleted after the test', async (t) => {
  let queue = ''
  let exchange = ''
  await t.test('declares, binds and round-trips a message', async (t) => {
    const rabbit = await testRabbitMq(t)
    queue = rabbit.queue()
    exchange = rabbit.exchange()
    const connection = await amqp.connect(rabbit.url)
    t.after(() => connection.close())
    const channel = await connection.createChannel()
    await channel.assertExchange(exchange, 'direct', { durable: false })
    await channel.assertQueue(queue, { durable: false })
    await channel.bindQueue(queue, exchange, 'key')
    const received = new Promise<string>((resolve) => {
      void channel.consume(queue, (message) => resolve(String(message?.content)), { noAck: true })
    })
    channel.publish(exchange, 'key', Buffer.from('hello'))
    assert.equal(await received, 'hello')
  })
  const connection = await amqp.connect(SHARED_SERVICE_URLS.rabbitmq)
  t.after(() => connection.close())
  // A passive declare of a missing queue or exchange closes its channel with 404 NOT_FOUND.
  const queueProbe = await connection.createChannel()
  queueProbe.on('error', () => {})
  await assert.rejects(queueProbe.checkQueue(queue), /NOT_FOUND/)
  const exchangeProbe = await connection.createChannel()
  exchangeProbe.on('error', () => {})
  await assert.rejects(exchangeProbe.checkExchange(exchange), /NOT_FOUND/)
})

test('Mosquitto: a retained message on a test topic answers, and is cleared after the test', async (t) => {
  let topic = ''
  await t.test('publishes a retained message and reads it back', async (t) => {
    const broker = await testMqtt(t)
    topic = broker.topic()
    const client = await mqtt.connectAsync(broker.url)
    t.after(() => client.endAsync())
    await client.publishAsync(topic, 'hello', { retain: true, qos: 1 })
    const received = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(String(payload))))
    await client.subscribeAsync(topic, { qos: 1 })
    assert.equal(await received, 'hello')
  })
  // The broker sends a retained message right after SUBACK; a second publish we wait for proves none came first.
  const client = await mqtt.connectAsync(SHARED_SERVICE_URLS.mqtt)
  t.after(() => client.endAsync())
  const first = new Promise<{ payload: string; retain: boolean }>((resolve) =>
    client.once('message', (_t, payload, packet) => resolve({ payload: String(payload), retain: packet.retain })),
  )
  await client.subscribeAsync(topic, { qos: 1 })
  await client.publishAsync(topic, 'marker', { qos: 1 })
  assert.deepEqual(await first, { payload: 'marker', retain: false })
})

test('NATS JetStream: a stream of the test stores a message, and is deleted after the test', async (t) => {
  let stream = ''
  await t.test('adds a stream and publishes to it', async (t) => {
    const nats = await testNats(t)
    stream = nats.stream()
    const nc = await connectNats({ servers: nats.url })
    t.after(() => nc.close())
    const jsm = await jetstreamManager(nc)
    await jsm.streams.add({ name: stream, subjects: [`${nats.subjectPrefix}.>`] })
    const ack = await jsm.jetstream().publish(`${nats.subjectPrefix}.orders`, 'hello')
    assert.equal(ack.seq, 1)
    assert.equal((await jsm.streams.info(stream)).state.messages, 1)
  })
  const nc = await connectNats({ servers: SHARED_SERVICE_URLS.nats })
  t.after(() => nc.close())
  const jsm = await jetstreamManager(nc)
  await assert.rejects(jsm.streams.info(stream), /stream not found/i)
})
