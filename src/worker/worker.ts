/**
 * The worker (Java's Worker): runs the connectors and tasks the herder gives it, writes their statuses, and tells
 * the herder what only it can see (worker-api.ts is the contract). Raw configs come in; they are resolved through
 * `configResolver` (config providers) when a connector or task starts, and never logged.
 *
 * State: two maps (connectors and tasks running here), owned by the worker's public methods; each running task is
 * owned by its TaskRunner. At most `maxConcurrentStarts` starts run at once (Limiter); stops all run at once,
 * with one shared deadline.
 */
import type { SinkConnector, SourceConnector } from '../api/connector.ts'
import type { SourcePartition } from '../api/records.ts'
import type { WorkerConfig } from '../config/connect/worker-config.ts'
import { BadRequestError, ConnectError, NotFoundError, toError } from '../errors.ts'
import type { MetricsRegistry } from '../metrics/registry.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { decodeOffsetValue, encodeOffsetKey, encodeOffsetValue, type OffsetMap } from '../protocol/offset-records.ts'
import type { OffsetStore } from '../stores/offset-store.ts'
import type { ConnectState, StatusStore } from '../stores/status-store.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import { withoutNulls } from '../util/config-map.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'
import { adminConfigs, consumerConfigs } from './client-configs.ts'
import { ConnectorRunner } from './connector-runner.ts'
import { Limiter } from './limiter.ts'
import { StopDeadline } from './stop-deadline.ts'
import { KafkaTaskClients, type TaskClients } from './task-clients.ts'
import { type BuiltTask, buildTask } from './task-factory.ts'
import { TaskRunner, traceOf } from './task-runner.ts'
import type {
  ConfigMap,
  ConnectorKind,
  ExactlyOnceSourceHooks,
  PartitionOffset,
  TargetState,
  TaskId,
  WorkerApi,
  WorkerListener,
} from './worker-api.ts'
import { WorkerMetrics } from './worker-metrics.ts'

/** What a Worker is made of. */
export interface WorkerOptions {
  /** host:port of this worker's advertised REST URL. */
  workerId: string
  /** The worker config (bootstrap.servers, converters, producer.* / consumer.* / admin.*, offset.flush.*...). */
  config: WorkerConfig
  plugins: PluginRegistry
  offsetStore: OffsetStore
  /**
   * Opens (unstarted) an offset store on a connector's own offsets topic (connector key offsets.storage.topic),
   * e.g. `(topic) => createKafkaOffsetStore(props, { topic })`. Without it that key is ignored.
   */
  connectorOffsetStore?: (topic: string) => OffsetStore
  statusStore: StatusStore
  listener?: WorkerListener
  /** Resolves config-provider variables (identity by default). */
  configResolver?: (config: ConfigMap) => Promise<ConfigMap>
  /** The group generation statuses are written with (default 0). */
  generation?: () => number
  /**
   * Source tasks run exactly-once (exactly.once.source.support=enabled): the herder's fencing and ownership checks
   * around each task's transactional producer. Without it source tasks run at-least-once.
   */
  exactlyOnce?: ExactlyOnceSourceHooks
  /** Starts and stops at once (default 8, as Java's). */
  maxConcurrentStarts?: number
  /** The task clients (default: on Kafka). */
  clients?: TaskClients
  /** Where the worker's, connectors' and tasks' metric groups go (none: nothing is measured). */
  metrics?: MetricsRegistry
  clock?: Clock
  logger?: Logger
}

const taskKey = (id: TaskId) => `${id.connector}-${id.task}`

interface RunningTask {
  id: TaskId
  runner: TaskRunner
  built: BuiltTask
}

/** The worker; see the file comment. */
export class Worker implements WorkerApi {
  readonly workerId: string
  readonly #o: WorkerOptions
  readonly #log: Logger
  readonly #limiter: Limiter
  readonly #clients: TaskClients
  readonly #clock: Clock
  readonly #connectors = new Map<string, ConnectorRunner>()
  readonly #tasks = new Map<string, RunningTask>()
  #stopping = false
  /** connector + topic pairs already recorded (or being recorded) as active by this worker. */
  readonly #activeTopics = new Set<string>()
  /** Plugin versions by connector name or task key, for the statuses this worker writes. */
  readonly #versions = new Map<string, string>()
  readonly #metrics: WorkerMetrics | undefined

  constructor(o: WorkerOptions) {
    this.workerId = o.workerId
    this.#o = o
    this.#log = o.logger ?? componentLogger('worker')
    this.#limiter = new Limiter(o.maxConcurrentStarts ?? 8)
    this.#clients = o.clients ?? new KafkaTaskClients()
    this.#clock = o.clock ?? systemClock
    this.#metrics = o.metrics
      ? new WorkerMetrics(o.metrics, {
          connectorCount: () => this.#connectors.size,
          tasks: () => this.runningTasks(),
          taskState: (id) => o.statusStore.task(id.connector, id.task)?.state,
        })
      : undefined
  }

  connectorKind(config: ConfigMap): ConnectorKind {
    const name = config['connector.class']
    if (!name) return 'unknown'
    try {
      return this.#o.plugins.find('connector', name)?.type ?? 'unknown'
    } catch {
      return 'unknown'
    }
  }

  #resolve(config: ConfigMap): Promise<ConfigMap> {
    return this.#o.configResolver ? this.#o.configResolver(config) : Promise.resolve(config)
  }

  get #topicTracking(): boolean {
    return this.#o.config.getBoolean('topic.tracking.enable') ?? true
  }

  /** Java's recordActiveTopic: the first use of a topic by a connector is written to the status topic once. */
  #trackTopic(id: TaskId, topic: string): void {
    const k = `${id.connector}\u0000${topic}`
    if (this.#activeTopics.has(k)) return
    this.#activeTopics.add(k)
    if (this.#o.statusStore.topic(id.connector, topic)) return
    const status = { topic, connector: id.connector, task: id.task, discoverTimestamp: this.#clock.now() }
    this.#o.statusStore.putTopic(status).catch((err: unknown) => {
      this.#activeTopics.delete(k)
      this.#log.warn({ err, topic, connector: id.connector }, 'recording an active topic failed')
    })
  }

  /** Statuses carry the plugin's version, as Kafka 4.1+ writes them (KIP-891); tasks report their connector's. */
  #rememberVersion(key: string, version: string | undefined): void {
    if (version === undefined) this.#versions.delete(key)
    else this.#versions.set(key, version)
  }

  #generation(): number {
    return this.#o.generation?.() ?? 0
  }

  async #connectorStatus(connector: string, state: ConnectState, trace: string | null, safe = false) {
    const version = this.#versions.get(connector) ?? null
    const status = { connector, state, trace, workerId: this.workerId, generation: this.#generation(), version }
    await (safe ? this.#o.statusStore.putSafe(status) : this.#o.statusStore.put(status))
  }

  async #taskStatus(id: TaskId, state: ConnectState, trace: string | null, safe = false) {
    const version = this.#versions.get(taskKey(id)) ?? null
    const status = { ...id, state, trace, workerId: this.workerId, generation: this.#generation(), version }
    await (safe ? this.#o.statusStore.putSafe(status) : this.#o.statusStore.put(status))
  }

  #checkRunning(): void {
    if (this.#stopping) throw new ConnectError('ABORTED', 'the worker is stopping')
  }

  startConnector(connector: string, config: ConfigMap, targetState: TargetState): Promise<boolean> {
    this.#checkRunning()
    return this.#limiter.run(async () => {
      if (this.#connectors.has(connector)) {
        this.#log.warn({ connector }, 'the connector already runs here')
        return true
      }
      const log = this.#log.child({ connector })
      let runner: ConnectorRunner
      let shown: { className: string; type: string }
      try {
        const resolved = await this.#resolve(config)
        const plugin = this.#o.plugins.resolve('connector', resolved['connector.class'] ?? '')
        this.#rememberVersion(connector, plugin.version)
        shown = { className: plugin.displayName, type: plugin.type }
        runner = new ConnectorRunner({
          name: connector,
          plugin,
          config: resolved,
          offsetStore: this.#o.offsetStore,
          log,
          hooks: {
            writeStatus: (state, trace) => {
              this.#metrics?.connectorState(connector, state)
              return this.#connectorStatus(connector, state, trace, state === 'FAILED')
            },
            onReconfigurationRequest: () => this.#o.listener?.onTaskReconfigurationRequest(connector),
            onFailure: (error) => this.#o.listener?.onConnectorFailure?.(connector, error),
          },
        })
      } catch (error) {
        const err = toError(error)
        log.error({ err }, 'the connector could not be created')
        this.#metrics?.connectorCreationFailed()
        await this.#connectorStatus(connector, 'FAILED', traceOf(err), true)
        this.#o.listener?.onConnectorFailure?.(connector, err)
        return false
      }
      this.#connectors.set(connector, runner)
      this.#metrics?.connectorCreated(connector, { ...shown, version: this.#versions.get(connector) })
      return runner.transitionTo(targetState)
    })
  }

  async connectorTaskConfigs(connector: string): Promise<ConfigMap[]> {
    const runner = this.#connectors.get(connector)
    if (!runner) throw new NotFoundError(`Connector ${connector} not found`)
    return runner.taskConfigs()
  }

  async setTargetState(connector: string, targetState: TargetState): Promise<void> {
    const runner = this.#connectors.get(connector)
    if (runner) await runner.transitionTo(targetState)
    // STOPPED tasks are stopped by the herder (it stops them through stopTasks); PAUSED and STARTED apply here.
    if (targetState === 'STOPPED') return
    await Promise.all(
      [...this.#tasks.values()]
        .filter((t) => t.id.connector === connector && !t.runner.failed)
        .map((t) => t.runner.setPaused(targetState === 'PAUSED')),
    )
  }

  startTask(
    task: TaskId,
    connectorConfig: ConfigMap,
    taskConfig: ConfigMap,
    targetState: TargetState,
    taskConfigGeneration?: number,
  ): Promise<boolean> {
    this.#checkRunning()
    // The limiter bounds building the task; its RUNNING record is awaited outside the slot, so that
    // a worker starting hundreds of tasks has their status writes in flight together, not 8 round trips at a time.
    return this.#limiter
      .run(() => this.#buildTask(task, connectorConfig, taskConfig, targetState, taskConfigGeneration))
      .then((started) => (typeof started === 'boolean' ? started : started()))
  }

  /** Builds a task and registers it; answers false when it failed, or how to write its status and run it. */
  async #buildTask(
    task: TaskId,
    connectorConfig: ConfigMap,
    taskConfig: ConfigMap,
    targetState: TargetState,
    taskConfigGeneration: number | undefined,
  ): Promise<boolean | (() => Promise<boolean>)> {
    const k = taskKey(task)
    if (this.#tasks.has(k)) {
      this.#log.warn({ task: k }, 'the task already runs here')
      return true
    }
    const log = this.#log.child({ connector: task.connector, task: task.task })
    let built: BuiltTask
    try {
      const [cc, tc] = await Promise.all([this.#resolve(connectorConfig), this.#resolve(taskConfig)])
      this.#rememberVersion(k, this.#o.plugins.resolve('connector', cc['connector.class'] ?? '').version)
      built = buildTask(
        {
          workerConfig: this.#o.config,
          plugins: this.#o.plugins,
          offsetStore: this.#o.offsetStore,
          connectorOffsetStore: this.#o.connectorOffsetStore,
          clients: this.#clients,
          trackTopic: this.#topicTracking ? (id, topic) => this.#trackTopic(id, topic) : undefined,
          exactlyOnce: this.#o.exactlyOnce,
          metrics: this.#metrics?.registry,
          clock: this.#clock,
          log: this.#log,
        },
        {
          id: task,
          connectorConfig: cc,
          taskConfig: tc,
          paused: targetState === 'PAUSED',
          taskConfigGeneration,
        },
      )
    } catch (error) {
      const err = toError(error)
      log.error({ err }, 'the task could not be created')
      this.#metrics?.taskCreationFailed()
      await this.#taskStatus(task, 'FAILED', traceOf(err), true)
      this.#o.listener?.onTaskFailure?.(task, err)
      return false
    }
    const runner = new TaskRunner({
      control: built.control,
      loop: built.loop,
      cleanup: built.cleanup,
      writeStatus: (state, trace) => {
        built.metrics?.state(state)
        this.#metrics?.taskState(task, state)
        return this.#taskStatus(task, state, trace, state === 'FAILED')
      },
      onFailure: (error) => this.#o.listener?.onTaskFailure?.(task, error),
      gracefulTimeoutMs: this.#o.config.number('task.shutdown.graceful.timeout.ms'),
      clock: this.#clock,
      log,
    })
    this.#tasks.set(k, { id: task, runner, built })
    const initial = targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING'
    this.#metrics?.taskAdded(task)
    this.#metrics?.taskState(task, initial)
    const status = this.#taskStatus(task, initial, null)
    return async () => {
      // As before: the task runs once its status is written, so that a FAILED of its own comes after it.
      await status
      runner.start()
      return true
    }
  }

  /**
   * Java's stopAndAwaitConnectors: every connector is told to stop at once, and all share one deadline
   * (task.shutdown.graceful.timeout.ms, Java's fixed 5 s for connectors is the same by default); one whose stop()
   * has not returned by then is left to finish on its own. Stops are not bounded by the start limiter: a stop
   * waits on plugin code, and queueing 100 slow stops 8 at a time made one deletion wave last minutes.
   */
  async stopConnectors(connectors: readonly string[]): Promise<void> {
    const deadline = this.#deadline()
    await Promise.all(
      connectors.map(async (name) => {
        const runner = this.#connectors.get(name)
        if (!runner) return
        this.#connectors.delete(name)
        this.#metrics?.connectorRemoved(name)
        const stopped = await deadline.race(runner.stop().then(() => true))
        if (!stopped) {
          this.#log.error(
            { connector: name },
            `Graceful stop of connector failed: it did not stop within ${deadline.ms} ms`,
          )
        }
        if (!runner.failed) await this.#connectorStatus(name, 'UNASSIGNED', null, true).catch(() => {})
      }),
    ).finally(deadline.cancel)
  }

  /**
   * Java's stopAndAwaitTasks: every task gets its soft stop at once and all share one deadline; a task still
   * running at the deadline is abandoned (its hard stop) and forgotten here, and its loop settles in the background.
   */
  async stopTasks(tasks: readonly TaskId[]): Promise<void> {
    const deadline = this.#deadline()
    await Promise.all(
      tasks.map(async (id) => {
        const k = taskKey(id)
        const running = this.#tasks.get(k)
        if (!running) return
        await running.runner.stop(deadline.signal)
        this.#tasks.delete(k)
        running.built.metrics?.close()
        this.#metrics?.taskRemoved(id)
        if (!running.runner.failed) await this.#taskStatus(id, 'UNASSIGNED', null, true).catch(() => {})
      }),
    ).finally(deadline.cancel)
  }

  /** One graceful-stop deadline shared by a batch of stops. */
  #deadline(): StopDeadline {
    return new StopDeadline(this.#o.config.number('task.shutdown.graceful.timeout.ms'), this.#clock)
  }

  runningConnectors(): string[] {
    return [...this.#connectors.keys()]
  }

  runningTasks(): TaskId[] {
    return [...this.#tasks.values()].map((t) => t.id)
  }

  /** Counters of a running task's loop (for metrics and tests). */
  taskStats(task: TaskId): BuiltTask['stats'] | undefined {
    return this.#tasks.get(taskKey(task))?.built.stats
  }

  #sinkGroup(connector: string, config: ConfigMap): string {
    return consumerConfigs(connector, 0, config, this.#o.config.props)['group.id'] ?? `connect-${connector}`
  }

  async connectorOffsets(connector: string, config: ConfigMap): Promise<PartitionOffset[]> {
    if (this.connectorKind(config) === 'sink') {
      const admin = this.#clients.groupOffsets(adminConfigs(connector, 0, config, this.#o.config.props))
      try {
        const offsets = await admin.list(this.#sinkGroup(connector, config))
        return offsets.map((o) => ({
          partition: { kafka_topic: o.topic, kafka_partition: o.partition },
          offset: { kafka_offset: o.offset },
        }))
      } finally {
        await admin.close()
      }
    }
    await this.#o.offsetStore.refresh()
    const out: PartitionOffset[] = []
    for (const known of this.#o.offsetStore.connectorPartitions(connector)) {
      const value = this.#o.offsetStore.lookup(connector, known.partition)
      if (!value) continue
      out.push({ partition: (known.partition ?? {}) as Record<string, unknown>, offset: decodeOffsetValue(value) })
    }
    return out
  }

  async alterConnectorOffsets(
    connector: string,
    config: ConfigMap,
    offsets: readonly PartitionOffset[],
  ): Promise<boolean> {
    const resolved = await this.#resolve(config)
    const plugin = this.#o.plugins.resolve('connector', resolved['connector.class'] ?? '')
    const instance = plugin.newInstance()
    const props = withoutNulls(resolved)
    if (plugin.type === 'sink') {
      const changes = offsets.map((o) => {
        const topic = o.partition.kafka_topic
        const partition = o.partition.kafka_partition
        if (typeof topic !== 'string' || typeof partition !== 'number') {
          throw new BadRequestError('Sink connector offsets need kafka_topic and kafka_partition in each partition')
        }
        const offset = o.offset === null ? null : o.offset.kafka_offset
        if (offset !== null && (typeof offset !== 'number' || offset < 0)) {
          throw new BadRequestError('kafka_offset must be a non-negative number')
        }
        return { topic, partition, offset: offset as number | null }
      })
      const answer = await (instance as SinkConnector).alterOffsets(props, changes)
      const admin = this.#clients.groupOffsets(adminConfigs(connector, 0, config, this.#o.config.props))
      try {
        await admin.alter(this.#sinkGroup(connector, config), changes)
      } finally {
        await admin.close()
      }
      return answer
    }
    const answer = await (instance as SourceConnector).alterOffsets(
      props,
      offsets.map((o) => ({ partition: o.partition as SourcePartition, offset: o.offset })),
    )
    await this.#o.offsetStore.set(
      offsets.map((o) => ({
        key: encodeOffsetKey(connector, o.partition as OffsetMap),
        value: encodeOffsetValue(o.offset as OffsetMap | null),
      })),
    )
    return answer
  }

  async resetConnectorOffsets(connector: string, config: ConfigMap): Promise<boolean> {
    if (this.connectorKind(config) === 'sink') {
      const resolved = await this.#resolve(config)
      const plugin = this.#o.plugins.resolve('sink', resolved['connector.class'] ?? '')
      const current = await this.connectorOffsets(connector, config)
      const props = withoutNulls(resolved)
      const answer = await plugin.newInstance().alterOffsets(
        props,
        current.map((o) => ({
          topic: o.partition.kafka_topic as string,
          partition: o.partition.kafka_partition as number,
          offset: null,
        })),
      )
      const admin = this.#clients.groupOffsets(adminConfigs(connector, 0, config, this.#o.config.props))
      try {
        await admin.deleteGroup(this.#sinkGroup(connector, config))
      } finally {
        await admin.close()
      }
      return answer
    }
    const current = await this.connectorOffsets(connector, config)
    return this.alterConnectorOffsets(
      connector,
      config,
      current.map((o) => ({ partition: o.partition, offset: null })),
    )
  }

  async stop(): Promise<void> {
    this.#stopping = true
    await this.stopTasks(this.runningTasks())
    await this.stopConnectors(this.runningConnectors())
  }
}
