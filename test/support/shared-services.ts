/**
 * The machine's shared Redis, RabbitMQ, Mosquitto (MQTT) and NATS (JetStream), which every run and CI use at once:
 * each test gets names of its own (a key prefix, queue and exchange names, topics, streams), and whatever it made
 * under them is removed when the test ends.
 *
 * Removal is by the names handed out, not by scanning for leftovers, so a test never deletes another one's data.
 * Addresses default to the machine's standard ports; TSCONNECT_TEST_<SERVICE>_URL points elsewhere.
 */
import type { TestContext } from 'node:test'
import { uniqueName } from './kafka.ts'

/** Where each shared service listens. */
export const SHARED_SERVICE_URLS = {
  redis: process.env.TSCONNECT_TEST_REDIS_URL || 'redis://127.0.0.1:6379',
  rabbitmq: process.env.TSCONNECT_TEST_RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
  mqtt: process.env.TSCONNECT_TEST_MQTT_URL || 'mqtt://127.0.0.1:1883',
  nats: process.env.TSCONNECT_TEST_NATS_URL || 'nats://127.0.0.1:4222',
}

/** A Redis key prefix of the test's own; every key under it is deleted afterwards. */
export async function testRedis(t: TestContext): Promise<{ url: string; prefix: string }> {
  const url = SHARED_SERVICE_URLS.redis
  const prefix = `${uniqueName('t')}:`
  const { Redis } = await import('ioredis')
  t.after(async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await redis.connect()
    try {
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
        if (keys.length > 0) await redis.del(...keys)
        cursor = next
      } while (cursor !== '0')
    } finally {
      redis.disconnect()
    }
  })
  return { url, prefix }
}

/** Names for RabbitMQ queues and exchanges, each deleted (if it was made) after the test. */
export async function testRabbitMq(t: TestContext): Promise<{ url: string; queue(): string; exchange(): string }> {
  const url = SHARED_SERVICE_URLS.rabbitmq
  const queues: string[] = []
  const exchanges: string[] = []
  const amqp = await import('amqplib')
  t.after(async () => {
    const connection = await amqp.connect(url)
    try {
      // A failed delete closes its channel, so each gets one of its own.
      for (const queue of queues) {
        const channel = await connection.createChannel()
        channel.on('error', () => {})
        await channel.deleteQueue(queue).then(
          () => channel.close(),
          () => {},
        )
      }
      for (const exchange of exchanges) {
        const channel = await connection.createChannel()
        channel.on('error', () => {})
        await channel.deleteExchange(exchange).then(
          () => channel.close(),
          () => {},
        )
      }
    } finally {
      await connection.close()
    }
  })
  return {
    url,
    queue: () => {
      const name = uniqueName('t-queue')
      queues.push(name)
      return name
    },
    exchange: () => {
      const name = uniqueName('t-exchange')
      exchanges.push(name)
      return name
    },
  }
}

/** MQTT topic names of the test's own; any retained message left on them is cleared after the test. */
export async function testMqtt(t: TestContext): Promise<{ url: string; topic(suffix?: string): string }> {
  const url = SHARED_SERVICE_URLS.mqtt
  const root = uniqueName('t')
  const topics = new Set<string>()
  const mqtt = await import('mqtt')
  t.after(async () => {
    if (topics.size === 0) return
    const client = await mqtt.connectAsync(url, { clientId: uniqueName('cleanup') })
    try {
      // An empty retained message removes the retained one (MQTT 3.1.1 §3.3.1.3).
      for (const topic of topics) await client.publishAsync(topic, '', { retain: true, qos: 1 })
    } finally {
      await client.endAsync()
    }
  })
  return {
    url,
    topic: (suffix = 'data') => {
      const topic = `${root}/${suffix}`
      topics.add(topic)
      return topic
    },
  }
}

/** A NATS subject prefix and JetStream stream names of the test's own; the streams are deleted after the test. */
export async function testNats(t: TestContext): Promise<{ url: string; subjectPrefix: string; stream(): string }> {
  const url = SHARED_SERVICE_URLS.nats
  const subjectPrefix = uniqueName('t').replace(/[^A-Za-z0-9_-]/g, '_')
  const streams: string[] = []
  t.after(async () => {
    if (streams.length === 0) return
    const { connect } = await import('@nats-io/transport-node')
    const { jetstreamManager } = await import('@nats-io/jetstream')
    const nc = await connect({ servers: url })
    try {
      const jsm = await jetstreamManager(nc)
      for (const stream of streams) {
        await jsm.streams.delete(stream).catch((error: unknown) => {
          // Never made by the test: nothing to remove.
          if (!/stream not found/i.test(String(error))) throw error
        })
      }
    } finally {
      await nc.close()
    }
  })
  return {
    url,
    subjectPrefix,
    stream: () => {
      // Stream names may not contain '.', '*', '>' or whitespace.
      const name = uniqueName('T').replace(/[^A-Za-z0-9_-]/g, '_')
      streams.push(name)
      return name
    },
  }
}
