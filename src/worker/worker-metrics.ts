/**
 * The worker's own metric groups, as Java's Worker keeps them: connect-worker-metrics (WorkerMetricsGroup: counts
 * of what runs here, connector and task startup results), connect-worker-metrics per connector (Worker's
 * ConnectorStatusMetricsGroup: its tasks here by status, as the status store says), and connector-metrics
 * (WorkerConnector's ConnectorMetricsGroup: status, class, type, version, on the worker running the connector).
 */
import type { MetricGroup, MetricsRegistry, Sensor } from '../metrics/registry.ts'
import { BooleanFrequencies, CumulativeSum } from '../metrics/stats.ts'
import type { ConnectState } from '../stores/status-store.ts'
import { CONNECT_API_VERSION, TSCONNECT_COMMIT } from '../util/version.ts'
import { CONNECT_DOMAIN } from './task-metrics.ts'
import type { TaskId } from './worker-api.ts'

/** The statuses the per-connector task counts are kept for (Java's connectorStatusMetrics). */
const TASK_COUNTS: readonly [string, ConnectState][] = [
  ['connector-running-task-count', 'RUNNING'],
  ['connector-paused-task-count', 'PAUSED'],
  ['connector-failed-task-count', 'FAILED'],
  ['connector-unassigned-task-count', 'UNASSIGNED'],
  ['connector-destroyed-task-count', 'DESTROYED'],
  ['connector-restarting-task-count', 'RESTARTING'],
]

/** Startup results of one kind (Java's startup sensors and their Frequencies). */
class StartupSensors {
  readonly #attempts: Sensor
  readonly #successes: Sensor
  readonly #failures: Sensor
  readonly #results: Sensor

  constructor(g: MetricGroup, kind: 'connector' | 'task') {
    this.#attempts = g.sensor().add(`${kind}-startup-attempts-total`, new CumulativeSum())
    this.#successes = g.sensor().add(`${kind}-startup-success-total`, new CumulativeSum())
    this.#failures = g.sensor().add(`${kind}-startup-failure-total`, new CumulativeSum())
    const results = new BooleanFrequencies(g.sampleConfig)
    this.#results = g.sensor().feed(results)
    g.add(`${kind}-startup-success-percentage`, results.trueRatio)
    g.add(`${kind}-startup-failure-percentage`, results.falseRatio)
  }

  record(success: boolean): void {
    this.#attempts.record(1)
    ;(success ? this.#successes : this.#failures).record(1)
    this.#results.record(success ? 1 : 0)
  }
}

/** What the worker groups read from the worker. */
export interface WorkerView {
  connectorCount(): number
  /** The tasks running here. */
  tasks(): readonly TaskId[]
  /** A task's status in the status store (Java's herder.taskStatus). */
  taskState(id: TaskId): ConnectState | undefined
}

/** The worker's groups; see the file comment. */
export class WorkerMetrics {
  readonly #registry: MetricsRegistry
  readonly #view: WorkerView
  readonly #connectorStartups: StartupSensors
  readonly #taskStartups: StartupSensors
  readonly #perConnector = new Map<string, MetricGroup>()
  readonly #connectors = new Map<string, { group: MetricGroup; state: ConnectState; started: boolean }>()
  /** Tasks whose startup was already counted, so that a later FAILED is not a startup failure. */
  readonly #startedTasks = new Set<string>()

  constructor(registry: MetricsRegistry, view: WorkerView) {
    this.#registry = registry
    this.#view = view
    const g = registry
      .group(CONNECT_DOMAIN, 'connect-worker-metrics')
      .gauge('connector-count', () => view.connectorCount())
      .gauge('task-count', () => view.tasks().length)
    this.#connectorStartups = new StartupSensors(g, 'connector')
    this.#taskStartups = new StartupSensors(g, 'task')
  }

  /** The registry the worker's tasks put their groups in. */
  get registry(): MetricsRegistry {
    return this.#registry
  }

  /** A connector could not be created here: a startup failure, and no connector-metrics group (as in Java). */
  connectorCreationFailed(): void {
    this.#connectorStartups.record(false)
  }

  /** A connector instance runs here now (Java's ConnectorMetricsGroup). */
  connectorCreated(name: string, plugin: { className: string; type: string; version: string | undefined }): void {
    const entry = {
      group: this.#registry.group(CONNECT_DOMAIN, 'connector-metrics', [['connector', name]]),
      state: 'UNASSIGNED' as ConnectState,
      started: false,
    }
    entry.group
      .info('connector-class', () => plugin.className)
      .info('connector-type', () => plugin.type)
      .info('connector-version', () => plugin.version ?? 'unknown')
      .info('status', () => entry.state.toLowerCase())
    this.#connectors.set(name, entry)
  }

  /** A connector's status changed: the first RUNNING is a startup success, a FAILED before it a failure. */
  connectorState(name: string, state: ConnectState): void {
    const entry = this.#connectors.get(name)
    if (!entry) return
    entry.state = state
    if (entry.started) return
    if (state === 'RUNNING' || state === 'FAILED') {
      entry.started = true
      this.#connectorStartups.record(state === 'RUNNING')
    }
  }

  /** The connector stopped here. */
  connectorRemoved(name: string): void {
    this.#connectors.get(name)?.group.close()
    this.#connectors.delete(name)
  }

  /** A task could not be built: a startup failure. */
  taskCreationFailed(): void {
    this.#taskStartups.record(false)
  }

  /** A task was registered here (Java's recordTaskAdded). */
  taskAdded(id: TaskId): void {
    if (this.#perConnector.has(id.connector)) return
    const mine = () => this.#view.tasks().filter((t) => t.connector === id.connector)
    const g = this.#registry
      .group(CONNECT_DOMAIN, 'connect-worker-metrics', [['connector', id.connector]])
      .gauge('connector-total-task-count', () => mine().length)
    for (const [attribute, state] of TASK_COUNTS) {
      g.gauge(attribute, () => mine().filter((t) => this.#view.taskState(t) === state).length)
    }
    this.#perConnector.set(id.connector, g)
  }

  /** A task's status changed: its first RUNNING or PAUSED is a startup success, a FAILED before it a failure. */
  taskState(id: TaskId, state: ConnectState): void {
    const k = `${id.connector}\u0000${id.task}`
    if (this.#startedTasks.has(k)) return
    if (state === 'RUNNING' || state === 'PAUSED' || state === 'FAILED') {
      this.#startedTasks.add(k)
      this.#taskStartups.record(state !== 'FAILED')
    }
  }

  /** A task was removed (Java's recordTaskRemoved): the connector's group goes with its last task here. */
  taskRemoved(id: TaskId): void {
    this.#startedTasks.delete(`${id.connector}\u0000${id.task}`)
    if (this.#view.tasks().some((t) => t.connector === id.connector)) return
    this.#perConnector.get(id.connector)?.close()
    this.#perConnector.delete(id.connector)
  }
}

/**
 * app-info of the worker (Java's AppInfoParser, registered by ConnectMetrics with the worker id): the version GET /
 * reports, the commit, and the start time.
 */
export function addAppInfo(registry: MetricsRegistry, workerId: string): void {
  const started = registry.clock.now()
  registry
    .group(CONNECT_DOMAIN, 'app-info', [['client-id', workerId]])
    .info('version', () => CONNECT_API_VERSION)
    .info('commit-id', () => TSCONNECT_COMMIT)
    .gauge('start-time-ms', () => started)
}
