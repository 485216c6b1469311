/**
 * What a worker does when the config topic changes (Java's DistributedHerder.processConnectorConfigUpdates,
 * processTaskConfigUpdatesWithIncrementalCooperative, processTargetStateChanges and processRestartRequests), on the
 * herder's loop: a new or removed connector asks for a rebalance, an updated one restarts where it runs, committed
 * task configs stop the connector's tasks here and rejoin, target states go to the worker, restart requests and
 * cluster log levels apply here.
 */
import type { WorkerConfig } from '../config/connect/worker-config.ts'
import type { GroupMember } from '../membership/member.ts'
import type { ClusterConfigSnapshot, ConfigUpdate } from '../stores/config-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import type { Logger } from '../util/log.ts'
import type { WorkerApi } from '../worker/worker-api.ts'
import type { AssignedWork } from './assigned-work.ts'
import type { AutoRestarts } from './auto-restart.ts'
import type { HerderLoop } from './herder-loop.ts'
import type { Loggers } from './loggers.ts'
import type { WorkRestarts } from './work-restarts.ts'

/** What config updates need of the herder (DistributedHerderCore). */
export interface ConfigUpdateHost {
  readonly config: WorkerConfig
  readonly worker: WorkerApi | undefined
  readonly work: AssignedWork | undefined
  readonly member: GroupMember | undefined
  readonly snapshot: ClusterConfigSnapshot
  readonly generation: number
  /** Whether the last rebalance outcome was applied: an updated connector restarts only then. */
  readonly resolved: boolean
  readonly statusStore: StatusStore
  readonly autoRestarts: AutoRestarts
  readonly restarts: WorkRestarts
  readonly loggers: Loggers
  readonly loop: HerderLoop
  readonly log: Logger
  reconfigureTasks(connector: string): Promise<void>
}

/** Applies config-topic updates; owns the set of connectors this worker has seen. */
export class ConfigUpdates {
  readonly #host: ConfigUpdateHost
  /** Connectors seen in the config topic, so that an update tells an addition from a change. */
  readonly #known = new Set<string>()

  constructor(host: ConfigUpdateHost) {
    this.#host = host
  }

  /** Takes the connectors of the snapshot read at start as known. */
  seed(snapshot: ClusterConfigSnapshot): void {
    for (const c of snapshot.connectors) this.#known.add(c)
  }

  /** A description of the job that applies `u`: the herder's stage meanwhile. */
  static describe(u: ConfigUpdate): string {
    switch (u.type) {
      case 'session-key':
        return 'applying a new session key'
      case 'restart-request':
        return `restarting ${u.request.connector}`
      case 'logger-level':
        return `setting the log level of ${u.namespace}`
      default:
        return `applying a ${u.type} update of ${u.connector}`
    }
  }

  /** Applies one update (a job on the herder's loop). */
  async apply(u: ConfigUpdate): Promise<void> {
    const h = this.#host
    const member = h.member
    const work = h.work
    switch (u.type) {
      case 'connector-config': {
        if (u.removed) {
          this.#known.delete(u.connector)
          h.autoRestarts.forgetConnector(u.connector)
          // Not awaited: a task that does not stop must not hold the herder (issue 28). The rejoin follows the stops,
          // so that the UNASSIGNED statuses they write come before the leader's DESTROYED ones, as in Java.
          const stopped =
            work?.stop(
              { connectors: [u.connector], tasks: work.running.tasks.filter((t) => t.connector === u.connector) },
              () => this.#resetActiveTopics(u.connector),
            ) ?? Promise.resolve()
          void stopped.then(() =>
            h.loop.post(`rejoining after ${u.connector} was removed`, () =>
              member?.requestRejoin(`connector ${u.connector} was removed`),
            ),
          )
        } else if (!this.#known.has(u.connector)) {
          this.#known.add(u.connector)
          member?.requestRejoin(`connector ${u.connector} was added`)
        } else if (work?.hasConnector(u.connector) && h.resolved) {
          // Java's processConnectorConfigUpdates stops and starts the connector and writes no RESTARTING.
          if (await work.restartConnector(u.connector, h.snapshot, h.statusStore, h.generation, false)) {
            await h.reconfigureTasks(u.connector)
          }
        }
        return
      }
      case 'task-configs': {
        // Cooperative: tasks of the reconfigured connector stop now and start again if the next assignment keeps
        // them here (eager rebalances stop everything anyway).
        // The rejoin waits for the stops (off the loop): the next assignment may move these tasks (Invariant 3).
        if (work === undefined) return
        void work
          .stop({ connectors: [], tasks: work.running.tasks.filter((t) => t.connector === u.connector) })
          .then(() =>
            h.loop.post(`rejoining after the tasks of ${u.connector} stopped`, () =>
              member?.requestRejoin(`task configs of ${u.connector} changed`),
            ),
          )
        return
      }
      case 'target-state': {
        const state = h.snapshot.targetState(u.connector)
        const here =
          work !== undefined &&
          (work.hasConnector(u.connector) || work.running.tasks.some((t) => t.connector === u.connector))
        if (state === undefined || !here) return
        await h.worker?.setTargetState(u.connector, state)
        if (state === 'STARTED') await h.reconfigureTasks(u.connector)
        return
      }
      case 'restart-request':
        await h.restarts.restartMatching(u.request.connector, u.request.onlyFailed, u.request.includeTasks)
        return
      case 'logger-level':
        try {
          h.loggers.set(u.namespace, u.level)
        } catch (err) {
          h.log.warn({ err, namespace: u.namespace }, 'Ignoring a cluster log level')
        }
        return
      case 'session-key':
        return
    }
  }

  /**
   * A deleted connector's topic-status records (KIP-558) get tombstones once its work here stopped, as Java's
   * DistributedHerder.resetActiveTopics does after revoking a deleted connector's work (topic.tracking.enable).
   */
  async #resetActiveTopics(connector: string): Promise<void> {
    const h = this.#host
    if (h.config.getBoolean('topic.tracking.enable') === false || h.snapshot.contains(connector)) return
    const statuses = h.statusStore
    await Promise.all(statuses.topics(connector).map((t) => statuses.deleteTopic(connector, t.topic)))
  }
}
