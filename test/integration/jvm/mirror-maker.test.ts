/**
 * MirrorMaker 2's three connectors (connect-mirror 4.3.1, from the run's Java plugin path) under tsconnect through
 * the JVM plugin host, side by side with Java Connect: MirrorSourceConnector replicates a topic, the checkpoint
 * connector runs (its checkpoint records are not checked here), the heartbeat connector heartbeats. Both "clusters" are the
 * test broker, under a cluster alias of each runtime's own, so each runtime's replica is `<alias>.<topic>`.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createAdmin, createProducer } from '../../../src/kafka/clients.ts'
import { type CompatWorker, javaConnect, type Runtime, tsconnect } from '../../support/compat.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, testClientProperties, uniqueName } from '../../support/kafka.ts'
import { javaPluginPath, jvmHost } from '../../support/services.ts'
import { readAll } from '../worker/support.ts'

const WAIT_MS = 180_000
const topic = uniqueName('mm2-source')
const group = uniqueName('mm2-group')
const sides: { runtime: Runtime; worker: CompatWorker; alias: string }[] = []

before(async () => {
  jvmHost()
  const admin = createAdmin(testClientProperties())
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
  await admin.close()
  for (const runtime of [javaConnect, tsconnect]) {
    const name = uniqueName(runtime === tsconnect ? 'mm2-ts' : 'mm2-java')
    const worker = await runtime.start(name, { 'plugin.path': javaPluginPath(), 'plugin.discovery': 'service_load' })
    sides.push({ runtime, worker, alias: name.replace(/[^a-z0-9]/gi, '') })
  }
})

after(async () => {
  await Promise.allSettled(sides.map((s) => s.worker.stop()))
})

test('MirrorMaker 2 replicates a topic with checkpoints and heartbeats under tsconnect, as under Java Connect', {
  timeout: 400_000,
}, async () => {
  const producer = createProducer(testClientProperties())
  try {
    await producer.send({
      messages: Array.from({ length: 20 }, (_, i) => ({
        topic,
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`v${i}`),
      })),
    })
  } finally {
    await producer.close()
  }
  for (const side of sides) {
    const common = {
      'source.cluster.alias': side.alias,
      'target.cluster.alias': 'target',
      'source.cluster.bootstrap.servers': testBootstrap(),
      'target.cluster.bootstrap.servers': testBootstrap(),
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'tasks.max': '1',
    }
    const connectors: Record<string, Record<string, string>> = {
      source: {
        'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
        topics: topic,
        'replication.factor': '1',
        'offset-syncs.topic.replication.factor': '1',
        'sync.topic.acls.enabled': 'false',
        'sync.topic.configs.enabled': 'false',
        'refresh.topics.interval.seconds': '1',
      },
      checkpoint: {
        'connector.class': 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
        groups: group,
        'emit.checkpoints.interval.seconds': '1',
        'refresh.groups.interval.seconds': '1',
        'checkpoints.topic.replication.factor': '1',
        'sync.group.offsets.enabled': 'false',
      },
      heartbeat: {
        'connector.class': 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
        'emit.heartbeats.interval.seconds': '1',
        'heartbeats.topic.replication.factor': '1',
      },
    }
    for (const [kind, config] of Object.entries(connectors)) {
      const answer = await http(`${side.worker.url}/connectors`, 'POST', {
        name: `${side.alias}-${kind}`,
        config: { ...common, ...config },
      })
      assert.equal(answer.status, 201, `${side.runtime.name} ${kind}: ${JSON.stringify(answer.body)}`)
    }
  }
  const replicas = await Promise.all(
    sides.map((side) =>
      until(`${side.runtime.name}: 20 records in ${side.alias}.${topic}`, WAIT_MS, async () => {
        const status = (await http(`${side.worker.url}/connectors/${side.alias}-source/status`)).body as {
          tasks?: { state: string; trace?: string }[]
        }
        const failed = status.tasks?.find((x) => x.state === 'FAILED')
        if (failed) assert.fail(`${side.runtime.name}: ${failed.trace}`)
        const records = await readAll(`${side.alias}.${topic}`).catch(() => [])
        return records.length >= 20 ? records : undefined
      }),
    ),
  )
  const pairs = (list: Awaited<ReturnType<typeof readAll>> | undefined) =>
    (list ?? []).map((r) => [String(r.key), String(r.value)])
  assert.deepEqual(pairs(replicas[1]), pairs(replicas[0]))
  assert.deepEqual(pairs(replicas[1])[0], ['k0', 'v0'])
  // Heartbeats: each runtime's heartbeat connector writes records naming its source alias.
  await until('heartbeats of both runtimes', WAIT_MS, async () => {
    const records = await readAll('heartbeats').catch(() => [])
    const keys = records.map((r) => String(r.key))
    return sides.every((s) => keys.some((k) => k.includes(s.alias))) ? true : undefined
  })
  // Every connector of both runtimes runs.
  for (const side of sides) {
    for (const kind of ['source', 'checkpoint', 'heartbeat']) {
      await until(`${side.runtime.name} ${kind} RUNNING`, WAIT_MS, async () => {
        const s = (await http(`${side.worker.url}/connectors/${side.alias}-${kind}/status`)).body as {
          connector?: { state: string }
        }
        return s.connector?.state === 'RUNNING' ? true : undefined
      })
    }
  }
})
