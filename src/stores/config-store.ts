/**
 * The config store as the herder and worker see it: an immutable snapshot of the cluster's connectors and tasks,
 * change notifications, and the writes the leader (and, for a few kinds, any worker) makes.
 *
 * Implementations: KafkaConfigStore (kafka-config-store.ts) on the config topic, or on an in-memory topic for
 * tests and standalone mode (memory-stores.ts).
 */
import type { ConfigMap, RestartRequest, SessionKey, TargetState } from '../protocol/config-records.ts'
import type { WaitOptions } from '../util/abort.ts'

export type { ConfigMap, RestartRequest, SessionKey, TargetState }

/** A task of a connector. */
export interface TaskId {
  connector: string
  task: number
}

/** The cluster's configuration at one config offset. Never changes once taken. */
export interface ClusterConfigSnapshot {
  /**
   * The config offset: the offset of the last record read from the config topic plus 1, or -1 before any. Workers
   * compare it in the group protocol, so it counts records exactly as Java's workers do.
   */
  readonly offset: number
  /** The latest KIP-507 session key, if any. */
  readonly sessionKey: SessionKey | undefined
  /** Names of all connectors that have a configuration, sorted. */
  readonly connectors: readonly string[]
  /** Connectors whose task configs are incomplete (compaction or a leader that died mid-write); they get no tasks. */
  readonly inconsistentConnectors: readonly string[]
  /** Whether the connector has a configuration. */
  contains(connector: string): boolean
  /** The connector's raw configuration (variables unresolved). */
  connectorConfig(connector: string): Readonly<ConfigMap> | undefined
  /** The connector configuration the current task configs were generated from. */
  appliedConnectorConfig(connector: string): Readonly<ConfigMap> | undefined
  /** The connector's target state (STARTED when it has a config but no target-state record). */
  targetState(connector: string): TargetState | undefined
  /** The committed configuration of one task. */
  taskConfig(task: TaskId): Readonly<ConfigMap> | undefined
  /** The task count of the connector's latest commit (0 if none). */
  taskCount(connector: string): number
  /** The connector's tasks 0..count-1; none while the connector is inconsistent. */
  tasks(connector: string): readonly TaskId[]
  /** How many times the connector's task configs were committed, counting from 0. */
  taskConfigGeneration(connector: string): number | undefined
  /** The task count of the connector's latest tasks-fencing record (KIP-618). */
  taskCountRecord(connector: string): number | undefined
  /** Whether task configs were committed after the connector's latest tasks-fencing record. */
  pendingFencing(connector: string): boolean
}

/** A change read from the config topic after the store started. */
export type ConfigUpdate =
  | { type: 'connector-config'; connector: string; removed: boolean }
  | { type: 'task-configs'; connector: string; tasks: readonly TaskId[] }
  | { type: 'target-state'; connector: string }
  | { type: 'session-key'; sessionKey: SessionKey }
  | { type: 'restart-request'; request: RestartRequest }
  | { type: 'logger-level'; namespace: string; level: string }

/** The config store; see the file comment. Writes resolve once the write has been read back. */
export interface ConfigStore {
  /** Creates or checks the topic, reads it to the end, and starts following it. */
  start(opts?: WaitOptions): Promise<void>
  /** Stops following the topic and closes its clients. */
  stop(): Promise<void>
  /** The current configuration. */
  snapshot(): ClusterConfigSnapshot
  /** Whether the connector has a configuration now. */
  contains(connector: string): boolean
  /** Reads the topic to its end, so that the next snapshot includes everything written so far. */
  refresh(opts?: WaitOptions): Promise<void>
  /** Writes a connector's configuration, after its target state when one is given. Privileged. */
  putConnectorConfig(connector: string, properties: ConfigMap, targetState?: TargetState): Promise<void>
  /** Deletes a connector (its config and target state). Privileged. */
  removeConnectorConfig(connector: string): Promise<void>
  /** Writes a connector's task configs and their commit record. Privileged. */
  putTaskConfigs(connector: string, configs: readonly ConfigMap[]): Promise<void>
  /** Writes a target state (pause and resume come from any worker). */
  putTargetState(connector: string, state: TargetState): Promise<void>
  /** Distributes a new session key. Privileged. */
  putSessionKey(sessionKey: SessionKey): Promise<void>
  /** Asks the cluster to restart a connector and maybe its tasks. Privileged. */
  putRestartRequest(request: RestartRequest): Promise<void>
  /** Records the task count after a round of zombie fencing. Privileged. */
  putTaskCountRecord(connector: string, taskCount: number): Promise<void>
  /** Sets a log level on every worker that is running now. */
  putLoggerLevel(namespace: string, level: string): Promise<void>
  /** Prepares privileged writes; with a transactional writer this fences out older leaders. */
  claimWritePrivileges(): Promise<void>
  /**
   * Calls `listener` for every change read after start(); returns a function that unsubscribes. Listeners run on
   * the log's read loop, so they should only take note (enqueue for the herder) and return.
   */
  onUpdate(listener: (update: ConfigUpdate) => void): () => void
}
