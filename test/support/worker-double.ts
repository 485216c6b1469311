/**
 * A worker for herder tests, standing in for issue 6's Worker behind the WorkerApi: it runs nothing, but keeps what
 * it was told to run, answers task configs by asking the real connector plugin (taskConfigs(tasks.max)), and writes
 * the statuses a worker writes (RUNNING, PAUSED, STOPPED when started or moved; UNASSIGNED when stopped), so that the
 * herder and REST can be observed through their own reads. `calls` lists what the herder asked, in order.
 */
import type { Connector } from '../../src/api/connector.ts'
import { NotFoundError } from '../../src/errors.ts'
import type { PluginRegistry } from '../../src/plugins/registry.ts'
import type { ConfigMap, TargetState, TaskId } from '../../src/stores/config-store.ts'
import type { StatusStore } from '../../src/stores/status-store.ts'
import type { ConnectorKind, PartitionOffset, WorkerApi } from '../../src/worker/worker-api.ts'

const RUNNING_STATE = { STARTED: 'RUNNING', PAUSED: 'PAUSED', STOPPED: 'STOPPED' } as const

function strings(config: ConfigMap): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter((e): e is [string, string] => e[1] !== null))
}

/** See the file comment. */
export class WorkerDouble implements WorkerApi {
  readonly workerId: string
  readonly calls: string[] = []
  readonly connectors = new Map<string, { config: ConfigMap; state: TargetState }>()
  readonly tasks = new Map<string, { id: TaskId; config: ConfigMap; state: TargetState }>()
  readonly offsets = new Map<string, PartitionOffset[]>()
  stopped = false
  /** How long each task's stop takes (a task that does not stop is abandoned after the graceful timeout). */
  stopDelayMs: (task: TaskId) => number = () => 0
  /** While set, task stops hang until it resolves (a task whose stop does not return: holdStops). */
  #stopGate: Promise<void> | undefined
  readonly #statuses: StatusStore
  readonly #plugins: PluginRegistry
  readonly #generation: () => number

  constructor(workerId: string, statuses: StatusStore, plugins: PluginRegistry, generation: () => number) {
    this.workerId = workerId
    this.#statuses = statuses
    this.#plugins = plugins
    this.#generation = generation
  }

  connectorKind(config: ConfigMap): ConnectorKind {
    try {
      const plugin = this.#plugins.find('connector', config['connector.class'] ?? '')
      return plugin?.type === 'sink' ? 'sink' : plugin?.type === 'source' ? 'source' : 'unknown'
    } catch {
      return 'unknown'
    }
  }

  async #status(state: string, connector: string, task?: number): Promise<void> {
    const status = { state, trace: null, workerId: this.workerId, generation: this.#generation(), connector }
    await this.#statuses.put(task === undefined ? (status as never) : ({ ...status, task } as never))
  }

  async startConnector(connector: string, config: ConfigMap, targetState: TargetState): Promise<boolean> {
    this.calls.push(`startConnector ${connector} ${targetState}`)
    this.connectors.set(connector, { config, state: targetState })
    await this.#status(RUNNING_STATE[targetState], connector)
    return true
  }

  async connectorTaskConfigs(connector: string): Promise<ConfigMap[]> {
    const running = this.connectors.get(connector)
    if (running === undefined) throw new NotFoundError(`Connector ${connector} does not run here`)
    const config = strings(running.config)
    const instance = this.#plugins.newInstance('connector', config['connector.class'] ?? '') as Connector
    await instance.start(config)
    return instance.taskConfigs(Number(config['tasks.max'] ?? '1'))
  }

  async setTargetState(connector: string, targetState: TargetState): Promise<void> {
    this.calls.push(`setTargetState ${connector} ${targetState}`)
    const running = this.connectors.get(connector)
    if (running !== undefined) {
      running.state = targetState
      await this.#status(RUNNING_STATE[targetState], connector)
    }
    for (const t of this.tasks.values()) {
      if (t.id.connector !== connector || targetState === 'STOPPED') continue
      t.state = targetState
      await this.#status(RUNNING_STATE[targetState], connector, t.id.task)
    }
  }

  async startTask(task: TaskId, _cc: ConfigMap, taskConfig: ConfigMap, targetState: TargetState): Promise<boolean> {
    this.calls.push(`startTask ${task.connector}-${task.task} ${targetState}`)
    this.tasks.set(`${task.connector}-${task.task}`, { id: task, config: taskConfig, state: targetState })
    await this.#status(targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING', task.connector, task.task)
    return true
  }

  async stopConnectors(connectors: readonly string[]): Promise<void> {
    for (const c of connectors) {
      if (!this.connectors.delete(c)) continue
      this.calls.push(`stopConnector ${c}`)
      await this.#statuses.putSafe({
        state: 'UNASSIGNED',
        trace: null,
        workerId: this.workerId,
        generation: this.#generation(),
        connector: c,
      })
    }
  }

  /** Makes task stops hang, as tasks stuck on a missing topic do, until the returned function is called. */
  holdStops(): () => void {
    let release = () => {}
    this.#stopGate = new Promise<void>((resolve) => {
      release = () => {
        this.#stopGate = undefined
        resolve()
      }
    })
    return release
  }

  async stopTasks(tasks: readonly TaskId[]): Promise<void> {
    if (tasks.length > 0) this.calls.push(`stopping ${tasks.length} tasks`)
    await this.#stopGate
    const delay = Math.max(
      0,
      ...tasks.map((t) => (this.tasks.has(`${t.connector}-${t.task}`) ? this.stopDelayMs(t) : 0)),
    )
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    for (const t of tasks) {
      if (!this.tasks.delete(`${t.connector}-${t.task}`)) continue
      this.calls.push(`stopTask ${t.connector}-${t.task}`)
      await this.#statuses.putSafe({
        state: 'UNASSIGNED',
        trace: null,
        workerId: this.workerId,
        generation: this.#generation(),
        ...t,
      })
    }
  }

  runningConnectors(): string[] {
    return [...this.connectors.keys()]
  }

  runningTasks(): TaskId[] {
    return [...this.tasks.values()].map((t) => t.id)
  }

  async connectorOffsets(connector: string): Promise<PartitionOffset[]> {
    return this.offsets.get(connector) ?? []
  }

  async alterConnectorOffsets(
    connector: string,
    _config: ConfigMap,
    offsets: readonly PartitionOffset[],
  ): Promise<boolean> {
    const key = (o: PartitionOffset) => JSON.stringify(o.partition)
    const byPartition = new Map((this.offsets.get(connector) ?? []).map((o) => [key(o), o]))
    for (const o of offsets) {
      if (o.offset === null) byPartition.delete(key(o))
      else byPartition.set(key(o), o)
    }
    this.offsets.set(connector, [...byPartition.values()])
    return false
  }

  async resetConnectorOffsets(connector: string): Promise<boolean> {
    this.offsets.delete(connector)
    return false
  }

  async stop(): Promise<void> {
    this.calls.push('stop')
    await this.stopTasks(this.runningTasks())
    await this.stopConnectors(this.runningConnectors())
    this.stopped = true
  }
}
