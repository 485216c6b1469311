/**
 * The herder's public interface: everything the REST API asks of the worker's owner of cluster state, and the
 * bodies it answers with.
 *
 * rest/ talks to the herder only through this interface; the distributed herder (and the standalone one, and the
 * in-memory test double) implement it. Each method serves one endpoint's need, and every method is async because the
 * herder runs requests on its own loop (REST enqueues and awaits).
 *
 * The DTOs have Java's JSON shapes (snake_case keys included), so REST serializes them as they are and existing
 * clients (kcctl, kafka-ui, Strimzi-style operators) read them unchanged.
 *
 * Errors: methods throw the typed errors of src/errors.ts, with the messages Java's REST API shows (the REST edge
 * maps each code to its HTTP status once):
 * - NotFoundError → 404, AlreadyExistsError → 409, ConfigError and BadRequestError → 400;
 * - NotLeaderError{leaderUrl} and NotAssignedError{ownerUrl}: REST forwards the request to that worker;
 * - RebalanceInProgressError: REST waits (bounded by the request timeout) and calls again;
 * - anything else → 500 with the error's message.
 *
 * Secrets: every config map a method returns is raw, as stored: `${provider:path:key}` references unresolved, and
 * validation results show PASSWORD values as "[hidden]". The herder never hands REST a resolved secret, in bodies
 * or in error messages (where Java prints a config, print the raw one). REST hides PASSWORD values and restores
 * provider references in validation results once more, as a second line of defence.
 */

import type { ConfigInfos, ConfigKeyInfo } from '../config/config-infos.ts'

/** Connector kinds as REST shows them. */
export type ConnectorType = 'source' | 'sink' | 'unknown'

/** What a connector should be doing, as stored in the config topic. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

/** A config as Java's REST API carries it: string keys and string values. */
export type ConfigMap = Record<string, string>

/**
 * A config as a client sent it. A null value is kept so that validation reports it as Java does ("Null value can not
 * be supplied as the configuration value."); in a PATCH body a null value removes the key.
 */
export type ConfigInput = Record<string, string | null>

/** One task of a connector; JSON `{"connector":"c","task":0}`. */
export interface ConnectorTaskId {
  connector: string
  task: number
}

/** A connector's config and tasks (Java's ConnectorInfo). */
export interface ConnectorInfo {
  name: string
  /** The raw config, secrets unresolved. */
  config: ConfigMap
  tasks: ConnectorTaskId[]
  type: ConnectorType
}

/** The result of a create-or-update: `created` tells REST to answer 201 rather than 200. */
export interface Created<T> {
  created: boolean
  result: T
}

/** The state of a connector instance (UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED, RESTARTING, DESTROYED). */
export interface ConnectorState {
  state: string
  worker_id: string
  /** The failure's stack trace; left out when empty. */
  trace?: string
  /** The plugin's version (Kafka 4.1+); left out when unknown. */
  version?: string
  /** tsconnect only: automatic restarts, on the worker that runs the connector; left out when there are none. */
  auto_restart?: AutoRestartState
}

/** tsconnect's automatic restarts of a failed connector or task (docs/rest.md). */
export interface AutoRestartState {
  /** Restarts done or scheduled in the current series. */
  restarts: number
  /** tsconnect.auto.restart.max.attempts */
  max_restarts: number
  /** When the next restart is due (ISO-8601), or null when none is scheduled. */
  next_restart: string | null
  /** The message of the last failure. */
  last_error: string
}

/** The state of one task. */
export interface TaskState {
  id: number
  state: string
  worker_id: string
  /** The failure's stack trace; left out when empty. */
  trace?: string
  /** The plugin's version (Kafka 4.1+); left out when unknown. */
  version?: string
  /** tsconnect only: automatic restarts, on the worker that runs the task; left out when there are none. */
  auto_restart?: AutoRestartState
}

/** A connector's status with its tasks, sorted by id (Java's ConnectorStateInfo). */
export interface ConnectorStateInfo {
  name: string
  connector: ConnectorState
  tasks: TaskState[]
  type: ConnectorType
}

/** A task's config (Java's TaskInfo); the config is raw, secrets unresolved. */
export interface TaskInfo {
  id: ConnectorTaskId
  config: ConfigMap
}

/** The topics a connector has used since its topics were last reset. */
export interface ActiveTopicsInfo {
  connector: string
  topics: string[]
}

/** One source partition (or sink topic partition) and its offset; a null offset in an alter request deletes it. */
export interface ConnectorOffset {
  partition: Record<string, unknown>
  offset: Record<string, unknown> | null
}

/** A connector's offsets, as GET /connectors/{c}/offsets shows them and PATCH takes them. */
export interface ConnectorOffsets {
  offsets: ConnectorOffset[]
}

/** A one-line answer, e.g. "The offsets for this connector have been altered successfully". */
export interface Message {
  message: string
}

/** Plugin kinds, as REST names them. */
export type PluginType = 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate'

/** An installed plugin; `version` is left out when the plugin has none ("undefined" in Java). */
export interface PluginInfo {
  class: string
  type: PluginType
  version?: string
}

// The validate answer and plugin config definitions are ConfigDef's own (config/config-infos.ts): one declaration
// of Java's ConfigInfos shapes, checked against Kafka 4.3.1's output (`order_in_group`, after `group`).
export type { ConfigInfo, ConfigInfos, ConfigKeyInfo, ConfigValueInfo } from '../config/config-infos.ts'

/** A logger's level; `last_modified` is epoch ms of the last change through REST, or null. */
export interface LoggerLevel {
  level: string
  last_modified: number | null
}

/** A restart request (KIP-745). */
export interface RestartRequest {
  connector: string
  onlyFailed: boolean
  includeTasks: boolean
}

/** What the herder is doing or last did, for messages of timed-out requests ("The worker is currently ..."). */
export interface HerderStage {
  description: string
  /** Epoch ms. */
  started: number
  /** Epoch ms; undefined while the stage runs. */
  completed?: number
}

/** The session key of inter-worker request signing (KIP-507). */
export interface SessionKey {
  key: Uint8Array
  /** The key's algorithm, e.g. HmacSHA256. */
  algorithm: string
}

/** What REST needs to verify signed internal requests and to sign the ones it forwards. */
export interface InternalRequestSecurity {
  /** Whether internal requests must be signed: true while the group uses the sessioned protocol. */
  required: boolean
  /** The current session key; undefined until one has been read from the config topic. */
  sessionKey: SessionKey | undefined
  /** inter.worker.signature.algorithm: how this worker signs. */
  signatureAlgorithm: string
  /** inter.worker.verification.algorithms: which signatures this worker accepts. */
  verificationAlgorithms: readonly string[]
}

/** Options of a connector create-or-update. */
export interface PutConnectorConfigOptions {
  /** false for POST /connectors (an existing connector is a conflict), true for PUT /connectors/{c}/config. */
  allowReplace: boolean
  /** The state a new connector starts in (POST's initial_state); the herder's default (STARTED) when undefined. */
  initialState?: TargetState
}

/** The herder as REST sees it. */
export interface Herder {
  /** The Kafka cluster id, for GET /. */
  kafkaClusterId(): Promise<string>

  /**
   * Resolves once the herder's loop has served a no-op request (GET /health); it may never resolve while the loop
   * is stuck, and REST bounds the wait.
   */
  healthCheck(): Promise<void>

  /** Whether the herder has finished starting (joined the group, read the config topic). Answers without queueing. */
  isReady(): Promise<boolean>

  /** The herder's current or last stage, for timeout messages. Answers without queueing. */
  stage(): Promise<HerderStage | undefined>

  /** Connector names, from the local snapshot. */
  connectors(): Promise<string[]>

  /** @throws NotFoundError "Connector c not found" */
  connectorInfo(name: string): Promise<ConnectorInfo>

  /** The raw config. @throws NotFoundError "Connector c not found" */
  connectorConfig(name: string): Promise<ConfigMap>

  /** @throws NotFoundError "No status found for connector c" */
  connectorStatus(name: string): Promise<ConnectorStateInfo>

  /** Task configs, raw, in task order. @throws NotFoundError "Connector c not found" */
  taskConfigs(name: string): Promise<TaskInfo[]>

  /** Task configs keyed `<connector>-<task>` (the deprecated tasks-config endpoint). @throws NotFoundError */
  tasksConfig(name: string): Promise<Record<string, ConfigMap>>

  /** @throws NotFoundError "No status found for task c-0" */
  taskStatus(id: ConnectorTaskId): Promise<TaskState>

  /** The topics the connector used, from the status topic; an unknown connector has none (no error, as in Java). */
  connectorActiveTopics(name: string): Promise<ActiveTopicsInfo>

  /** Forgets the topics the connector used; nothing to do for an unknown connector. */
  resetConnectorActiveTopics(name: string): Promise<void>

  /**
   * Creates or replaces a connector's config (the config already carries its `name`).
   * @throws NotLeaderError, AlreadyExistsError "Connector c already exists" (when !allowReplace),
   *   ConfigError (invalid config: Java's "Connector configuration is invalid and contains the following N error(s):"
   *   message; `key` names the first field at fault), BadRequestError, RebalanceInProgressError
   */
  putConnectorConfig(
    name: string,
    config: ConfigInput,
    options: PutConnectorConfigOptions,
  ): Promise<Created<ConnectorInfo>>

  /**
   * Merges a patch into a connector's config (null removes a key) and validates the result.
   * @throws NotLeaderError, NotFoundError "Connector c not found", ConfigError, RebalanceInProgressError
   */
  patchConnectorConfig(name: string, patch: ConfigInput): Promise<ConnectorInfo>

  /** @throws NotLeaderError, NotFoundError "Connector c not found", RebalanceInProgressError */
  deleteConnectorConfig(name: string): Promise<void>

  /**
   * Restarts the Connector instance only (POST restart with default query).
   * @throws NotLeaderError (follower), NotAssignedError{ownerUrl} (leader, connector runs elsewhere),
   *   NotFoundError "Unknown connector: c", RebalanceInProgressError
   */
  restartConnector(name: string): Promise<void>

  /**
   * Records a restart request and answers the planned states (instances to restart shown as RESTARTING).
   * @throws NotLeaderError, NotFoundError "Unknown connector: c", RebalanceInProgressError
   */
  restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo>

  /**
   * @throws NotLeaderError, NotAssignedError{ownerUrl}, NotFoundError "Unknown connector: c" / "Unknown task: c-0",
   *   RebalanceInProgressError
   */
  restartTask(id: ConnectorTaskId): Promise<void>

  /** Idempotent. @throws NotLeaderError, NotFoundError "Unknown connector c", RebalanceInProgressError */
  stopConnector(name: string): Promise<void>

  /** Idempotent; any worker may write the target state. @throws NotFoundError "Unknown connector c" */
  pauseConnector(name: string): Promise<void>

  /** Idempotent; also resumes a STOPPED connector. @throws NotFoundError "Unknown connector c" */
  resumeConnector(name: string): Promise<void>

  /** @throws NotFoundError "Connector c not found" */
  connectorOffsets(name: string): Promise<ConnectorOffsets>

  /**
   * @throws NotLeaderError, NotFoundError, BadRequestError (connector not STOPPED, or not a source/sink offset),
   *   RebalanceInProgressError
   */
  alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<Message>

  /** @throws NotLeaderError, NotFoundError, BadRequestError (connector not STOPPED), RebalanceInProgressError */
  resetConnectorOffsets(name: string): Promise<Message>

  /** Every installed plugin, connectors first (sinks, sources), then transformations, predicates, converters. */
  connectorPlugins(): Promise<PluginInfo[]>

  /** The plugin's own config keys, then (for connectors) the framework's. @throws NotFoundError "Unknown plugin X." */
  connectorPluginConfig(pluginName: string): Promise<ConfigKeyInfo[]>

  /**
   * Validates a connector config; PASSWORD values come back "[hidden]".
   * @throws BadRequestError "Connector config {...} contains no connector type"
   */
  validateConnectorConfig(config: ConfigInput): Promise<ConfigInfos>

  /** Loggers whose level was set explicitly, and root. */
  allLoggerLevels(): Promise<Record<string, LoggerLevel>>

  /** A logger's level, or undefined when there is no such logger. */
  loggerLevel(name: string): Promise<LoggerLevel | undefined>

  /** Sets a level on this worker only; answers the names of the loggers it changed. `level` is as the client sent it. */
  setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]>

  /** Sets a level on every worker (a logger-cluster record in the config topic). */
  setClusterLoggerLevel(namespace: string, level: string): Promise<void>

  /**
   * Internal: a follower's generated task configs, written by the leader. The signature was checked by REST.
   * @throws NotLeaderError, NotFoundError "Connector c not found", BadRequestError, RebalanceInProgressError
   */
  putTaskConfigs(name: string, configs: ConfigMap[]): Promise<void>

  /**
   * Internal: zombie fencing of a source connector's tasks (exactly-once support), done by the leader.
   * @throws NotLeaderError, NotFoundError, BadRequestError "Connector c is not a source connector"
   */
  fenceZombieSourceTasks(name: string): Promise<void>

  /** The current signing state. Answers without queueing. */
  internalRequestSecurity(): Promise<InternalRequestSecurity>
}
