/**
 * The worker as the herder sees it: the seam between the one owner of cluster state (herder/) and the part that
 * runs connectors and tasks inside this process (worker/).
 *
 * The herder decides what runs here (from the config snapshot and its assignment); the worker runs it, writes the
 * statuses of what it runs to the status store, commits offsets, and tells the herder about the few events only it
 * can see (a connector asking for new task configs, a connector or task failing). The worker never reads the
 * config topic or the group assignment itself.
 *
 * Contract for every start/stop method:
 * - Connector and task failures never reject these promises: they are reported as FAILED statuses (with the trace)
 *   and through WorkerListener. A rejection means the worker itself cannot go on (e.g. it is stopping).
 * - At most `maxConcurrentStarts` (a worker setting) connectors and tasks start at once; further starts wait. Stops
 *   all run at once and share one deadline (Java's stopAndAwaitTasks).
 * - Raw configs go in (config-provider variables unresolved); the worker resolves them when it starts the
 *   connector or task, and never logs or reports resolved values.
 * - Stopping is graceful: a task gets task.shutdown.graceful.timeout.ms to finish in-flight work and commit its
 *   offsets, then it is abandoned (and reported UNASSIGNED by the herder's successor, not by this worker).
 */
import type { ConfigMap, TargetState, TaskId } from '../stores/config-store.ts'

export type { ConfigMap, TargetState, TaskId }

/** Whether a connector class is a source or a sink (or neither: not loadable). */
export type ConnectorKind = 'source' | 'sink' | 'unknown'

/** One partition's offset, as the REST offsets endpoints carry it; a null offset in an alter request deletes it. */
export interface PartitionOffset {
  partition: Record<string, unknown>
  offset: Record<string, unknown> | null
}

/** What the worker tells the herder. Called on the worker's own schedule; the herder enqueues, never blocks. */
export interface WorkerListener {
  /** The connector asked for its task configs to be generated again (ConnectorContext.requestTaskReconfiguration). */
  onTaskReconfigurationRequest(connector: string): void
  /** A connector failed (its status is already written). */
  onConnectorFailure?(connector: string, error: Error): void
  /** A task failed (its status is already written); the herder may restart it with backoff. */
  onTaskFailure?(task: TaskId, error: Error): void
}

/** The worker's public face for the herder. */
export interface WorkerApi {
  /** This worker's id as statuses show it (host:port of its advertised REST URL). */
  readonly workerId: string

  /** The kind of connector a config names (by connector.class), without starting it. */
  connectorKind(config: ConfigMap): ConnectorKind

  /**
   * Starts a connector in the given target state (STARTED runs it, PAUSED starts it paused, STOPPED records it as
   * STOPPED without starting it). Resolves true when it runs (status written), false when it failed to start.
   */
  startConnector(connector: string, config: ConfigMap, targetState: TargetState): Promise<boolean>

  /**
   * Asks a running connector for its task configs (its taskConfigs(maxTasks), honouring tasks.max and
   * tasks.max.enforce). Rejects with NotFoundError when the connector does not run here.
   */
  connectorTaskConfigs(connector: string): Promise<ConfigMap[]>

  /** Applies a new target state to a running connector and its running tasks here (pause, resume, stop). */
  setTargetState(connector: string, targetState: TargetState): Promise<void>

  /**
   * Starts a task with its connector's config and its own task config, in the given target state. Resolves true
   * when it runs (status written), false when it failed to start.
   */
  startTask(
    task: TaskId,
    connectorConfig: ConfigMap,
    taskConfig: ConfigMap,
    targetState: TargetState,
    /** The connector's task-config generation the configs come from (checked by exactly-once source tasks). */
    taskConfigGeneration?: number,
  ): Promise<boolean>

  /** Stops connectors running here (unknown names are ignored); resolves once each has stopped or was abandoned. */
  stopConnectors(connectors: readonly string[]): Promise<void>

  /** Stops tasks running here (unknown ids are ignored); resolves once each has committed and stopped or was abandoned. */
  stopTasks(tasks: readonly TaskId[]): Promise<void>

  /** Names of the connectors running here. */
  runningConnectors(): string[]

  /** Ids of the tasks running here. */
  runningTasks(): TaskId[]

  /** A connector's committed offsets (source: the offsets topic; sink: its consumer group). */
  connectorOffsets(connector: string, config: ConfigMap): Promise<PartitionOffset[]>

  /**
   * Alters (or, with null offsets, deletes) a stopped connector's offsets. Resolves with what the connector's
   * alterOffsets hook answered (true: the connector manages no external offsets, or altered them too).
   */
  alterConnectorOffsets(connector: string, config: ConfigMap, offsets: readonly PartitionOffset[]): Promise<boolean>

  /** Resets all of a stopped connector's offsets; resolves like alterConnectorOffsets. */
  resetConnectorOffsets(connector: string, config: ConfigMap): Promise<boolean>

  /** Stops everything gracefully (the soft stop, then abandonment after the graceful timeout) and closes clients. */
  stop(): Promise<void>
}

/**
 * What an exactly-once source task asks of the herder around the start of its transactional producer
 * (Java's preProducerCheck and postProducerCheck).
 */
export interface ExactlyOnceSourceHooks {
  /** Has the leader fence out the producers of the connector's earlier task generations (zombies). */
  fenceZombies(connector: string): Promise<void>
  /**
   * After the producer claimed its transactional id: reads the config topic to its end and fails if the
   * connector's task configs changed since `taskConfigGeneration` or the task is no longer assigned here.
   */
  verifyStillOwned(task: TaskId, taskConfigGeneration: number | undefined): Promise<void>
}
