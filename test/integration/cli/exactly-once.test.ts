/**
 * Exactly-once source (KIP-618) on real connect-distributed processes: a numbered sequence (the example
 * SequenceSource, loaded through plugin.path) runs while the worker that runs its task is killed with -9, twice,
 * and restarted. With exactly.once.source.support=enabled a read_committed consumer then sees every number exactly
 * once; with it disabled the same run loses nothing but may repeat numbers (at-least-once), which it reports.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { clusterProperties } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'
import {
  checkNoLoss,
  committedNumbers,
  createSequence,
  killWorker,
  SEQUENCE_PLUGIN_PATH,
  type SequenceWorker,
  sleep,
  startWorker,
  stopConnector,
  taskRunningOn,
} from '../../support/sequence-cluster.ts'

/** Runs the sequence across two kill -9 of its task's worker; answers the numbers a read_committed reader sees. */
async function sequenceThroughKills(eos: 'enabled' | 'disabled'): Promise<number[]> {
  const props = clusterProperties({
    'exactly.once.source.support': eos,
    'plugin.path': SEQUENCE_PLUGIN_PATH,
    'session.timeout.ms': '6000',
    'scheduled.rebalance.max.delay.ms': '2000',
    // At-least-once commits offsets every 2 s, so a kill -9 repeats up to 2 s of numbers.
    'offset.flush.interval.ms': '2000',
  })
  const topic = uniqueName(`sequence-${eos}`)
  const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
  await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
  await admin.close()
  let live: SequenceWorker[] = await Promise.all([startWorker(props), startWorker(props), startWorker(props)])
  await createSequence(live[0] as SequenceWorker, 'seq', topic)
  for (let kill = 0; kill < 2; kill++) {
    const owner = await taskRunningOn(live, 'seq', 60_000)
    await sleep(3000)
    await killWorker(owner)
    live = live.filter((w) => w !== owner)
    live.push(await startWorker(props))
  }
  await taskRunningOn(live, 'seq', 60_000)
  await sleep(3000)
  await stopConnector(live, 'seq')
  for (const w of live) w.run.child.kill('SIGTERM')
  await Promise.all(live.map((w) => w.run.exit))
  return committedNumbers(testBootstrap(), topic)
}

describe('exactly-once source across kill -9 of the worker running the task', () => {
  test('with exactly.once.source.support=enabled a read_committed reader sees every number exactly once', async () => {
    const numbers = await sequenceThroughKills('enabled')
    const { count, duplicates } = checkNoLoss(numbers)
    console.log(`# exactly-once: ${count} numbers, ${duplicates} duplicates`)
    assert.ok(count > 200, `only ${count} numbers were produced`)
    assert.equal(duplicates, 0)
  })

  test('with it disabled the same run loses nothing and reports its duplicates (at-least-once)', async () => {
    const numbers = await sequenceThroughKills('disabled')
    const { count, duplicates } = checkNoLoss(numbers)
    console.log(`# at-least-once: ${count} numbers, ${duplicates} duplicates`)
    assert.ok(count > 200, `only ${count} numbers were produced`)
  })
})
