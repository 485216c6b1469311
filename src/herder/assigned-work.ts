/**
 * The work this worker runs: the connectors and tasks the herder started through the worker, kept apart from the
 * assignment so that starting work is always "assigned minus running" (Java's startWork with runningAssignment),
 * and so that tasks stopped for a reconfiguration are started again once the next rebalance confirms them here.
 *
 * Stopping never holds the herder (issue 28): stop() takes the work out of `running` at once and hands the stops to
 * the worker, which stops them all together with one deadline; the herder's loop goes on. A start of work whose
 * earlier instance is still stopping waits, off the loop, and is retried by a job once that stop is over
 * (`onStopped`), so that two instances of one task never run here together.
 *
 * Runs on the herder's loop only.
 */

import { WorkSet } from '../assignors/work-sets.ts'
import type { ConnectorsAndTasks } from '../protocol/connector-assignments.ts'
import type { ClusterConfigSnapshot, TaskId } from '../stores/config-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import { withoutNulls } from '../util/config-map.ts'
import type { Logger } from '../util/log.ts'
import type { WorkerApi } from '../worker/worker-api.ts'

const connectorKey = (c: string) => `c\u0000${c}`
const taskKey = (t: TaskId) => `t\u0000${t.connector}\u0000${t.task}`

/** Connectors and tasks started here, and how to start and stop them. */
export class AssignedWork {
  readonly running = new WorkSet()
  readonly #worker: WorkerApi
  readonly #log: Logger
  readonly #onStopped: () => void
  /** Stops in flight, by work key: settle (never reject) once the worker stopped or abandoned the work. */
  readonly #stopping = new Map<string, Promise<void>>()
  /** Work that was to start while its earlier instance was still stopping. */
  readonly #waiting = new WorkSet()

  /** `onStopped` is called (off the loop) when a stop ends that a start was waiting for. */
  constructor(worker: WorkerApi, log: Logger, onStopped: () => void = () => {}) {
    this.#worker = worker
    this.#log = log
    this.#onStopped = onStopped
  }

  /** Whether an earlier instance of this work is still stopping. */
  isStopping(work: string | TaskId): boolean {
    return this.#stopping.has(typeof work === 'string' ? connectorKey(work) : taskKey(work))
  }

  /** Resolves once the stops in flight now of any of `work` have ended. */
  async stopsOf(work: ConnectorsAndTasks): Promise<void> {
    const keys = [...work.connectors.map(connectorKey), ...work.tasks.map(taskKey)]
    await Promise.all(keys.flatMap((k) => this.#stopping.get(k) ?? []))
  }

  /**
   * Starts the work that waited for an earlier instance's stop, where that stop is over and `assignment` still has
   * it here; answers the connectors that started STARTED.
   */
  async startWaiting(assignment: ConnectorsAndTasks, snapshot: ClusterConfigSnapshot): Promise<string[]> {
    const ready = {
      connectors: this.#waiting.toWork().connectors.filter((c) => !this.isStopping(c)),
      tasks: this.#waiting.tasks.filter((t) => !this.isStopping(t)),
    }
    this.#waiting.removeAll(ready)
    const assignedTasks = new Set(assignment.tasks.map(taskKey))
    return this.startAssigned(
      {
        connectors: ready.connectors.filter((c) => assignment.connectors.includes(c)),
        tasks: ready.tasks.filter((t) => assignedTasks.has(taskKey(t))),
      },
      snapshot,
    )
  }

  /** Whether the connector instance runs here. */
  hasConnector(connector: string): boolean {
    return this.running.hasConnector(connector)
  }

  /** Whether the task runs here. */
  hasTask(task: TaskId): boolean {
    return this.running.hasTask(task)
  }

  /**
   * Starts what is assigned but not running; answers the connectors that started STARTED (their task configs
   * should be generated).
   */
  async startAssigned(assignment: ConnectorsAndTasks, snapshot: ClusterConfigSnapshot): Promise<string[]> {
    const connectors = assignment.connectors.filter((c) => !this.running.hasConnector(c))
    const tasks = assignment.tasks.filter((t) => !this.running.hasTask(t))
    if (connectors.length + tasks.length > 0) {
      this.#log.info(
        { connectors, tasks: tasks.map((t) => `${t.connector}-${t.task}`), offset: snapshot.offset },
        'Starting connectors and tasks',
      )
    }
    const started = await Promise.all(connectors.map((c) => this.startConnector(c, snapshot)))
    await Promise.all(tasks.map((t) => this.startTask(t, snapshot)))
    return connectors.filter((c, i) => started[i] && snapshot.targetState(c) === 'STARTED')
  }

  /**
   * Starts one connector from the snapshot; false when it has no config, failed to start, or waits for its earlier
   * instance to stop (startWaiting starts it then).
   */
  async startConnector(connector: string, snapshot: ClusterConfigSnapshot): Promise<boolean> {
    const config = snapshot.connectorConfig(connector)
    if (config === undefined) return false
    if (this.isStopping(connector)) {
      this.#waiting.addConnector(connector)
      return false
    }
    this.running.addConnector(connector)
    return this.#worker.startConnector(connector, withoutNulls(config), snapshot.targetState(connector) ?? 'STARTED')
  }

  /** Starts one task from the snapshot; false when its configs are gone, it failed, or it waits as a connector may. */
  async startTask(task: TaskId, snapshot: ClusterConfigSnapshot): Promise<boolean> {
    const connectorConfig = snapshot.connectorConfig(task.connector)
    const taskConfig = snapshot.taskConfig(task)
    if (connectorConfig === undefined || taskConfig === undefined) return false
    if (this.isStopping(task)) {
      this.#waiting.addTask(task)
      return false
    }
    this.running.addTask(task)
    return this.#worker.startTask(
      task,
      withoutNulls(connectorConfig),
      withoutNulls(taskConfig),
      snapshot.targetState(task.connector) ?? 'STARTED',
      snapshot.taskConfigGeneration(task.connector),
    )
  }

  /**
   * Stops work that runs here (anything else is ignored) without waiting for it: the work leaves `running` now, and
   * the answer settles (it never rejects) once the worker stopped it or abandoned it at the graceful deadline. Await
   * it off the herder's loop where something must wait for the stop (a revocation before the rejoin). `afterStop`
   * runs once the work stopped and before anything waiting for it may start (a RESTARTING status); not at all when
   * none of `work` runs here.
   */
  stop(work: ConnectorsAndTasks, afterStop: () => Promise<unknown> = async () => {}): Promise<void> {
    const connectors = work.connectors.filter((c) => this.running.hasConnector(c))
    const tasks = work.tasks.filter((t) => this.running.hasTask(t))
    if (connectors.length + tasks.length === 0) return Promise.resolve()
    this.#log.info({ connectors, tasks: tasks.map((t) => `${t.connector}-${t.task}`) }, 'Stopping connectors and tasks')
    this.running.removeAll({ connectors, tasks })
    const stopped = Promise.all([this.#worker.stopConnectors(connectors), this.#worker.stopTasks(tasks)])
      .then(afterStop)
      .then(
        () => {},
        (err: unknown) => this.#log.warn({ err }, 'Stopping connectors and tasks failed'),
      )
    const keys = [...connectors.map(connectorKey), ...tasks.map(taskKey)]
    for (const k of keys) this.#stopping.set(k, stopped)
    void stopped.then(() => {
      for (const k of keys) if (this.#stopping.get(k) === stopped) this.#stopping.delete(k)
      if (!this.#waiting.isEmpty()) this.#onStopped()
    })
    return stopped
  }

  /**
   * Restarts a connector running here; answers whether it runs STARTED again now (false while its stop is still
   * under way: startWaiting starts it once that is over). RESTARTING is written first only when
   * `announce` (restart requests of KIP-745 and automatic restarts): Java's plain restart writes none.
   */
  async restartConnector(
    connector: string,
    snapshot: ClusterConfigSnapshot,
    statuses: StatusStore,
    generation: number,
    announce = true,
  ) {
    void this.stop({ connectors: [connector], tasks: [] }, async () => {
      if (announce) {
        await statuses.put({ connector, state: 'RESTARTING', trace: null, workerId: this.#worker.workerId, generation })
      }
    })
    const ok = await this.startConnector(connector, snapshot)
    return ok && snapshot.targetState(connector) === 'STARTED'
  }

  /** Restarts a task running here; RESTARTING is written first only when `announce`, as for a connector. */
  async restartTask(
    task: TaskId,
    snapshot: ClusterConfigSnapshot,
    statuses: StatusStore,
    generation: number,
    announce = true,
  ) {
    void this.stop({ connectors: [], tasks: [task] }, async () => {
      if (announce) {
        await statuses.put({ ...task, state: 'RESTARTING', trace: null, workerId: this.#worker.workerId, generation })
      }
    })
    await this.startTask(task, snapshot)
  }
}
