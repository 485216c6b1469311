/**
 * The worker this build of connect-distributed runs until issue 6's Worker lands: the cluster side is complete
 * (group, REST, config and status topics), but no connector or task runs. Each start is reported FAILED with a
 * trace that says so, rather than pretending to run. distributed-wiring.ts's createWorker is the seam: it will
 * build `new Worker({ ..., configResolver })` instead.
 */
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConfigMap, TargetState, TaskId } from '../stores/config-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import type { ConnectorKind, PartitionOffset, WorkerApi } from '../worker/worker-api.ts'

const TRACE = 'org.apache.kafka.connect.errors.ConnectException: this tsconnect build has no connector runtime yet'

/** See the file comment. */
export class NoRuntimeWorker implements WorkerApi {
  readonly workerId: string
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
      const type = this.#plugins.find('connector', config['connector.class'] ?? '')?.type
      return type === 'source' || type === 'sink' ? type : 'unknown'
    } catch {
      return 'unknown'
    }
  }

  async startConnector(connector: string, _config: ConfigMap, _state: TargetState): Promise<boolean> {
    await this.#statuses.put({
      connector,
      state: 'FAILED',
      trace: TRACE,
      workerId: this.workerId,
      generation: this.#generation(),
    })
    return false
  }

  async connectorTaskConfigs(): Promise<ConfigMap[]> {
    return []
  }

  async setTargetState(): Promise<void> {}

  async startTask(task: TaskId): Promise<boolean> {
    await this.#statuses.put({
      ...task,
      state: 'FAILED',
      trace: TRACE,
      workerId: this.workerId,
      generation: this.#generation(),
    })
    return false
  }

  async stopConnectors(): Promise<void> {}
  async stopTasks(): Promise<void> {}

  runningConnectors(): string[] {
    return []
  }

  runningTasks(): TaskId[] {
    return []
  }

  async connectorOffsets(): Promise<PartitionOffset[]> {
    return []
  }

  async alterConnectorOffsets(): Promise<boolean> {
    return false
  }

  async resetConnectorOffsets(): Promise<boolean> {
    return false
  }

  async stop(): Promise<void> {}
}
