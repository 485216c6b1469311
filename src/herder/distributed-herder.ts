/**
 * The distributed herder as REST sees it: the Herder interface over DistributedHerderCore. Each request runs as a
 * job on the herder's loop (named, so that a slow request says what the herder was doing), reads the local config
 * snapshot and status store, and refuses what this worker cannot do:
 * - a write that needs the leader throws NotLeaderError with the leader's URL (REST forwards it there);
 * - a restart of work that runs elsewhere throws NotAssignedError with the owner's URL (leader) or NotLeaderError;
 * - every write (configs, deletes, pause/resume/stop, restarts, offset changes, task configs) that meets a rebalance
 *   is held through it and runs with the others held once it is handled (DistributedHerderCore.submitSettled), so
 *   100 requests during one rebalance take about one rebalance; REST never sees "rebalance in progress" for them.
 *
 * Status reads (connector and task status, topics) read the status store directly, as Java's do.
 */
import {
  AlreadyExistsError,
  BadRequestError,
  ConnectError,
  NotAssignedError,
  NotFoundError,
  NotLeaderError,
  RebalanceInProgressError,
} from '../errors.ts'
import { withoutNulls } from '../util/config-map.ts'
import type { ExactlyOnceSourceHooks } from '../worker/worker-api.ts'
import { invalidConfigError, pluginConfigKeys, validateConnectorConfig } from './connector-validation.ts'
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
  TaskInfo,
  TaskState,
} from './herder.ts'
import { DistributedHerderCore, type DistributedHerderOptions } from './herder-core.ts'
import { connectorStatusInfo, type LocalRestarts, taskStatusInfo } from './status-view.ts'
import { fenceZombieSourceTasks } from './zombie-fencing.ts'

const STOPPED_FOR_OFFSETS = (name: string) =>
  'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the ' +
  `specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`

/** The distributed herder: create, start(url) once REST listens, stop() on shutdown. */
export class DistributedHerder implements Herder {
  readonly core: DistributedHerderCore

  constructor(options: DistributedHerderOptions) {
    this.core = new DistributedHerderCore(options)
  }

  /** Starts the stores, joins the group advertising `url`. */
  start(url: string): Promise<void> {
    return this.core.start(url)
  }

  /** Stops gracefully. */
  stop(): Promise<void> {
    return this.core.stop()
  }

  #run<T>(description: string, fn: () => Promise<T> | T): Promise<T> {
    return this.core.loop.submit(description, fn)
  }

  #requireSettled(): void {
    if (this.core.rebalancing) throw new RebalanceInProgressError()
  }

  #requireLeader(message: string): void {
    this.#requireSettled()
    if (!this.core.isLeader) throw new NotLeaderError(message, this.core.leaderUrl)
  }

  #config(name: string, notFound = `Connector ${name} not found`): ConfigMap {
    const config = this.core.snapshot.connectorConfig(name)
    if (config === undefined) throw new NotFoundError(notFound)
    return withoutNulls(config)
  }

  #kind(config: ConfigMap): ConnectorType {
    return this.core.worker?.connectorKind(config) ?? 'unknown'
  }

  #info(name: string): ConnectorInfo {
    const config = this.#config(name)
    return {
      name,
      config,
      tasks: this.core.snapshot.tasks(name).map((t) => ({ connector: name, task: t.task })),
      type: this.#kind(config),
    }
  }

  kafkaClusterId(): Promise<string> {
    return this.core.clusterId()
  }

  healthCheck(): Promise<void> {
    return this.#run('answering a health check', () => {})
  }

  async isReady(): Promise<boolean> {
    return this.core.ready
  }

  async stage(): Promise<HerderStage | undefined> {
    return this.core.currentStage
  }

  connectors(): Promise<string[]> {
    return this.#run('listing connectors', () => [...this.core.snapshot.connectors].sort())
  }

  connectorInfo(name: string): Promise<ConnectorInfo> {
    return this.#run(`reading the info of connector ${name}`, () => this.#info(name))
  }

  connectorConfig(name: string): Promise<ConfigMap> {
    return this.#run(`reading the config of connector ${name}`, () => this.#config(name))
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const snapshot = this.core.snapshot
    const config = snapshot.connectorConfig(name)
    return connectorStatusInfo(
      name,
      this.core.statusStore,
      snapshot,
      config ? this.#kind(withoutNulls(config)) : 'unknown',
      this.#localRestarts(),
    )
  }

  /** The automatic restarts of work whose status this worker wrote (other workers know their own). */
  #localRestarts(): LocalRestarts {
    return { workerId: this.core.worker?.workerId ?? '', info: (t) => this.core.autoRestarts.info(t) }
  }

  taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.#run(`reading the task configs of ${name}`, () => {
      this.#config(name)
      const snapshot = this.core.snapshot
      return snapshot
        .tasks(name)
        .map((id) => ({ id: { connector: name, task: id.task }, config: withoutNulls(snapshot.taskConfig(id)) }))
    })
  }

  async tasksConfig(name: string): Promise<Record<string, ConfigMap>> {
    const tasks = await this.taskConfigs(name)
    return Object.fromEntries(tasks.map((t) => [`${name}-${t.id.task}`, t.config]))
  }

  async taskStatus(id: ConnectorTaskId): Promise<TaskState> {
    return taskStatusInfo(id, this.core.statusStore, this.#localRestarts())
  }

  async connectorActiveTopics(name: string): Promise<ActiveTopicsInfo> {
    const topics = this.core.statusStore.topics(name).map((t) => t.topic)
    return { connector: name, topics: [...new Set(topics)].sort() }
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    const statuses = this.core.statusStore
    await Promise.all(statuses.topics(name).map((t) => statuses.deleteTopic(name, t.topic)))
  }

  async putConnectorConfig(
    name: string,
    config: ConfigInput,
    options: PutConnectorConfigOptions,
  ): Promise<Created<ConnectorInfo>> {
    const infos = await this.validateConnectorConfig(config)
    if (infos.error_count > 0) throw invalidConfigError(infos)
    // Waits out a rebalance on the herder instead of refusing (REST would retry): see submitSettled.
    return this.core.submitSettled(`writing the config of connector ${name}`, async () => {
      this.#requireLeader('Only the leader can set connector configs.')
      const exists = this.core.snapshot.contains(name)
      if (exists && !options.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`)
      const initial = exists ? undefined : options.initialState
      await this.core.configStore.putConnectorConfig(name, withoutNulls(config), initial)
      return { created: !exists, result: this.#info(name) }
    })
  }

  async patchConnectorConfig(name: string, patch: ConfigInput): Promise<ConnectorInfo> {
    const merged = await this.core.submitSettled(`patching the config of connector ${name}`, () => {
      this.#requireLeader('Only the leader can set connector configs.')
      const merged: ConfigInput = { ...this.#config(name) }
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete merged[k]
        else merged[k] = v
      }
      return merged
    })
    return (await this.putConnectorConfig(name, merged, { allowReplace: true })).result
  }

  deleteConnectorConfig(name: string): Promise<void> {
    return this.core.submitSettled(`deleting connector ${name}`, async () => {
      this.#requireLeader('Only the leader can delete connector configs.')
      this.#config(name)
      await this.core.configStore.removeConnectorConfig(name)
      await this.core.leaderDuties.destroy(name, this.core.worker?.workerId ?? '', this.core.generation)
    })
  }

  /** For work that does not run here: points REST to the owner (leader) or to the leader (follower). */
  #onOwner(work: string | ConnectorTaskId, message: string): void {
    if (this.core.isLeader) throw new NotAssignedError(message, this.core.coordinator?.ownerUrl(work) ?? undefined)
    throw new NotLeaderError(message, this.core.leaderUrl)
  }

  restartConnector(name: string): Promise<void> {
    return this.core.submitSettled(`restarting connector ${name}`, async () => {
      if (!this.core.snapshot.contains(name)) throw new NotFoundError(`Unknown connector: ${name}`)
      const work = this.core.work
      if (work?.hasConnector(name)) {
        // A restart by hand starts a fresh series of automatic restarts.
        this.core.autoRestarts.forget(name)
        // A plain restart, as Java's: no RESTARTING status (only restart requests with query parameters write one).
        await this.core.restarts.restart(name, false)
        return
      }
      this.#onOwner(name, 'Cannot restart connector since it is not assigned to this member')
    })
  }

  restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo> {
    return this.core.submitSettled(`planning a restart of ${request.connector}`, async () => {
      this.#requireLeader('Only the leader can process restart requests.')
      if (!this.core.snapshot.contains(request.connector))
        throw new NotFoundError(`Unknown connector: ${request.connector}`)
      const status = await this.connectorStatus(request.connector)
      return this.core.leaderDuties.planRestart(request, status)
    })
  }

  restartTask(id: ConnectorTaskId): Promise<void> {
    return this.core.submitSettled(`restarting task ${id.connector}-${id.task}`, async () => {
      const snapshot = this.core.snapshot
      if (!snapshot.contains(id.connector)) throw new NotFoundError(`Unknown connector: ${id.connector}`)
      if (snapshot.taskConfig(id) === undefined) throw new NotFoundError(`Unknown task: ${id.connector}-${id.task}`)
      const work = this.core.work
      if (work?.hasTask(id)) {
        this.core.autoRestarts.forget(id)
        await this.core.restarts.restart(id, false)
        return
      }
      this.#onOwner(id, 'Cannot restart task since it is not assigned to this member')
    })
  }

  stopConnector(name: string): Promise<void> {
    return this.core.submitSettled(`stopping connector ${name}`, async () => {
      this.#requireLeader('Only the leader can transition connectors to the STOPPED state.')
      if (!this.core.snapshot.contains(name)) throw new NotFoundError(`Unknown connector ${name}`)
      // Empty task configs first, then the target state (KIP-875, as Java's DistributedHerder.stopConnector).
      await this.core.configStore.putTaskConfigs(name, [])
      await this.core.configStore.putTargetState(name, 'STOPPED')
    })
  }

  pauseConnector(name: string): Promise<void> {
    return this.core.submitSettled(`pausing connector ${name}`, async () => {
      if (!this.core.snapshot.contains(name)) throw new NotFoundError(`Unknown connector ${name}`)
      await this.core.configStore.putTargetState(name, 'PAUSED')
    })
  }

  resumeConnector(name: string): Promise<void> {
    return this.core.submitSettled(`resuming connector ${name}`, async () => {
      if (!this.core.snapshot.contains(name)) throw new NotFoundError(`Unknown connector ${name}`)
      await this.core.configStore.putTargetState(name, 'STARTED')
    })
  }

  connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return this.#run(`reading the offsets of ${name}`, async () => {
      const config = this.#config(name)
      const worker = this.core.worker
      return { offsets: worker ? await worker.connectorOffsets(name, config) : [] }
    })
  }

  /** Leader, config read to its end, connector STOPPED with no tasks: the preconditions of offset changes. */
  async #stoppedForOffsets(name: string): Promise<ConfigMap> {
    this.#requireLeader('Only the leader can process external offsets modification requests')
    await this.core.configStore.refresh({ timeoutMs: 30_000 })
    const config = this.#config(name)
    const snapshot = this.core.snapshot
    if (snapshot.targetState(name) !== 'STOPPED' || snapshot.taskCount(name) !== 0) {
      throw new BadRequestError(STOPPED_FOR_OFFSETS(name))
    }
    return config
  }

  /**
   * With exactly-once source support, a source connector's offsets change only after a round of zombie fencing:
   * no task producer of an earlier generation may commit offsets over the new ones (KIP-618, as Java).
   */
  async #fenceBeforeOffsets(name: string, config: ConfigMap): Promise<void> {
    const fenceProducers = this.core.fenceProducers
    if (!fenceProducers || this.#kind(config) !== 'source') return
    await this.#fenceZombies(name, fenceProducers)
  }

  /** The leader's round of zombie fencing for a source connector (zombie-fencing.ts). */
  #fenceZombies(name: string, fenceProducers: NonNullable<DistributedHerderOptions['fenceProducers']>): Promise<void> {
    return fenceZombieSourceTasks(
      {
        configStore: this.core.configStore,
        groupId: this.core.config.string('group.id'),
        fenceProducers,
        log: this.core.log,
      },
      name,
    )
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<Message> {
    return this.core.submitSettled(`altering the offsets of ${name}`, async () => {
      const config = await this.#stoppedForOffsets(name)
      await this.#fenceBeforeOffsets(name, config)
      const handled = (await this.core.worker?.alterConnectorOffsets(name, config, offsets)) ?? false
      return {
        message: handled
          ? 'The offsets for this connector have been altered successfully'
          : 'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.',
      }
    })
  }

  resetConnectorOffsets(name: string): Promise<Message> {
    return this.core.submitSettled(`resetting the offsets of ${name}`, async () => {
      const config = await this.#stoppedForOffsets(name)
      await this.#fenceBeforeOffsets(name, config)
      const handled = (await this.core.worker?.resetConnectorOffsets(name, config)) ?? false
      return {
        message: handled
          ? 'The offsets for this connector have been reset successfully'
          : 'The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.',
      }
    })
  }

  async connectorPlugins(): Promise<PluginInfo[]> {
    // list() never includes config providers; REST's plugin types leave them out.
    return this.core.plugins.list(false).flatMap((p) => (p.type === 'configprovider' ? [] : [{ ...p, type: p.type }]))
  }

  async connectorPluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    return pluginConfigKeys(this.core.plugins, pluginName)
  }

  validateConnectorConfig(config: ConfigInput): Promise<ConfigInfos> {
    const { plugins, config: worker, configResolver } = this.core
    return validateConnectorConfig(
      {
        plugins,
        workerGroupId: worker.string('group.id'),
        workerConfig: worker.props,
        workerConverters: {
          key: worker.string('key.converter'),
          value: worker.string('value.converter'),
          header: worker.string('header.converter'),
        },
        exactlyOnceSourceEnabled: worker.string('exactly.once.source.support').toLowerCase() === 'enabled',
        ...(configResolver ? { resolve: configResolver } : {}),
      },
      config,
    )
  }

  async allLoggerLevels(): Promise<Record<string, LoggerLevel>> {
    return this.core.loggers.all()
  }

  async loggerLevel(name: string): Promise<LoggerLevel | undefined> {
    return this.core.loggers.level(name)
  }

  async setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    return this.core.loggers.set(namespace, level)
  }

  setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    return this.core.configStore.putLoggerLevel(namespace, level)
  }

  putTaskConfigs(name: string, configs: ConfigMap[]): Promise<void> {
    // Held through a rebalance as a connector config is (submitSettled): a follower sends these right after each one.
    return this.core.submitSettled(`writing task configs of ${name} sent by a follower`, async () => {
      this.#requireLeader('Only the leader may write task configurations.')
      this.#config(name)
      const snapshot = this.core.snapshot
      if (snapshot.targetState(name) === 'STOPPED' && configs.length > 0) {
        throw new BadRequestError(`Connector ${name} is stopped and cannot have task configurations`)
      }
      await this.core.leaderDuties.writeTaskConfigsIfChanged(snapshot, name, configs)
    })
  }

  fenceZombieSourceTasks(name: string): Promise<void> {
    return this.#run(`fencing zombie tasks of ${name}`, async () => {
      // As Java: no rebalance check, only leadership (a task starting right after a rebalance asks at once).
      if (!this.core.isLeader)
        throw new NotLeaderError('Only the leader may perform zombie fencing.', this.core.leaderUrl)
      const config = this.#config(name)
      if (this.#kind(config) !== 'source') throw new BadRequestError(`Connector ${name} is not a source connector`)
      const fenceProducers = this.core.fenceProducers
      if (!fenceProducers) {
        // Without a producer fencer (exactly-once source is off here) there are no task producers to fence.
        await this.core.configStore.putTaskCountRecord(name, this.core.snapshot.taskCount(name))
        return
      }
      await this.#fenceZombies(name, fenceProducers)
    })
  }

  /**
   * The checks an exactly-once source task makes around the start of its transactional producer (Java's
   * preProducerCheck and postProducerCheck): fencing by the leader, here or forwarded; then ownership.
   */
  exactlyOnceHooks(): ExactlyOnceSourceHooks {
    return {
      fenceZombies: async (connector) => {
        try {
          await this.fenceZombieSourceTasks(connector)
        } catch (error) {
          if (!(error instanceof NotLeaderError)) throw error
          if (error.leaderUrl === undefined) throw new RebalanceInProgressError()
          await this.core.forwardZombieFencing(error.leaderUrl, connector)
        }
      },
      verifyStillOwned: async (task, generation) => {
        // The read to the end runs off the loop (it waits on the broker); the check reads herder state, so it runs
        // on the loop, between jobs, as Java's verifyTaskGenerationAndOwnership runs as a herder request.
        await this.core.configStore.refresh()
        await this.core.loop.submit(`verifying that ${task.connector}-${task.task} is still owned here`, () => {
          const current = this.core.snapshot.taskConfigGeneration(task.connector)
          if (current !== generation) {
            throw new ConnectError(
              'CONFLICT',
              `Task ${task.connector}-${task.task} was started with task configs of generation ${generation}, but the connector's configs are now of generation ${current}`,
            )
          }
          if (!(this.core.work?.hasTask(task) ?? false)) {
            throw new ConnectError(
              'NOT_ASSIGNED',
              `Task ${task.connector}-${task.task} is no longer assigned to this worker`,
            )
          }
        })
      },
    }
  }

  async internalRequestSecurity(): Promise<InternalRequestSecurity> {
    const key = this.core.snapshot.sessionKey
    const c = this.core.config
    return {
      required: this.core.coordinator?.protocol === 'sessioned',
      sessionKey: key === undefined ? undefined : { key: key.key, algorithm: key.algorithm },
      signatureAlgorithm: c.string('inter.worker.signature.algorithm'),
      verificationAlgorithms: c.getList('inter.worker.verification.algorithms') ?? [],
    }
  }
}
