/**
 * An in-memory herder for REST tests: a map of connectors behind the Herder interface, with Java's messages for
 * its errors. It is a small working herder rather than a mock: tests set its situation (leader or follower, where
 * connectors run, a rebalance that the next requests run into) and observe the results through REST.
 *
 * Its plugins and validation are in in-memory-plugins.ts.
 */
import {
  AlreadyExistsError,
  BadRequestError,
  ConfigError,
  NotAssignedError,
  NotFoundError,
  NotLeaderError,
  RebalanceInProgressError,
} from '../../src/errors.ts'
import type {
  ActiveTopicsInfo,
  ConfigInfos,
  ConfigInput,
  ConfigKeyInfo,
  ConfigMap,
  ConnectorInfo,
  ConnectorOffset,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorTaskId,
  ConnectorType,
  Created,
  Herder,
  HerderStage,
  InternalRequestSecurity,
  LoggerLevel,
  Message,
  PluginInfo,
  PutConnectorConfigOptions,
  RestartRequest,
  TargetState,
  TaskInfo,
  TaskState,
} from '../../src/herder/herder.ts'
import { FRAMEWORK_KEYS, findPlugin, PLUGINS, validateConfig } from './in-memory-plugins.ts'

/** A connector as the double stores it. */
interface StoredConnector {
  config: ConfigMap
  targetState: TargetState
  type: ConnectorType
  taskConfigs: ConfigMap[]
  offsets: ConnectorOffset[]
  topics: string[]
  failedTasks: Set<number>
}

/** The situation of the double's worker. */
export interface InMemoryHerderOptions {
  /** This worker's id in statuses. */
  workerId?: string
  /** Whether this worker leads the group (default true). */
  leader?: boolean
  /** The leader's URL, given to followers' NotLeaderErrors. */
  leaderUrl?: string
  /** Where connectors and tasks run when not here; undefined: they all run here. */
  ownerUrl?: string
  /** Config provider values for `${vault:path:key}`, keyed `path:key`. */
  secrets?: Record<string, string>
  /** Signing state of internal requests. */
  security?: InternalRequestSecurity
  /** Another worker of the same cluster: both see the same connectors, as workers reading one config topic do. */
  sameClusterAs?: InMemoryHerder
}

/** A herder over a map of connectors. */
export class InMemoryHerder implements Herder {
  readonly connectorsByName: Map<string, StoredConnector>
  readonly loggers = new Map<string, LoggerLevel>([['root', { level: 'INFO', last_modified: null }]])
  readonly clusterLoggerLevels = new Map<string, string>()
  workerId: string
  leader: boolean
  leaderUrl: string | undefined
  ownerUrl: string | undefined
  secrets: Record<string, string>
  security: InternalRequestSecurity
  ready = true
  /** When false, health checks never answer (a stuck herder loop). */
  responsive = true
  currentStage: HerderStage | undefined
  /** Names of the queued calls served, in order, for tests that check which worker ran a request. */
  readonly served: string[] = []
  #rebalanceRequests = 0

  constructor(options: InMemoryHerderOptions = {}) {
    this.connectorsByName = options.sameClusterAs?.connectorsByName ?? new Map()
    this.workerId = options.workerId ?? 'localhost:8083'
    this.leader = options.leader ?? true
    this.leaderUrl = options.leaderUrl
    this.ownerUrl = options.ownerUrl
    this.secrets = options.secrets ?? {}
    this.security = options.security ?? {
      required: false,
      sessionKey: undefined,
      signatureAlgorithm: 'HmacSHA256',
      verificationAlgorithms: ['HmacSHA256'],
    }
  }

  /** Simulates a rebalance that the next `requests` queued requests run into. */
  rebalanceFor(requests: number): void {
    this.#rebalanceRequests = requests
  }

  /** Marks a task FAILED, for restart tests. */
  failTask(connector: string, task: number): void {
    this.#connector(connector, 'Connector').failedTasks.add(task)
  }

  /** Sets a connector's target state directly, as another worker's write would. */
  setTargetState(connector: string, state: TargetState): void {
    this.#connector(connector, 'Connector').targetState = state
  }

  /** Every queued request passes here: a rebalance in progress refuses it. */
  #queued(method: string): void {
    if (this.#rebalanceRequests > 0) {
      this.#rebalanceRequests--
      throw new RebalanceInProgressError()
    }
    this.served.push(method)
  }

  #requireLeader(message: string): void {
    if (!this.leader) throw new NotLeaderError(message, this.leaderUrl)
  }

  #connector(name: string, notFound: string): StoredConnector {
    const connector = this.connectorsByName.get(name)
    if (connector === undefined)
      throw new NotFoundError(notFound === 'Connector' ? `Connector ${name} not found` : notFound)
    return connector
  }

  async kafkaClusterId(): Promise<string> {
    return 'test-cluster-id'
  }

  healthCheck(): Promise<void> {
    return this.responsive ? Promise.resolve() : new Promise(() => {})
  }

  async isReady(): Promise<boolean> {
    return this.ready
  }

  async stage(): Promise<HerderStage | undefined> {
    return this.currentStage
  }

  async connectors(): Promise<string[]> {
    this.#queued('connectors')
    return [...this.connectorsByName.keys()].sort()
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    this.#queued('connectorInfo')
    return this.#info(name, this.#connector(name, 'Connector'))
  }

  async connectorConfig(name: string): Promise<ConfigMap> {
    this.#queued('connectorConfig')
    return { ...this.#connector(name, 'Connector').config }
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const connector = this.#connector(name, `No status found for connector ${name}`)
    return this.#status(
      name,
      connector,
      () => false,
      () => false,
    )
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    this.#queued('taskConfigs')
    return this.#connector(name, 'Connector').taskConfigs.map((config, task) => ({
      id: { connector: name, task },
      config,
    }))
  }

  async tasksConfig(name: string): Promise<Record<string, ConfigMap>> {
    this.#queued('tasksConfig')
    const configs = this.#connector(name, 'Connector').taskConfigs
    return Object.fromEntries(configs.map((config, task) => [`${name}-${task}`, config]))
  }

  async taskStatus(id: ConnectorTaskId): Promise<TaskState> {
    const notFound = `No status found for task ${id.connector}-${id.task}`
    const connector = this.#connector(id.connector, notFound)
    const task = this.#status(
      id.connector,
      connector,
      () => false,
      () => false,
    ).tasks.find((t) => t.id === id.task)
    if (task === undefined) throw new NotFoundError(notFound)
    return task
  }

  async connectorActiveTopics(name: string): Promise<ActiveTopicsInfo> {
    return { connector: name, topics: [...(this.connectorsByName.get(name)?.topics ?? [])] }
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    const connector = this.connectorsByName.get(name)
    if (connector) connector.topics = []
  }

  async putConnectorConfig(
    name: string,
    config: ConfigInput,
    options: PutConnectorConfigOptions,
  ): Promise<Created<ConnectorInfo>> {
    this.#queued('putConnectorConfig')
    this.#requireLeader('Only the leader can set connector configs.')
    const existing = this.connectorsByName.get(name)
    if (existing !== undefined && !options.allowReplace)
      throw new AlreadyExistsError(`Connector ${name} already exists`)
    const stored = this.#store(name, config, existing?.targetState ?? options.initialState ?? 'STARTED', existing)
    return { created: existing === undefined, result: this.#info(name, stored) }
  }

  async patchConnectorConfig(name: string, patch: ConfigInput): Promise<ConnectorInfo> {
    this.#queued('patchConnectorConfig')
    this.#requireLeader('Only the leader can set connector configs.')
    const existing = this.#connector(name, 'Connector')
    const merged: ConfigInput = { ...existing.config }
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k]
      else merged[k] = v
    }
    return this.#info(name, this.#store(name, merged, existing.targetState, existing))
  }

  async deleteConnectorConfig(name: string): Promise<void> {
    this.#queued('deleteConnectorConfig')
    this.#requireLeader('Only the leader can delete connector configs.')
    this.#connector(name, 'Connector')
    this.connectorsByName.delete(name)
  }

  async restartConnector(name: string): Promise<void> {
    this.#queued('restartConnector')
    this.#connector(name, `Unknown connector: ${name}`)
    this.#requireOwner('Cannot restart connector since it is not assigned to this member')
  }

  async restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo> {
    this.#queued('restartConnectorAndTasks')
    this.#requireLeader('Only the leader can process restart requests.')
    const connector = this.#connector(request.connector, `Unknown connector: ${request.connector}`)
    return this.#status(
      request.connector,
      connector,
      () => !request.onlyFailed,
      (task) => request.includeTasks && (!request.onlyFailed || connector.failedTasks.has(task)),
    )
  }

  async restartTask(id: ConnectorTaskId): Promise<void> {
    this.#queued('restartTask')
    const connector = this.#connector(id.connector, `Unknown connector: ${id.connector}`)
    if (id.task < 0 || id.task >= connector.taskConfigs.length) {
      throw new NotFoundError(`Unknown task: ${id.connector}-${id.task}`)
    }
    this.#requireOwner('Cannot restart task since it is not assigned to this member')
  }

  async stopConnector(name: string): Promise<void> {
    this.#queued('stopConnector')
    this.#connector(name, `Unknown connector ${name}`)
    this.#requireLeader('Only the leader can transition connectors to the STOPPED state.')
    this.#connector(name, 'Connector').targetState = 'STOPPED'
  }

  async pauseConnector(name: string): Promise<void> {
    this.#queued('pauseConnector')
    this.#connector(name, `Unknown connector ${name}`).targetState = 'PAUSED'
  }

  async resumeConnector(name: string): Promise<void> {
    this.#queued('resumeConnector')
    this.#connector(name, `Unknown connector ${name}`).targetState = 'STARTED'
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    this.#queued('connectorOffsets')
    return { offsets: [...this.#connector(name, 'Connector').offsets] }
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<Message> {
    this.#queued('alterConnectorOffsets')
    this.#requireLeader('Only the leader can process external offsets modification requests')
    const connector = this.#stopped(name)
    const key = (o: ConnectorOffset) => JSON.stringify(o.partition)
    const byPartition = new Map(connector.offsets.map((o) => [key(o), o]))
    for (const o of offsets) {
      if (o.offset === null) byPartition.delete(key(o))
      else byPartition.set(key(o), o)
    }
    connector.offsets = [...byPartition.values()]
    return { message: 'The offsets for this connector have been altered successfully' }
  }

  async resetConnectorOffsets(name: string): Promise<Message> {
    this.#queued('resetConnectorOffsets')
    this.#requireLeader('Only the leader can process external offsets modification requests')
    this.#stopped(name).offsets = []
    return { message: 'The offsets for this connector have been reset successfully' }
  }

  async connectorPlugins(): Promise<PluginInfo[]> {
    return PLUGINS.map((p) => p.info)
  }

  async connectorPluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    const plugin = findPlugin(pluginName)
    if (plugin === undefined) throw new NotFoundError(`Unknown plugin ${pluginName}.`)
    return plugin.info.type === 'source' || plugin.info.type === 'sink'
      ? [...plugin.keys, ...FRAMEWORK_KEYS]
      : plugin.keys
  }

  async validateConnectorConfig(config: ConfigInput): Promise<ConfigInfos> {
    this.#queued('validateConnectorConfig')
    return validateConfig(config, this.secrets)
  }

  async allLoggerLevels(): Promise<Record<string, LoggerLevel>> {
    return Object.fromEntries(this.loggers)
  }

  async loggerLevel(name: string): Promise<LoggerLevel | undefined> {
    return this.loggers.get(name)
  }

  async setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    const affected = [...this.loggers.keys()].filter((n) => n === namespace || n.startsWith(`${namespace}.`))
    if (!affected.includes(namespace)) affected.push(namespace)
    for (const name of affected) this.loggers.set(name, { level: level.toUpperCase(), last_modified: Date.now() })
    return affected.sort()
  }

  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    this.clusterLoggerLevels.set(namespace, level)
  }

  async putTaskConfigs(name: string, configs: ConfigMap[]): Promise<void> {
    this.#queued('putTaskConfigs')
    this.#requireLeader('Only the leader may write task configurations.')
    this.#connector(name, 'Connector').taskConfigs = configs
  }

  async fenceZombieSourceTasks(name: string): Promise<void> {
    this.#queued('fenceZombieSourceTasks')
    this.#requireLeader('Only the leader may perform zombie fencing.')
    if (this.#connector(name, 'Connector').type !== 'source') {
      throw new BadRequestError(`Connector ${name} is not a source connector`)
    }
  }

  async internalRequestSecurity(): Promise<InternalRequestSecurity> {
    return this.security
  }

  #requireOwner(message: string): void {
    if (this.ownerUrl === undefined) return
    if (this.leader) throw new NotAssignedError(message, this.ownerUrl)
    throw new NotLeaderError(message, this.leaderUrl)
  }

  #stopped(name: string): StoredConnector {
    const connector = this.#connector(name, 'Connector')
    if (connector.targetState !== 'STOPPED') {
      throw new BadRequestError(
        'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the ' +
          `specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      )
    }
    return connector
  }

  /** Validates and stores a config; tasks follow tasks.max. */
  #store(name: string, config: ConfigInput, targetState: TargetState, existing?: StoredConnector): StoredConnector {
    const infos = validateConfig(config, this.secrets)
    if (infos.error_count > 0) {
      const errors = infos.configs.flatMap((c) => c.value?.errors ?? [])
      const firstKey = infos.configs.find((c) => (c.value?.errors.length ?? 0) > 0)?.value?.name
      throw new ConfigError(
        `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n` +
          `${errors.join('\n')}\n` +
          'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
        firstKey,
      )
    }
    const stored = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null)) as ConfigMap
    const plugin = findPlugin(stored['connector.class'] ?? '')
    const tasks = Number(stored['tasks.max'] ?? '1')
    const connector: StoredConnector = {
      config: stored,
      targetState,
      type: plugin?.info.type === 'sink' ? 'sink' : plugin?.info.type === 'source' ? 'source' : 'unknown',
      taskConfigs: Array.from({ length: tasks }, () => ({ ...stored })),
      offsets: existing?.offsets ?? [],
      topics: existing?.topics ?? [],
      failedTasks: existing?.failedTasks ?? new Set(),
    }
    this.connectorsByName.set(name, connector)
    return connector
  }

  #info(name: string, connector: StoredConnector): ConnectorInfo {
    return {
      name,
      config: { ...connector.config },
      tasks: connector.taskConfigs.map((_c, task) => ({ connector: name, task })),
      type: connector.type,
    }
  }

  #status(
    name: string,
    connector: StoredConnector,
    restartConnector: () => boolean,
    restartTask: (task: number) => boolean,
  ): ConnectorStateInfo {
    const running = { STARTED: 'RUNNING', PAUSED: 'PAUSED', STOPPED: 'STOPPED' }[connector.targetState]
    const tasks =
      connector.targetState === 'STOPPED'
        ? []
        : connector.taskConfigs.map((_c, id) => ({
            id,
            state: restartTask(id) ? 'RESTARTING' : connector.failedTasks.has(id) ? 'FAILED' : running,
            worker_id: this.workerId,
            ...(connector.failedTasks.has(id) ? { trace: 'java.lang.RuntimeException: boom' } : {}),
          }))
    return {
      name,
      connector: { state: restartConnector() ? 'RESTARTING' : running, worker_id: this.workerId },
      tasks,
      type: connector.type,
    }
  }
}
