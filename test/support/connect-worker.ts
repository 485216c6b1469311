/**
 * A stand-in for the herder in membership tests: a GroupMember with a ConnectCoordinator, a fixed config snapshot,
 * and a listener that does what Java's herder does after a rebalance: apply revocations and assignments, rejoin
 * after revoking, rejoin when the scheduled delay runs out.
 */
import { ConnectCoordinator, type RebalanceResult } from '../../src/assignors/connect-coordinator.ts'
import type { ConfigSnapshot } from '../../src/assignors/types.ts'
import { WorkSet } from '../../src/assignors/work-sets.ts'
import { KafkaGroupCalls } from '../../src/kafka/group-calls.ts'
import { GroupMember } from '../../src/membership/member.ts'
import type { ConnectProtocolMode } from '../../src/protocol/connect-protocol.ts'
import type { ConnectorsAndTasks } from '../../src/protocol/connector-assignments.ts'
import { rootLogger } from '../../src/util/log.ts'

/** Settings of a test worker. */
export interface TestWorkerOptions {
  name: string
  groupId: string
  bootstrap: string
  configs: ConfigSnapshot
  mode?: ConnectProtocolMode
  sessionTimeoutMs?: number
  heartbeatIntervalMs?: number
  rebalanceTimeoutMs?: number
  maxDelayMs?: number
}

/** A worker that only takes part in the group: what it runs is a set, its rebalances a list. */
export class TestWorker {
  readonly name: string
  readonly member: GroupMember
  readonly coordinator: ConnectCoordinator
  readonly running = new WorkSet()
  readonly rebalances: RebalanceResult[] = []
  readonly revocations: ConnectorsAndTasks[] = []
  #delayTimer: NodeJS.Timeout | undefined
  #waiters: (() => void)[] = []

  constructor(o: TestWorkerOptions) {
    this.name = o.name
    this.coordinator = new ConnectCoordinator({
      mode: o.mode ?? 'sessioned',
      url: `http://${o.name}:8083`,
      configs: { snapshot: () => o.configs },
      maxDelayMs: o.maxDelayMs ?? 2000,
      listener: {
        onRevoked: (_leader, work) => {
          this.running.removeAll(work)
          this.revocations.push(work)
        },
        onAssigned: (r) => this.#onAssigned(r),
      },
    })
    this.member = new GroupMember({
      groupId: o.groupId,
      calls: new KafkaGroupCalls({ 'bootstrap.servers': o.bootstrap, 'client.id': o.name }),
      handler: this.coordinator,
      sessionTimeoutMs: o.sessionTimeoutMs ?? 6000,
      heartbeatIntervalMs: o.heartbeatIntervalMs ?? 1000,
      rebalanceTimeoutMs: o.rebalanceTimeoutMs ?? 10000,
      logger: rootLogger().child({ worker: o.name }),
    })
  }

  #onAssigned(r: RebalanceResult): void {
    this.rebalances.push(r)
    if (r.error === 0) {
      this.running.removeAll(this.running.toWork()).addAll(r.assignment)
    }
    if (r.revoked.connectors.length + r.revoked.tasks.length > 0) {
      this.member.requestRejoin('revoked work was stopped')
    }
    clearTimeout(this.#delayTimer)
    if (r.delay > 0) {
      this.#delayTimer = setTimeout(() => this.member.requestRejoin('scheduled rebalance delay expired'), r.delay)
    }
    for (const w of this.#waiters.splice(0)) w()
  }

  start(): this {
    this.member.start()
    return this
  }

  /** The generation of the last completed rebalance, -1 before the first. */
  get generation(): number {
    return this.rebalances.at(-1)?.generationId ?? -1
  }

  async close(leaveGroup = true): Promise<void> {
    clearTimeout(this.#delayTimer)
    await this.member.close({ leaveGroup })
  }
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, timeoutMs: number, check: () => boolean): Promise<number> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
  return Date.now() - started
}

/** Whether the workers together run every configured item exactly once. */
export function completeAndExact(workers: readonly TestWorker[], configs: ConfigSnapshot): boolean {
  const seen = new WorkSet()
  let total = 0
  for (const w of workers) {
    for (const c of w.running.connectors) {
      if (seen.hasConnector(c) || !configs.connectorTasks.has(c)) return false
      seen.addConnector(c)
      total++
    }
    for (const t of w.running.tasks) {
      if (seen.hasTask(t) || t.task >= (configs.connectorTasks.get(t.connector) ?? 0)) return false
      seen.addTask(t)
      total++
    }
  }
  let expected = 0
  for (const n of configs.connectorTasks.values()) expected += 1 + n
  return total === expected
}

/** Whether all workers completed the same generation and none is rebalancing. */
export function settled(workers: readonly TestWorker[]): boolean {
  const g = workers[0]?.generation ?? -1
  return g >= 0 && workers.every((w) => w.generation === g && w.member.state === 'stable')
}
