/**
 * Builds a task from its connector's config and its own (both resolved): the plugin instances (task, converters,
 * transforms), the error handling (retry/tolerance, log and dead letter queue reporters), the task's clients, and
 * the loop of its kind, wrapped in a TaskRunner. Anything that fails here fails the task before it runs.
 */
import type { SinkConnector, SourceConnector } from '../api/connector.ts'
import type { SinkTask, SourceTask, TransactionBoundary } from '../api/task.ts'
import { ConfigError, ConnectError } from '../errors.ts'
import type { TopicAdminClient } from '../kafka/topic-admin.ts'
import { newConverter, newHeaderConverter } from '../plugins/converter-factory.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConfigMap, TaskId } from '../stores/config-store.ts'
import { ConnectorOffsetStore } from '../stores/connector-offset-store.ts'
import type { OffsetStore } from '../stores/offset-store.ts'
import { buildTransformationChain } from '../transforms/chain.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { adminConfigs, clientId, consumerConfigs, producerConfigs } from './client-configs.ts'
import { type ErrorReporter, errorHandlingConfig, RetryWithTolerance } from './error-handling.ts'
import { DeadLetterQueueReporter, LogReporter } from './error-reporters.ts'
import { runExactlyOnceSourceLoop, WorkerTransactionContext } from './exactly-once-source-loop.ts'
import { StoreOffsetReader } from './offset-reader.ts'
import type { RecordPipeline } from './record-pipeline.ts'
import { runSinkLoop, type SinkLoopStats } from './sink-loop.ts'
import { runSourceLoop, type SourceLoopStats } from './source-loop.ts'
import type { TaskClients } from './task-clients.ts'
import { TaskControl } from './task-control.ts'
import { TopicCreator, topicCreationGroups } from './topic-creation.ts'
import type { ExactlyOnceSourceHooks } from './worker-api.ts'

/** What building a task needs from the worker. */
export interface TaskFactoryDeps {
  workerConfig: Readonly<ConfigMap>
  plugins: PluginRegistry
  offsetStore: OffsetStore
  /** Opens (unstarted) the offset store of a connector's own offsets topic (connector key offsets.storage.topic). */
  connectorOffsetStore?: ((topic: string) => OffsetStore) | undefined
  clients: TaskClients
  /** Records that a connector's task used a topic (KIP-558); absent when topic.tracking.enable=false. */
  trackTopic?: ((id: TaskId, topic: string) => void) | undefined
  /** Present when the worker runs source tasks exactly-once (exactly.once.source.support=enabled). */
  exactlyOnce?: ExactlyOnceSourceHooks | undefined
  clock: Clock
  log: Logger
}

/** A built task: its control, its loop and what to release after it. */
export interface BuiltTask {
  kind: 'source' | 'sink'
  control: TaskControl
  loop: () => Promise<void>
  cleanup: () => Promise<void>
  stats: SourceLoopStats | SinkLoopStats
}

/** A ConfigMap without null values, as connectors and tasks get their configs. */
export function plainConfig(config: Readonly<ConfigMap>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(config)) if (v !== null) out[k] = v
  return out
}

function num(config: Readonly<ConfigMap>, key: string, fallback: number): number {
  const raw = config[key]
  if (raw == null || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n)) throw new ConfigError(`Invalid value ${raw} for configuration ${key}`, key)
  return n
}

/** Builds a task; `paused` starts it paused. */
export function buildTask(
  deps: TaskFactoryDeps,
  id: TaskId,
  connectorConfig: Readonly<ConfigMap>,
  taskConfig: Readonly<ConfigMap>,
  paused: boolean,
  onPausedChange: (paused: boolean) => void,
  taskConfigGeneration?: number,
): BuiltTask {
  const wc = deps.workerConfig
  const cc = plainConfig(connectorConfig)
  const log = deps.log.child({ connector: id.connector, task: id.task })
  const plugin = deps.plugins.resolve('connector', cc['connector.class'] ?? '')
  const connector = plugin.newInstance() as SourceConnector | SinkConnector
  const task = new (connector.taskClass())()
  const closers: (() => Promise<void> | void)[] = []
  const control = new TaskControl(paused, deps.clock)
  try {
    const keyConverter = newConverter(deps.plugins, 'key', cc, plainConfig(wc))
    const valueConverter = newConverter(deps.plugins, 'value', cc, plainConfig(wc))
    const headerConverter = newHeaderConverter(deps.plugins, cc, plainConfig(wc))
    closers.push(
      () => keyConverter.close?.(),
      () => valueConverter.close?.(),
      () => headerConverter.close?.(),
    )
    const transforms = buildTransformationChain(deps.plugins, cc)
    closers.push(() => transforms.close())
    const errorConfig = errorHandlingConfig(cc)
    const reporters: ErrorReporter[] = []
    const taskName = `${id.connector}-${id.task}`
    if (errorConfig.logEnable) reporters.push(new LogReporter(log, taskName, errorConfig.logIncludeMessages))
    if (errorConfig.dlqTopic !== '') {
      const dlqProducer = {
        ...producerConfigs(id.connector, id.task, connectorConfig, wc),
        'client.id': clientId('dlq-producer', id.connector, id.task),
      }
      let admin: TopicAdminClient | undefined
      const dlq = new DeadLetterQueueReporter({
        sender: deps.clients.sender(dlqProducer),
        topic: errorConfig.dlqTopic,
        connector: id.connector,
        task: id.task,
        contextHeaders: errorConfig.dlqContextHeaders,
        log,
        ensureTopic: async () => {
          admin ??= deps.clients.admin(adminConfigs(id.connector, id.task, connectorConfig, wc))
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
      closers.push(
        () => dlq.close(),
        () => admin?.close(),
      )
    }
    const errors = new RetryWithTolerance({
      config: errorConfig,
      reporters,
      clock: deps.clock,
      signal: control.hardSignal,
    })
    const name = (x: object) => x.constructor.name
    const pipeline: RecordPipeline = {
      keyConverter,
      valueConverter,
      headerConverter,
      transforms,
      errors,
      names: { key: name(keyConverter), value: name(valueConverter), header: name(headerConverter) },
    }
    const flushIntervalMs = num(wc, 'offset.flush.interval.ms', 60000)
    const taskProps = plainConfig(taskConfig)
    const cleanup = async () => {
      for (const close of closers.reverse()) {
        try {
          await close()
        } catch (err) {
          log.warn({ err }, 'closing a task resource failed')
        }
      }
    }

    if (plugin.type === 'source' && deps.exactlyOnce) {
      return buildExactlyOnceSourceTask({
        deps,
        hooks: deps.exactlyOnce,
        id,
        connectorConfig,
        task: task as SourceTask,
        pipeline,
        control,
        closers,
        cleanup,
        log,
        taskProps,
        onPausedChange,
        flushIntervalMs,
        taskConfigGeneration,
      })
    }

    if (plugin.type === 'source') {
      const sourceTask = task as SourceTask
      const sender = deps.clients.sender(producerConfigs(id.connector, id.task, connectorConfig, wc))
      closers.push(() => sender.close())
      const { topicCreator, stopTask, offsets, ownStore } = sourceTaskResources(
        sourceTask,
        deps,
        id,
        connectorConfig,
        closers,
        log,
      )
      const stats: SourceLoopStats = { polled: 0, sent: 0, dropped: 0, skipped: 0, commits: 0 }
      const loop = async () => {
        await ownStore?.start({ signal: control.hardSignal })
        sourceTask.initialize({
          configs: () => taskProps,
          offsetStorageReader: () => new StoreOffsetReader(offsets, id.connector),
          transactionContext: () => null,
        })
        await sourceTask.start(taskProps)
        // stop() may be the only way to make a pending poll() return: call it on the soft stop, as Java does.
        control.softSignal.addEventListener('abort', () => void stopTask(), { once: true })
        await runSourceLoop(
          {
            connector: id.connector,
            task: sourceTask,
            pipeline,
            sender,
            writeOffsets: (entries, timeoutMs) => offsets.set(entries, { timeoutMs }),
            topicCreator,
            control,
            offsetFlushIntervalMs: flushIntervalMs,
            offsetFlushTimeoutMs: num(wc, 'offset.flush.timeout.ms', 5000),
            maxInFlightRecords: num(wc, 'tsconnect.source.max.inflight.records', 20000),
            clock: deps.clock,
            log,
            onPausedChange,
            ...(deps.trackTopic ? { trackTopic: (topic: string) => deps.trackTopic?.(id, topic) } : {}),
          },
          stats,
        )
      }
      return { kind: 'source', control, loop, cleanup, stats }
    }

    const sinkTask = task as SinkTask
    const consumerProps = consumerConfigs(id.connector, id.task, connectorConfig, wc)
    const topics = (cc.topics ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')
    const regex = (cc['topics.regex'] ?? '').trim()
    if (topics.length > 0 && regex !== '') {
      throw new ConfigError('The topics and topics.regex configs must not both be set', 'topics')
    }
    if (topics.length === 0 && regex === '') {
      throw new ConfigError('Must configure one of topics or topics.regex', 'topics')
    }
    if (
      errorConfig.dlqTopic !== '' &&
      (topics.includes(errorConfig.dlqTopic) ||
        (regex !== '' && new RegExp(`^(?:${regex})$`).test(errorConfig.dlqTopic)))
    ) {
      throw new ConfigError(
        `The DLQ topic '${errorConfig.dlqTopic}' may not be included in the list of topics to consume`,
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
          taskConfig: taskProps,
          start: () => sinkTask.start(taskProps),
          consumer,
          pipeline,
          hasErrantReporter: reporters.length > 0,
          control,
          offsetFlushIntervalMs: flushIntervalMs,
          clock: deps.clock,
          log,
          onPausedChange,
          ...(deps.trackTopic ? { trackTopic: (topic: string) => deps.trackTopic?.(id, topic) } : {}),
        },
        stats,
      )
    }
    return { kind: 'sink', control, loop, cleanup, stats }
  } catch (error) {
    for (const close of closers.reverse()) {
      try {
        void Promise.resolve(close()).catch(() => {})
      } catch {
        // Building failed: release what was opened, ignoring further failures.
      }
    }
    throw error
  }
}

/** What building an exactly-once source task takes (the parts buildTask made already). */
interface ExactlyOnceBuild {
  deps: TaskFactoryDeps
  hooks: ExactlyOnceSourceHooks
  id: TaskId
  connectorConfig: Readonly<ConfigMap>
  task: SourceTask
  pipeline: RecordPipeline
  control: TaskControl
  closers: (() => Promise<void> | void)[]
  cleanup: () => Promise<void>
  log: Logger
  taskProps: Record<string, string>
  onPausedChange: (paused: boolean) => void
  flushIntervalMs: number
  taskConfigGeneration: number | undefined
}

/**
 * What every source task needs besides its producer, whether exactly-once or not: the topic creator (KIP-158), a
 * stop that runs once, and the offsets (a connector's own offsets topic is read first and written first; the
 * worker's topic stays the fallback). Each is registered in `closers`.
 */
function sourceTaskResources(
  task: SourceTask,
  deps: TaskFactoryDeps,
  id: TaskId,
  connectorConfig: Readonly<ConfigMap>,
  closers: (() => unknown)[],
  log: Logger,
) {
  const wc = deps.workerConfig
  const groups = topicCreationGroups(connectorConfig, wc)
  const topicCreator = groups
    ? new TopicCreator(deps.clients.admin(adminConfigs(id.connector, id.task, connectorConfig, wc)), groups)
    : null
  if (topicCreator) closers.push(() => topicCreator.close())
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
  closers.unshift(stopTask)
  const ownTopic = (connectorConfig['offsets.storage.topic'] ?? '').trim()
  let offsets: Pick<OffsetStore, 'get' | 'lookup' | 'set'> = deps.offsetStore
  let ownStore: OffsetStore | undefined
  if (ownTopic !== '' && deps.connectorOffsetStore) {
    ownStore = deps.connectorOffsetStore(ownTopic)
    offsets = new ConnectorOffsetStore({ connector: ownStore, worker: deps.offsetStore, logger: log })
    const opened = ownStore
    closers.push(() => opened.stop())
  }
  return { topicCreator, stopTask, offsets, ownStore }
}

/** The transaction.boundary of a connector config, checked. */
export function transactionBoundary(cc: Readonly<ConfigMap>): TransactionBoundary {
  const raw = (cc['transaction.boundary'] ?? 'poll').trim().toLowerCase()
  if (raw === 'poll' || raw === 'interval' || raw === 'connector') return raw
  throw new ConfigError(
    `Invalid value ${raw} for configuration transaction.boundary: String must be one of: poll, interval, connector`,
    'transaction.boundary',
  )
}

/**
 * An exactly-once source task (KIP-618): a transactional producer with transactional.id
 * `<group.id>-<connector>-<task>`, started after the leader fenced the connector's zombies, and checked against
 * the config topic once it claimed its id; records and offsets are then written in the same transactions.
 */
function buildExactlyOnceSourceTask(b: ExactlyOnceBuild): BuiltTask {
  const { deps, id, connectorConfig, control, closers, log } = b
  const wc = deps.workerConfig
  const cc = plainConfig(connectorConfig)
  const boundary = transactionBoundary(connectorConfig)
  const intervalMs = num(connectorConfig, 'transaction.boundary.interval.ms', b.flushIntervalMs)
  if (intervalMs < 0) {
    throw new ConfigError(
      `Invalid value ${intervalMs} for configuration transaction.boundary.interval.ms: Value must be at least 0`,
      'transaction.boundary.interval.ms',
    )
  }
  if (!deps.clients.transactionalSender) {
    throw new ConfigError('These task clients cannot produce transactionally', 'exactly.once.source.support')
  }
  const transactionalId = `${wc['group.id'] ?? ''}-${id.connector}-${id.task}`
  const sender = deps.clients.transactionalSender({
    ...producerConfigs(id.connector, id.task, connectorConfig, wc),
    'transactional.id': transactionalId,
  })
  closers.push(() => sender.close())
  const { topicCreator, stopTask, offsets, ownStore } = sourceTaskResources(
    b.task,
    deps,
    id,
    connectorConfig,
    closers,
    log,
  )
  // With exactly-once, offsets go to the connector's own topic, which defaults to the worker's (Java's rule).
  const ownTopic = (cc['offsets.storage.topic'] ?? '').trim()
  const offsetsTopic = ownTopic !== '' ? ownTopic : (wc['offset.storage.topic'] ?? '')
  const context = boundary === 'connector' ? new WorkerTransactionContext() : null
  const stats: SourceLoopStats = { polled: 0, sent: 0, dropped: 0, skipped: 0, commits: 0 }
  const loop = async () => {
    await ownStore?.start({ signal: control.hardSignal })
    log.debug('Performing the preflight zombie check')
    await retryUntilStopped(() => b.hooks.fenceZombies(id.connector), control, deps.clock, log)
    log.debug({ transactionalId }, 'Initializing the transactional producer')
    await sender.init()
    log.debug('Checking that the task configs are current and the task is still assigned here')
    await b.hooks.verifyStillOwned(id, b.taskConfigGeneration)
    log.info({ transactionalId, boundary }, 'Starting the exactly-once source task')
    b.task.initialize({
      configs: () => b.taskProps,
      offsetStorageReader: () => new StoreOffsetReader(offsets, id.connector),
      transactionContext: () => context,
    })
    await b.task.start(b.taskProps)
    control.softSignal.addEventListener('abort', () => void stopTask(), { once: true })
    await runExactlyOnceSourceLoop(
      {
        connector: id.connector,
        task: b.task,
        pipeline: b.pipeline,
        sender,
        offsetsTopic,
        boundary,
        boundaryIntervalMs: intervalMs,
        transactionContext: context,
        topicCreator,
        control,
        clock: deps.clock,
        log,
        onPausedChange: b.onPausedChange,
        ...(deps.trackTopic ? { trackTopic: (topic: string) => deps.trackTopic?.(id, topic) } : {}),
      },
      stats,
    )
  }
  return { kind: 'source', control, loop, cleanup: b.cleanup, stats }
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
