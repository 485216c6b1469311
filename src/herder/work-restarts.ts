/**
 * Restarts of the work that runs on this worker, whoever asks: REST by hand, restart requests read from the config
 * topic (KIP-745), and automatic restarts after a failure, with backoff (auto-restart.ts keeps their bookkeeping).
 * Everything here runs on the herder's loop.
 */
import type { ClusterConfigSnapshot, TaskId } from '../stores/config-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import type { AssignedWork } from './assigned-work.ts'
import type { AutoRestarts, RestartTarget } from './auto-restart.ts'
import type { HerderLoop } from './herder-loop.ts'

/** What restarts need of the herder (DistributedHerderCore). */
export interface RestartHost {
  readonly work: AssignedWork | undefined
  readonly snapshot: ClusterConfigSnapshot
  readonly generation: number
  readonly autoRestarts: AutoRestarts
  readonly loop: HerderLoop
  readonly clock: Clock
  readonly log: Logger
  readonly statusStore: StatusStore
  /** Whether the herder is stopping: failures then restart nothing. */
  readonly stopping: boolean
  reconfigureTasks(connector: string): Promise<void>
}

/** Restarts connectors and tasks running here. */
export class WorkRestarts {
  readonly #host: RestartHost

  constructor(host: RestartHost) {
    this.#host = host
  }

  /**
   * Restarts a connector or task that runs here (the caller checked it does); a connector that runs STARTED again
   * has its task configs generated anew. `announce` writes RESTARTING first (restart requests and automatic
   * restarts; Java's plain restarts write none).
   */
  async restart(target: RestartTarget, announce: boolean): Promise<void> {
    const h = this.#host
    const work = h.work
    if (work === undefined) return
    if (typeof target === 'string') {
      if (await work.restartConnector(target, h.snapshot, h.statusStore, h.generation, announce)) {
        await h.reconfigureTasks(target)
      }
    } else {
      await work.restartTask(target, h.snapshot, h.statusStore, h.generation, announce)
    }
  }

  /** A restart request read from the config topic: restart what runs here and matches it (KIP-745). */
  async restartMatching(connector: string, onlyFailed: boolean, includeTasks: boolean): Promise<void> {
    const h = this.#host
    const work = h.work
    if (work === undefined || !h.snapshot.contains(connector)) return
    const failed = (s: { state: string } | undefined) => s?.state === 'FAILED'
    const statuses = h.statusStore
    if (work.hasConnector(connector) && (!onlyFailed || failed(statuses.connector(connector)))) {
      h.autoRestarts.forget(connector)
      await this.restart(connector, true)
    }
    if (!includeTasks) return
    const tasks: TaskId[] = work.running.tasks.filter(
      (t) => t.connector === connector && (!onlyFailed || failed(statuses.task(connector, t.task))),
    )
    for (const t of tasks) {
      h.autoRestarts.forget(t)
      await this.restart(t, true)
    }
  }

  /** A connector or task running here failed: restart it after a backoff, or give up (auto-restart.ts). */
  onFailure(target: RestartTarget, err: Error): void {
    const h = this.#host
    if (h.stopping) return
    const decision = h.autoRestarts.failed(target, err, h.clock.now())
    const what = typeof target === 'string' ? `connector ${target}` : `task ${target.connector}-${target.task}`
    if ('giveUp' in decision) {
      if (h.autoRestarts.settings.enabled) {
        h.log.error(
          { target: what, attempts: h.autoRestarts.settings.maxAttempts },
          'Automatic restarts used up; it stays FAILED until restarted through REST',
        )
      }
      return
    }
    h.log.warn({ target: what, inMs: decision.restartInMs }, 'Restarting failed work automatically')
    h.loop.schedule(`automatically restarting ${what}`, decision.restartInMs, () =>
      this.#autoRestart(target, decision.token),
    )
  }

  async #autoRestart(target: RestartTarget, token: number): Promise<void> {
    const h = this.#host
    const work = h.work
    if (work === undefined || !h.autoRestarts.isCurrent(target, token)) return
    const here = typeof target === 'string' ? work.hasConnector(target) : work.hasTask(target)
    if (!here) {
      h.autoRestarts.forget(target)
      return
    }
    h.autoRestarts.restarting(target, h.clock.now())
    await this.restart(target, true)
  }
}
