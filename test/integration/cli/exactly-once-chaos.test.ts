/**
 * Exactly-once source (KIP-618) through chaos on a private 3-broker Kafka (replication factor 3, min.insync 2)
 * with 3 connect-distributed workers: while the example SequenceSource runs, the worker running its task is
 * killed with -9 and replaced, a broker is killed, and the group leader is killed with -9 and replaced. A
 * read_committed consumer then sees every number exactly once. The same run with exactly-once disabled loses
 * nothing and reports its duplicates.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { LocalKafka } from '../../../tools/kafka/cluster.ts'
import { clusterProperties } from '../../support/herder-cluster.ts'
import { uniqueName } from '../../support/kafka.ts'
import {
  checkNoLoss,
  committedNumbers,
  createSequence,
  killWorker,
  leaderOf,
  SEQUENCE_PLUGIN_PATH,
  type SequenceWorker,
  sleep,
  startWorker,
  stopConnector,
  taskRunningOn,
} from '../../support/sequence-cluster.ts'

let dir: string
let kafka: LocalKafka

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eos-chaos-'))
  kafka = await LocalKafka.start({ dir, brokers: 3 })
})
after(async () => {
  await kafka?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Runs the sequence through the chaos; answers the numbers a read_committed reader sees. */
async function sequenceThroughChaos(eos: 'enabled' | 'disabled'): Promise<number[]> {
  const props = clusterProperties({
    'bootstrap.servers': kafka.bootstrap,
    'config.storage.replication.factor': '3',
    'offset.storage.replication.factor': '3',
    'status.storage.replication.factor': '3',
    'exactly.once.source.support': eos,
    'plugin.path': SEQUENCE_PLUGIN_PATH,
    'session.timeout.ms': '6000',
    'scheduled.rebalance.max.delay.ms': '2000',
    'offset.flush.interval.ms': '2000',
  })
  const topic = uniqueName(`chaos-${eos}`)
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': kafka.bootstrap })
  await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 3, configs: {} })
  await admin.close()
  let live: SequenceWorker[] = await Promise.all([startWorker(props), startWorker(props), startWorker(props)])
  await createSequence(live[0] as SequenceWorker, 'seq', topic)

  const replace = async (victim: SequenceWorker) => {
    await killWorker(victim)
    live = live.filter((w) => w !== victim)
    live.push(await startWorker(props))
  }
  // 1. The worker running the task.
  await sleep(3000)
  await replace(await taskRunningOn(live, 'seq', 90_000))
  // 2. A broker (not the one the test reads through last: any of the three will do with RF 3).
  await taskRunningOn(live, 'seq', 90_000)
  await sleep(3000)
  const victim = kafka.brokers()[2]
  assert.ok(victim)
  await kafka.killBroker(victim.nodeId)
  // 3. The group leader.
  await sleep(3000)
  const leader = leaderOf(live)
  assert.ok(leader, 'no worker says it leads')
  await replace(leader)
  await taskRunningOn(live, 'seq', 90_000)
  await sleep(3000)
  await kafka.restartBroker(victim.nodeId)
  await stopConnector(live, 'seq')
  for (const w of live) w.run.child.kill('SIGTERM')
  await Promise.all(live.map((w) => w.run.exit))
  return committedNumbers(kafka.bootstrap, topic)
}

describe('exactly-once source through worker, broker and leader failures on 3 brokers', () => {
  test('with exactly.once.source.support=enabled a read_committed reader sees every number exactly once', async () => {
    const numbers = await sequenceThroughChaos('enabled')
    const { count, duplicates } = checkNoLoss(numbers)
    console.log(`# chaos, exactly-once: ${count} numbers, ${duplicates} duplicates`)
    assert.ok(count > 200, `only ${count} numbers were produced`)
    assert.equal(duplicates, 0)
  })

  test('with it disabled the same run loses nothing and reports its duplicates (at-least-once)', async () => {
    const numbers = await sequenceThroughChaos('disabled')
    const { count, duplicates } = checkNoLoss(numbers)
    console.log(`# chaos, at-least-once: ${count} numbers, ${duplicates} duplicates`)
    assert.ok(count > 200, `only ${count} numbers were produced`)
  })
})
