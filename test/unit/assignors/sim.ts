/**
 * A tiny Connect cluster for assignor tests: members with what they run, a config snapshot, a clock, and the
 * leader's state. `rebalance()` runs one cooperative round and applies it as workers do (stop the revoked, start
 * the assigned), checking on the way that the assignor's own view of each load matches.
 */
import assert from 'node:assert/strict'
import {
  type CooperativeResult,
  type CooperativeState,
  cooperativeAssign,
  INITIAL_COOPERATIVE_STATE,
} from '../../../src/assignors/cooperative.ts'
import type { LostWorkPolicy } from '../../../src/assignors/lost-work.ts'
import { WorkSet } from '../../../src/assignors/work-sets.ts'
import type { ConnectorsAndTasks, ConnectorTaskId } from '../../../src/protocol/connector-assignments.ts'

/** Java's default scheduled.rebalance.max.delay.ms. */
export const FIVE_MINUTES = 300_000

export class Sim {
  readonly connectors = new Map<string, number>()
  readonly workers = new Map<string, WorkSet>()
  state: CooperativeState = INITIAL_COOPERATIVE_STATE
  now = 1_000_000
  generation = 0
  last: CooperativeResult | undefined
  maxDelay: number
  policy: LostWorkPolicy | undefined
  /** Lost work its departed owner released (stopped cleanly), for the next rounds. */
  isReleased: ((work: string | ConnectorTaskId) => boolean) | undefined

  constructor(maxDelay = FIVE_MINUTES, policy?: LostWorkPolicy) {
    this.maxDelay = maxDelay
    this.policy = policy
  }

  connector(name: string, tasks: number): this {
    this.connectors.set(name, tasks)
    return this
  }

  join(...ids: string[]): this {
    for (const id of ids) this.workers.set(id, new WorkSet())
    return this
  }

  /** A worker that joins already running some work (e.g. a zombie that kept running). */
  joinRunning(id: string, work: ConnectorsAndTasks): this {
    this.workers.set(id, new WorkSet(work))
    return this
  }

  /** A worker that is gone (crashed or left): its work is no longer reported by anyone. */
  leave(...ids: string[]): this {
    for (const id of ids) this.workers.delete(id)
    return this
  }

  /** A new leader: the assignor's memory starts afresh. */
  newLeader(): this {
    this.state = INITIAL_COOPERATIVE_STATE
    return this
  }

  sleep(ms: number): this {
    this.now += ms
    return this
  }

  /** One round, applied. */
  rebalance(): CooperativeResult {
    this.generation++
    const result = cooperativeAssign(
      {
        snapshot: { offset: 1n, connectorTasks: this.connectors },
        members: new Map([...this.workers].map(([id, w]) => [id, w.toWork()])),
        lastCompletedGenerationId: this.generation - 1,
        generationId: this.generation,
        now: this.now,
        maxDelay: this.maxDelay,
        ...(this.policy ? { lostWorkPolicy: this.policy } : {}),
        ...(this.isReleased ? { isReleased: this.isReleased } : {}),
      },
      this.state,
    )
    for (const [id, a] of result.assignments) {
      const w = this.workers.get(id) as WorkSet
      w.removeAll(a.revoked).addAll(a.assigned)
      assert.deepEqual(sortedCopy(w.toWork()), sortedCopy(result.loads.get(id) as ConnectorsAndTasks), `load of ${id}`)
    }
    this.state = result.state
    this.last = result
    return result
  }

  /** Connector counts per worker, ascending (Java's assertConnectorAllocations). */
  connectorCounts(): number[] {
    return [...this.workers.values()].map((w) => w.connectorCount).sort((a, b) => a - b)
  }

  taskCounts(): number[] {
    return [...this.workers.values()].map((w) => w.taskCount).sort((a, b) => a - b)
  }

  revokedAnything(): boolean {
    return [...(this.last?.assignments.values() ?? [])].some(
      (a) => a.revoked.connectors.length > 0 || a.revoked.tasks.length > 0,
    )
  }

  assignedAnything(): boolean {
    return [...(this.last?.assignments.values() ?? [])].some(
      (a) => a.assigned.connectors.length > 0 || a.assigned.tasks.length > 0,
    )
  }

  /** Every item held by at most one worker. */
  assertNoDuplicates(): void {
    const seen = new WorkSet()
    for (const [id, w] of this.workers) {
      for (const c of w.connectors) {
        assert.ok(!seen.hasConnector(c), `connector ${c} also on ${id}`)
        seen.addConnector(c)
      }
      for (const t of w.tasks) {
        assert.ok(!seen.hasTask(t), `task ${t.connector}-${t.task} also on ${id}`)
        seen.addTask(t)
      }
    }
  }

  /** Every configured item runs on exactly one worker, and nothing else runs. */
  assertCompleteAndExact(): void {
    this.assertNoDuplicates()
    const running = new WorkSet()
    for (const w of this.workers.values()) running.addAll(w.toWork())
    const expected = new WorkSet()
    for (const [c, n] of this.connectors) {
      expected.addConnector(c)
      for (let task = 0; task < n; task++) expected.addTask({ connector: c, task })
    }
    assert.deepEqual(sortedCopy(running.toWork()), sortedCopy(expected.toWork()))
  }

  /** Loads differ by at most one, for connectors and for tasks. */
  assertBalanced(): void {
    for (const counts of [this.connectorCounts(), this.taskCounts()]) {
      assert.ok((counts.at(-1) ?? 0) - (counts[0] ?? 0) <= 1, `unbalanced: ${counts}`)
    }
  }
}

function sortedCopy(w: ConnectorsAndTasks): { connectors: string[]; tasks: string[] } {
  return {
    connectors: [...w.connectors].sort(),
    tasks: w.tasks.map((t) => `${t.connector}-${t.task}`).sort(),
  }
}
