/**
 * Builds a task from its connector's config and its own (both resolved). The connector config is parsed once with
 * the sink or source ConfigDef (Java's `new SinkConnectorConfig(plugins, connProps)` in Worker.startTask); the
 * parts every task has (plugin instances, error handling with its log and dead letter queue reporters) are built
 * once, then a builder per kind adds its clients and loop: source, exactly-once source, sink. What is opened goes
 * on one clean-up stack. Anything that fails here fails the task before it runs.
 */
import type { SinkConnector, SourceConnector } from '../api/connector.ts'
import type { SinkTask, SourceTask, Task, TransactionBoundary } from '../api/task.ts'
import {
  type ConnectorConfig,
  parseSinkConnectorConfig,
  parseSourceConnectorConfig,
} from '../config/connect/connector-config.ts'
import type { WorkerConfig } from '../config/connect/worker-config.ts'
import { ConfigError, ConnectError } from '../errors.ts'
import type { TopicAdminClient } from '../kafka/topic-admin.ts'
import type { MetricsRegistry } from '../metrics/registry.ts'
import { newConverter, newHeaderConverter } from '../plugins/converter-factory.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConfigMap, TaskId } from '../stores/config-store.ts'
import { ConnectorOffsetStore } from '../stores/connector-offset-store.ts'
import type { OffsetStore } from '../stores/offset-store.ts'
import { buildTransformationChain } from '../transforms/chain.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import type { Clock } from '../util/clock.ts'
import { withoutNulls } from '../util/config-map.ts'
import type { Logger } from '../util/log.ts'
import { adminConfigs, clientId, consumerConfigs, producerConfigs } from './client-configs.ts'
import {
  type ErrorHandlingConfig,
  type ErrorReporter,
  errorHandlingConfig,
  RetryWithTolerance,
} from './error-handling.ts'
import { DeadLetterQueueReporter, LogReporter } from './error-reporters.ts'
import { runExactlyOnceSourceLoop, WorkerTransactionContext } from './exactly-once-source-loop.ts'
import { StoreOffsetReader } from './offset-reader.ts'
import type { RecordPipeline } from './record-pipeline.ts'
import { runSinkLoop, type SinkLoopStats } from './sink-loop.ts'
import { runSourceLoop, type SourceLoopStats } from './source-loop.ts'
import type { TaskClients } from './task-clients.ts'
import { TaskControl } from './task-control.ts'
import { SinkTaskMetrics, SourceTaskMetrics, TaskMetrics } from './task-metrics.ts'
import { TopicCreator, topicCreationGroups } from './topic-creation.ts'
import type { ExactlyOnceSourceHooks } from './worker-api.ts'

/** What building a task needs from the worker. */
export interface TaskFactoryDeps {
  workerConfig: WorkerConfig
  plugins: PluginRegistry
  offsetStore: OffsetStore
  /** Opens (unstarted) the offset store of a connector's own offsets topic (connector key offsets.storage.topic). */
  connectorOffsetStore?: ((topic: string) => OffsetStore) | undefined
  clients: TaskClients
  /** Records that a connector's task used a topic (KIP-558); absent when topic.tracking.enable=false. */
  trackTopic?: ((id: TaskId, topic: string) => void) | undefined
  /** Present when the worker runs source tasks exactly-once (exactly.once.source.support=enabled). */
  exactlyOnce?: ExactlyOnceSourceHooks | undefined
  /** Where the task's metric groups go (none: the task is not measured). */
  metrics?: MetricsRegistry | undefined
  clock: Clock
  log: Logger
}

/** Which task to build, from which (resolved) configs. */
export interface BuildTaskOptions {
  id: TaskId
  connectorConfig: Readonly<ConfigMap>
  taskConfig: Readonly<ConfigMap>
  /** Start the task paused. */
  paused: boolean
  /** The generation of the task configs it was started with (exactly-once source tasks check it). */
  taskConfigGeneration?: number | undefined
}

/** A built task: its control, its loop and what to release after it. */
export interface BuiltTask {
  kind: 'source' | 'sink'
  control: TaskControl
  loop: () => Promise<void>
  cleanup: () => Promise<void>
  stats: SourceLoopStats | SinkLoopStats
  /** The task's metric groups, closed by the worker when it removes the task (a failed task keeps them). */
  metrics?: TaskMetrics | undefined
}

/** What every task has, built before its kind's builder runs. */
interface TaskParts {
  kind: 'source' | 'sink'
  deps: TaskFactoryDeps
  id: TaskId
  /** The connector config, parsed with its kind's ConfigDef. */
  config: ConnectorConfig
  /** The task config without nulls, as the task gets it. */
  taskProps: Record<string, string>
  task: Task
  pipeline: RecordPipeline
  /** Whether a log or dead letter queue reporter is configured (errantRecordReporter() is null otherwise). */
  hasErrantReporter: boolean
  control: TaskControl
  resources: AsyncDisposableStack
  cleanup: () => Promise<void>
  metrics: TaskMetrics | undefined
  log: Logger
}

/** Builds a task; see the file comment. */
export function buildTask(deps: TaskFactoryDeps, o: BuildTaskOptions): BuiltTask {
  const log = deps.log.child({ connector: o.id.connector, task: o.id.task })
  const resources = new AsyncDisposableStack()
  let parts: TaskParts | undefined
  try {
    parts = buildTaskParts(deps, o, resources, log)
    if (parts.kind === 'sink') return buildSinkTask(parts)
    if (deps.exactlyOnce) return buildExactlyOnceSourceTask(parts, deps.exactlyOnce, o.taskConfigGeneration)
    return buildSourceTask(parts)
  } catch (error) {
    // Building failed: release what was opened; the task's own failure is the one to report. As in Java, a task
    // that never ran has no metrics.
    parts?.metrics?.close()
    resources.disposeAsync().catch((err: unknown) => log.warn({ err }, 'releasing a task that failed to build'))
    throw error
  }
}

/** Registers a clean-up step whose failure is logged, so that the steps after it still run. */
function release(resources: AsyncDisposableStack, log: Logger, close: () => unknown): void {
  resources.defer(async () => {
    try {
      await close()
    } catch (err) {
      log.warn({ err }, 'closing a task resource failed')
    }
  })
}

function buildTaskParts(
  deps: TaskFactoryDeps,
  o: BuildTaskOptions,
  resources: AsyncDisposableStack,
  log: Logger,
): TaskParts {
  const { id } = o
  const props: Record<string, string> = { name: id.connector, ...withoutNulls(o.connectorConfig) }
  const plugin = deps.plugins.resolve('connector', props['connector.class'] ?? '')
  const config = plugin.type === 'sink' ? parseSinkConnectorConfig(props) : parseSourceConnectorConfig(props)
  const tasksMax = config.getInt('tasks.max') ?? 1
  if (config.bool('tasks.max.enforce') && id.task >= tasksMax) {
    throw new ConnectError(
      'INVALID_CONFIG',
      `Task ${id.connector}-${id.task} is not allowed to start: the connector's tasks.max is ${tasksMax} and tasks.max.enforce is true`,
    )
  }
  const connector = plugin.newInstance() as SourceConnector | SinkConnector
  const task = new (connector.taskClass())()
  const wc = deps.workerConfig.props
  const keyConverter = newConverter(deps.plugins, 'key', props, wc)
  release(resources, log, () => keyConverter.close?.())
  const valueConverter = newConverter(deps.plugins, 'value', props, wc)
  release(resources, log, () => valueConverter.close?.())
  const headerConverter = newHeaderConverter(deps.plugins, props, wc)
  release(resources, log, () => headerConverter.close?.())
  const transforms = buildTransformationChain(deps.plugins, props)
  release(resources, log, () => transforms.close())
  const control = new TaskControl(o.paused, deps.clock)
  const errorConfig = errorHandlingConfig(config)
  const reporters = errorReporters(deps, id, config.props, errorConfig, resources, log)
  const errors = new RetryWithTolerance({
    config: errorConfig,
    reporters,
    clock: deps.clock,
    signal: control.hardSignal,
  })
  const metrics = deps.metrics ? new TaskMetrics(deps.metrics, id, o.paused ? 'PAUSED' : 'RUNNING') : undefined
  metrics?.errors(id, {
    get failures() {
      return errors.failures
    },
    get errors() {
      return errors.errors
    },
    get skipped() {
      return errors.skipped
    },
    get retries() {
      return errors.retries
    },
    get lastFailureTime() {
      return errors.lastFailureTime
    },
    logged: () => sum(reporters, (r) => (r instanceof LogReporter ? r.logged : 0)),
    dlqRequests: () => sum(reporters, (r) => (r instanceof DeadLetterQueueReporter ? r.requests : 0)),
    dlqFailures: () => sum(reporters, (r) => (r instanceof DeadLetterQueueReporter ? r.failures : 0)),
  })
  const name = (x: object) => x.constructor.name
  return {
    kind: plugin.type === 'sink' ? 'sink' : 'source',
    deps,
    id,
    config,
    taskProps: withoutNulls(o.taskConfig),
    task,
    pipeline: {
      keyConverter,
      valueConverter,
      headerConverter,
      transforms,
      errors,
      names: { key: name(keyConverter), value: name(valueConverter), header: name(headerConverter) },
    },
    hasErrantReporter: reporters.length > 0,
    control,
    resources,
    cleanup: () => resources.disposeAsync(),
    metrics,
    log,
  }
}

const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((n, item) => n + of(item), 0)

/** The log reporter (errors.log.enable) and the dead letter queue reporter (errors.deadletterqueue.topic.name). */
function errorReporters(
  deps: TaskFactoryDeps,
  id: TaskId,
  connectorProps: Readonly<Record<string, string>>,
  errorConfig: ErrorHandlingConfig,
  resources: AsyncDisposableStack,
  log: Logger,
): ErrorReporter[] {
  const reporters: ErrorReporter[] = []
  if (errorConfig.logEnable) {
    reporters.push(new LogReporter(log, `${id.connector}-${id.task}`, errorConfig.logIncludeMessages))
  }
  if (errorConfig.dlqTopic === '') return reporters
  const wc = deps.workerConfig.props
  let admin: TopicAdminClient | undefined
  const dlq = new DeadLetterQueueReporter({
    sender: deps.clients.sender({
      ...producerConfigs(id.connector, id.task, connectorProps, wc),
      'client.id': clientId('dlq-producer', id.connector, id.task),
    }),
    topic: errorConfig.dlqTopic,
    connector: id.connector,
    task: id.task,
    contextHeaders: errorConfig.dlqContextHeaders,
    log,
    ensureTopic: async () => {
      admin ??= deps.clients.admin(adminConfigs(id.connector, id.task, connectorProps, wc))
      // createTopic answers 'exists' for a topic that is there already.
      await admin.createTopic({
        name: errorConfig.dlqTopic,
        partitions: 1,
        replicationFactor: errorConfig.dlqReplicationFactor,
        configs: {},
      })
    },
  })
  reporters.push(dlq)
  release(resources, log, () => dlq.close())
  release(resources, log, () => admin?.close())
  return reporters
}

/** KIP-558: the worker's topic tracking for this task, when on. */
function topicTracking(parts: TaskParts): { trackTopic?: (topic: string) => void } {
  const track = parts.deps.trackTopic
  return track ? { trackTopic: (topic: string) => track(parts.id, topic) } : {}
}

/** An at-least-once source task: a producer, and offsets committed every offset.flush.interval.ms. */
function buildSourceTask(parts: TaskParts): BuiltTask {
  const { deps, id, config, control, log } = parts
  const wc = deps.workerConfig
  const sender = deps.clients.sender(producerConfigs(id.connector, id.task, config.props, wc.props))
  release(parts.resources, log, () => sender.close())
  const source = sourceTaskResources(parts)
  const stats: SourceLoopStats = { polled: 0, sent: 0, dropped: 0, skipped: 0, commits: 0 }
  const loop = async () => {
    await source.start(null)
    await runSourceLoop(
      {
        connector: id.connector,
        task: source.task,
        pipeline: parts.pipeline,
        sender,
        writeOffsets: (entries, timeoutMs) => source.offsets.set(entries, { timeoutMs }),
        topicCreator: source.topicCreator,
        control,
        offsetFlushIntervalMs: wc.number('offset.flush.interval.ms'),
        offsetFlushTimeoutMs: wc.number('offset.flush.timeout.ms'),
        maxInFlightRecords: wc.number('tsconnect.source.max.inflight.records'),
        clock: deps.clock,
        log,
        ...topicTracking(parts),
        metrics: parts.metrics && new SourceTaskMetrics(parts.metrics, id),
      },
      stats,
    )
  }
  return { kind: 'source', control, loop, cleanup: parts.cleanup, stats, metrics: parts.metrics }
}

/** A sink task: a consumer in the connector's group, subscribed to topics or topics.regex. */
function buildSinkTask(parts: TaskParts): BuiltTask {
  const { deps, id, config, control, log } = parts
  const sinkTask = parts.task as SinkTask
  const consumerProps = consumerConfigs(id.connector, id.task, config.props, deps.workerConfig.props)
  const topics = config.list('topics')
  const regex = config.string('topics.regex')
  if (topics.length > 0 && regex !== '') {
    throw new ConfigError('The topics and topics.regex configs must not both be set', 'topics')
  }
  if (topics.length === 0 && regex === '') {
    throw new ConfigError('Must configure one of topics or topics.regex', 'topics')
  }
  const dlqTopic = config.string('errors.deadletterqueue.topic.name')
  if (dlqTopic !== '' && (topics.includes(dlqTopic) || (regex !== '' && new RegExp(`^(?:${regex})$`).test(dlqTopic)))) {
    throw new ConfigError(
      `The DLQ topic '${dlqTopic}' may not be included in the list of topics to consume`,
      'errors.deadletterqueue.topic.name',
    )
  }
  const consumer = deps.clients.sinkConsumer(
    consumerProps,
    {
      groupId: consumerProps['group.id'] ?? `connect-${id.connector}`,
      topics: topics.length > 0 ? topics : new RegExp(`^(?:${regex})$`),
    },
    log,
  )
  const stats: SinkLoopStats = { read: 0, put: 0, skipped: 0, commits: 0 }
  const loop = async () => {
    await runSinkLoop(
      {
        task: sinkTask,
        taskConfig: parts.taskProps,
        start: () => sinkTask.start(parts.taskProps),
        consumer,
        pipeline: parts.pipeline,
        hasErrantReporter: parts.hasErrantReporter,
        control,
        offsetFlushIntervalMs: deps.workerConfig.number('offset.flush.interval.ms'),
        clock: deps.clock,
        log,
        ...topicTracking(parts),
        metrics: parts.metrics && new SinkTaskMetrics(parts.metrics, id),
      },
      stats,
    )
  }
  return { kind: 'sink', control, loop, cleanup: parts.cleanup, stats, metrics: parts.metrics }
}

/**
 * What every source task needs besides its producer, whether exactly-once or not: the topic creator (KIP-158), the
 * offsets (a connector's own offsets topic is read first and written first; the worker's topic stays the
 * fallback), and a start that initializes and starts the task and calls its stop() once, on the soft stop (stop()
 * may be the only way to make a pending poll() return, as Java does). Each is released with the task.
 */
function sourceTaskResources(parts: TaskParts) {
  const { deps, id, config, control, log, resources } = parts
  const task = parts.task as SourceTask
  const wc = deps.workerConfig
  const groups = topicCreationGroups(config.props, wc)
  const topicCreator = groups
    ? new TopicCreator(deps.clients.admin(adminConfigs(id.connector, id.task, config.props, wc.props)), groups)
    : null
  if (topicCreator) release(resources, log, () => topicCreator.close())
  let stopped = false
  const stopTask = async () => {
    if (stopped) return
    stopped = true
    try {
      await task.stop()
    } catch (err) {
      log.warn({ err }, 'the task threw from stop()')
    }
  }
  const ownTopic = config.string('offsets.storage.topic')
  let offsets: Pick<OffsetStore, 'get' | 'lookup' | 'set'> = deps.offsetStore
  let ownStore: OffsetStore | undefined
  if (ownTopic !== '' && deps.connectorOffsetStore) {
    const opened = deps.connectorOffsetStore(ownTopic)
    ownStore = opened
    offsets = new ConnectorOffsetStore({ connector: opened, worker: deps.offsetStore, logger: log })
    release(resources, log, () => opened.stop())
  }
  // Registered last, so it runs first: the task stops before what it uses is closed.
  release(resources, log, stopTask)
  /** Opens the connector's own offsets store, then initializes and starts the task. */
  const start = async (transactionContext: WorkerTransactionContext | null, beforeStart?: () => Promise<void>) => {
    await ownStore?.start({ signal: control.hardSignal })
    await beforeStart?.()
    task.initialize({
      configs: () => parts.taskProps,
      offsetStorageReader: () => new StoreOffsetReader(offsets, id.connector),
      transactionContext: () => transactionContext,
    })
    await task.start(parts.taskProps)
    control.softSignal.addEventListener('abort', () => void stopTask(), { once: true })
  }
  return { task, topicCreator, offsets, ownTopic, start }
}

/**
 * An exactly-once source task (KIP-618): a transactional producer with transactional.id
 * `<group.id>-<connector>-<task>`, started after the leader fenced the connector's zombies, and checked against
 * the config topic once it claimed its id; records and offsets are then written in the same transactions.
 */
function buildExactlyOnceSourceTask(
  parts: TaskParts,
  hooks: ExactlyOnceSourceHooks,
  taskConfigGeneration: number | undefined,
): BuiltTask {
  const { deps, id, config, control, log } = parts
  const wc = deps.workerConfig
  const boundary = config.string('transaction.boundary').toLowerCase() as TransactionBoundary
  const intervalMs = config.getLong('transaction.boundary.interval.ms') ?? wc.number('offset.flush.interval.ms')
  if (!deps.clients.transactionalSender) {
    throw new ConfigError('These task clients cannot produce transactionally', 'exactly.once.source.support')
  }
  const transactionalId = `${wc.string('group.id')}-${id.connector}-${id.task}`
  const sender = deps.clients.transactionalSender({
    ...producerConfigs(id.connector, id.task, config.props, wc.props),
    'transactional.id': transactionalId,
  })
  release(parts.resources, log, () => sender.close())
  const source = sourceTaskResources(parts)
  // With exactly-once, offsets go to the connector's own topic, which defaults to the worker's (Java's rule).
  const offsetsTopic = source.ownTopic !== '' ? source.ownTopic : wc.string('offset.storage.topic')
  const context = boundary === 'connector' ? new WorkerTransactionContext() : null
  const stats: SourceLoopStats = { polled: 0, sent: 0, dropped: 0, skipped: 0, commits: 0 }
  const loop = async () => {
    await source.start(context, async () => {
      log.debug('Performing the preflight zombie check')
      await retryUntilStopped(() => hooks.fenceZombies(id.connector), control, deps.clock, log)
      log.debug({ transactionalId }, 'Initializing the transactional producer')
      await sender.init()
      log.debug('Checking that the task configs are current and the task is still assigned here')
      await hooks.verifyStillOwned(id, taskConfigGeneration)
      log.info({ transactionalId, boundary }, 'Starting the exactly-once source task')
    })
    await runExactlyOnceSourceLoop(
      {
        connector: id.connector,
        task: source.task,
        pipeline: parts.pipeline,
        sender,
        offsetsTopic,
        boundary,
        boundaryIntervalMs: intervalMs,
        transactionContext: context,
        topicCreator: source.topicCreator,
        control,
        clock: deps.clock,
        log,
        ...topicTracking(parts),
        metrics: parts.metrics && new SourceTaskMetrics(parts.metrics, id),
      },
      stats,
    )
  }
  return { kind: 'source', control, loop, cleanup: parts.cleanup, stats, metrics: parts.metrics }
}

/** How long a starting exactly-once task keeps asking for its fencing round (the leader may be moving). */
const FENCING_RETRY_MS = 120_000

/**
 * Retries the preflight fencing with backoff while the task is not stopped: right after a rebalance the leader
 * may be gone or unknown, and the round succeeds once the group settles. Typed errors that are not retriable (not a
 * source connector, not found, a conflict with newer task configs, a fatal Kafka error) fail the task at once.
 */
async function retryUntilStopped(
  fn: () => Promise<void>,
  control: TaskControl,
  clock: Clock,
  log: Logger,
): Promise<void> {
  const deadline = clock.now() + FENCING_RETRY_MS
  for (let attempt = 1; ; attempt++) {
    try {
      await fn()
      return
    } catch (error) {
      // A typed error says whether another try may pass; anything else (an I/O failure on the way to the leader)
      // is taken as passing.
      const refused = error instanceof ConnectError && !error.retriable
      if (refused || control.stopping || clock.now() >= deadline) throw error
      const backoff = exponentialBackoff(attempt, 250, 5000)
      log.warn({ err: error, attempt, backoffMs: backoff }, 'zombie fencing before the task starts failed; retrying')
      await control.waitForChange(backoff)
    }
  }
}
