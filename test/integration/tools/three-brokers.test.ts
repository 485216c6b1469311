/**
 * The 3-broker local Kafka for fault tests: a broker can be killed, stopped and restarted while the cluster keeps
 * serving. It runs on a private cluster, never on the shared test broker.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Admin, Producer } from '@platformatic/kafka'
import { createAdmin, createProducer } from '../../../src/kafka/clients.ts'
import { LocalKafka } from '../../../tools/kafka/cluster.ts'
import { isAlive } from '../../../tools/kafka/jvm.ts'
import { uniqueName } from '../../support/kafka.ts'

describe('a 3-broker local Kafka', () => {
  let dir: string
  let kafka: LocalKafka
  let admin: Admin
  let producer: Producer

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'three-brokers-'))
    kafka = await LocalKafka.start({ dir, brokers: 3 })
    admin = createAdmin({ 'bootstrap.servers': kafka.bootstrap })
    producer = createProducer({ 'bootstrap.servers': kafka.bootstrap })
  })

  after(async () => {
    await Promise.allSettled([admin?.close(), producer?.close()])
    await kafka?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('has three brokers that all answer metadata', async () => {
    const metadata = await admin.metadata({ topics: [] })
    assert.deepEqual([...metadata.brokers.keys()].sort(), [1, 2, 3])
  })

  test('keeps accepting writes with acks=all when one broker is killed, and takes it back on restart', async () => {
    const topic = uniqueName('replicated')
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 3 })
    await producer.send({ messages: [{ topic, key: Buffer.from('before'), value: Buffer.from('1') }] })

    const victim = kafka.brokers()[1]
    assert.ok(victim?.pid)
    await kafka.killBroker(victim.nodeId)
    assert.equal(isAlive(victim.pid), false)

    // min.insync.replicas is 2, so writes go on with two of three replicas.
    await producer.send({ messages: [{ topic, key: Buffer.from('during'), value: Buffer.from('2') }] })

    await kafka.restartBroker(victim.nodeId)
    const metadata = await admin.metadata({ topics: [topic], forceUpdate: true })
    assert.ok(metadata.brokers.has(victim.nodeId))
    assert.equal(kafka.isRunning(), true)
  })
})
