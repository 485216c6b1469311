/**
 * The group survives the death of its coordinator: on a private 3-broker cluster (never the shared test broker),
 * the broker that coordinates the group is killed with SIGKILL; the members find the new coordinator and end up
 * settled again, every connector and task running exactly once.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ConfigSnapshot } from '../../../src/assignors/types.ts'
import { LocalKafka } from '../../../tools/kafka/cluster.ts'
import { completeAndExact, eventually, settled, TestWorker } from '../../support/connect-worker.ts'
import { uniqueName } from '../../support/kafka.ts'

const configs: ConfigSnapshot = {
  offset: 3n,
  connectorTasks: new Map([
    ['alpha', 3],
    ['beta', 3],
  ]),
}

describe('coordinator failover', () => {
  let dir: string
  let kafka: LocalKafka
  const workers: TestWorker[] = []

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'membership-failover-'))
    kafka = await LocalKafka.start({ dir, brokers: 3 })
  })

  after(async () => {
    await Promise.allSettled(workers.map((w) => w.close()))
    await kafka?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('the coordinator broker is killed and the group recovers with a complete assignment', async () => {
    const group = uniqueName('connect-failover')
    for (const name of ['w1', 'w2', 'w3']) {
      workers.push(
        new TestWorker({ name, groupId: group, bootstrap: kafka.bootstrap, configs, sessionTimeoutMs: 6000 }).start(),
      )
    }
    await eventually('a settled group', 90_000, () => settled(workers) && completeAndExact(workers, configs))
    const coordinator = workers[0]?.member.coordinator?.nodeId
    assert.ok(coordinator !== undefined)
    assert.ok(workers.every((w) => w.member.coordinator?.nodeId === coordinator))

    await kafka.killBroker(coordinator)
    await eventually('a new coordinator', 90_000, () =>
      workers.every((w) => w.member.coordinator !== null && w.member.coordinator.nodeId !== coordinator),
    )
    await eventually('a settled group again', 90_000, () => settled(workers) && completeAndExact(workers, configs))
    assert.ok(workers.every((w) => w.member.state === 'stable'))
  })
})
