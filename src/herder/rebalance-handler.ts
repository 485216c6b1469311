/**
 * What a worker does once a rebalance completed (Java's DistributedHerder.handleRebalanceCompleted), on the
 * herder's loop:
 * - CONFIG_MISMATCH: rejoin, after reading the config topic to its end when this worker may be the one behind;
 * - behind the assignment's config offset: read to the end first; past it afterwards: the assignment is stale, so
 *   rejoin without starting anything (work may start only from the config state the leader assigned from);
 * - a read that times out (worker.sync.timeout.ms): leave the group so that the work moves elsewhere, back off
 *   (eager: worker.unsync.backoff.ms; cooperative: scheduled.rebalance.max.delay.ms / 10 / retries left, and after
 *   5 failures stop everything), read again, then rejoin;
 * - otherwise stop what is no longer assigned, start what is assigned and not running, rejoin at once when
 *   something was revoked, and schedule the rejoin of a delayed rebalance.
 * Every rejoin carries its reason.
 */

import { afterConfigRead, afterRebalance } from '../assignors/config-sync.ts'
import type { RebalanceResult } from '../assignors/connect-coordinator.ts'
import type { WorkerConfig } from '../config/connect/worker-config.ts'
import type { GroupMember } from '../membership/member.ts'
import type { ConfigStore } from '../stores/config-store.ts'
import type { Logger } from '../util/log.ts'
import type { AssignedWork } from './assigned-work.ts'
import type { HerderLoop } from './herder-loop.ts'

/** What the handler works with; all owned by the herder. */
export interface RebalanceContext {
  readonly member: GroupMember
  readonly work: AssignedWork
  readonly configStore: ConfigStore
  readonly config: WorkerConfig
  readonly loop: HerderLoop
  readonly log: Logger
}

/** Java's number of read retries before a cooperative worker stops its work. */
const MAX_SYNC_RETRIES = 5

/** Applies rebalance outcomes; keeps the count of failed config reads between them. */
export class RebalanceHandler {
  readonly #ctx: RebalanceContext
  #syncFailures = 0

  constructor(ctx: RebalanceContext) {
    this.#ctx = ctx
  }

  /**
   * Handles one rebalance outcome. Answers the connectors it started (their task configs are due), or undefined
   * when the assignment was not applied (a rejoin or a read retry is under way).
   */
  async handle(r: RebalanceResult): Promise<string[] | undefined> {
    const { member, work, configStore, loop } = this.#ctx
    const localOffset = () => BigInt(configStore.snapshot().offset)
    const step = afterRebalance({
      error: r.error,
      assignmentOffset: r.configOffset,
      localOffset: localOffset(),
      isLeader: r.isLeader,
    })
    if (step.action === 'rejoin') {
      member.requestRejoin('config mismatch: the leader is behind the latest config offset')
      return undefined
    }
    if (step.action !== 'start') {
      if (!(await this.readConfigToEnd())) return undefined
      if (step.action === 'read-to-end-then-rejoin') {
        member.requestRejoin('config mismatch: read the config topic to its end')
        return undefined
      }
      if (afterConfigRead(r.configOffset, localOffset()) !== 'start') {
        member.requestRejoin(`the config topic moved past the assignment's offset ${r.configOffset}`)
        return undefined
      }
    }
    // Anything running that is no longer assigned stops (eager revocations normally did this already); the stops
    // are not awaited here, so the loop stays free, but the rejoin after a revocation waits for them (Invariant 3).
    const assigned = new Set(r.assignment.tasks.map((t) => `${t.connector}\u0000${t.task}`))
    const stopped = work.stop({
      connectors: [...work.running.connectors].filter((c) => !r.assignment.connectors.includes(c)),
      tasks: work.running.tasks.filter((t) => !assigned.has(`${t.connector}\u0000${t.task}`)),
    })
    const started = await work.startAssigned(r.assignment, configStore.snapshot())
    if (r.revoked.connectors.length + r.revoked.tasks.length > 0) {
      void stopped.then(() =>
        loop.post('rejoining after revoked work stopped', () => member.requestRejoin('revoked work was stopped')),
      )
    }
    if (r.delay > 0) {
      loop.schedule('rejoining after the scheduled rebalance delay', r.delay, () =>
        member.requestRejoin(`scheduled rebalance delay of ${r.delay} ms expired`),
      )
    }
    return started
  }

  /** Reads the config topic to its end within worker.sync.timeout.ms; on failure leaves the group and backs off. */
  async readConfigToEnd(): Promise<boolean> {
    const { member, work, configStore, config, loop, log } = this.#ctx
    try {
      await configStore.refresh({ timeoutMs: config.number('worker.sync.timeout.ms') })
      this.#syncFailures = 0
      return true
    } catch (err) {
      this.#syncFailures++
      const retriesLeft = Math.max(1, MAX_SYNC_RETRIES + 1 - Math.min(this.#syncFailures, MAX_SYNC_RETRIES))
      const backoff =
        config.protocol === 'eager'
          ? config.number('worker.unsync.backoff.ms')
          : Math.floor(config.number('scheduled.rebalance.max.delay.ms') / 10 / retriesLeft)
      const reason = `could not read the config topic to its end (${this.#syncFailures} failures)`
      log.warn({ err, backoffMs: backoff }, `Leaving the group: ${reason}`)
      member.leave(reason)
      if (config.protocol !== 'eager' && this.#syncFailures >= MAX_SYNC_RETRIES) void work.stop(work.running.toWork())
      loop.schedule('reading the config topic before rejoining', backoff, async () => {
        if (await this.readConfigToEnd()) member.requestRejoin(`read the config topic after: ${reason}`)
      })
      return false
    }
  }
}
