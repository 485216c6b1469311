/**
 * The work this worker runs: the connectors and tasks the herder started through the worker, kept apart from the
 * assignment so that starting work is always "assigned minus running" (Java's startWork with runningAssignment),
 * and so that tasks stopped for a reconfiguration are started again once the next rebalance confirms them here.
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

/** Connectors and tasks started here, and how to start and stop them. */
export class AssignedWork {
  readonly running = new WorkSet()
  readonly #worker: WorkerApi
  readonly #log: Logger

  constructor(worker: WorkerApi, log: Logger) {
    this.#worker = worker
    this.#log = log
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

  /** Starts one connector from the snapshot; false when it has no config or failed to start. */
  async startConnector(connector: string, snapshot: ClusterConfigSnapshot): Promise<boolean> {
    const config = snapshot.connectorConfig(connector)
    if (config === undefined) return false
    this.running.addConnector(connector)
    return this.#worker.startConnector(connector, withoutNulls(config), snapshot.targetState(connector) ?? 'STARTED')
  }

  /** Starts one task from the snapshot; false when its configs are gone or it failed to start. */
  async startTask(task: TaskId, snapshot: ClusterConfigSnapshot): Promise<boolean> {
    const connectorConfig = snapshot.connectorConfig(task.connector)
    const taskConfig = snapshot.taskConfig(task)
    if (connectorConfig === undefined || taskConfig === undefined) return false
    this.running.addTask(task)
    return this.#worker.startTask(
      task,
      withoutNulls(connectorConfig),
      withoutNulls(taskConfig),
      snapshot.targetState(task.connector) ?? 'STARTED',
      snapshot.taskConfigGeneration(task.connector),
    )
  }

  /** Stops work that runs here (anything else is ignored). */
  async stop(work: ConnectorsAndTasks): Promise<void> {
    const connectors = work.connectors.filter((c) => this.running.hasConnector(c))
    const tasks = work.tasks.filter((t) => this.running.hasTask(t))
    if (connectors.length + tasks.length === 0) return
    this.#log.info({ connectors, tasks: tasks.map((t) => `${t.connector}-${t.task}`) }, 'Stopping connectors and tasks')
    await Promise.all([this.#worker.stopConnectors(connectors), this.#worker.stopTasks(tasks)])
    this.running.removeAll({ connectors, tasks })
  }

  /** Stops the tasks of a connector that run here; answers them. */
  async stopTasksOf(connector: string): Promise<TaskId[]> {
    const tasks = this.running.tasks.filter((t) => t.connector === connector)
    await this.stop({ connectors: [], tasks })
    return tasks
  }

  /**
   * Restarts a connector running here; answers whether it runs STARTED again. RESTARTING is written first only when
   * `announce` (restart requests of KIP-745 and automatic restarts): Java's plain restart writes none.
   */
  async restartConnector(
    connector: string,
    snapshot: ClusterConfigSnapshot,
    statuses: StatusStore,
    generation: number,
    announce = true,
  ) {
    await this.stop({ connectors: [connector], tasks: [] })
    if (announce) {
      await statuses.put({ connector, state: 'RESTARTING', trace: null, workerId: this.#worker.workerId, generation })
    }
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
    await this.stop({ connectors: [], tasks: [task] })
    if (announce) {
      await statuses.put({ ...task, state: 'RESTARTING', trace: null, workerId: this.#worker.workerId, generation })
    }
    await this.startTask(task, snapshot)
  }
}
