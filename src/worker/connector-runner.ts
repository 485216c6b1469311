/**
 * One connector running in this worker (Java's WorkerConnector): its instance, its context, and its target state.
 * STARTED runs it; PAUSED and STOPPED keep it stopped (its tasks are paused, or not run, by the herder and worker).
 * Status changes are written by the worker through `writeStatus`; a failure in start(), taskConfigs() or through
 * context.raiseError() makes it FAILED with the trace and tells the listener.
 */
import type { Connector, SinkConnector, SourceConnector } from '../api/connector.ts'
import { connectorConfigDef } from '../config/connect/connector-config.ts'
import { ConnectError, toError } from '../errors.ts'
import type { RegisteredPlugin } from '../plugins/registry.ts'
import type { ConfigMap, TargetState } from '../stores/config-store.ts'
import type { OffsetStore } from '../stores/offset-store.ts'
import type { ConnectState } from '../stores/status-store.ts'
import { withoutNulls } from '../util/config-map.ts'
import type { Logger } from '../util/log.ts'
import { StoreOffsetReader } from './offset-reader.ts'
import { traceOf } from './task-runner.ts'

/** What a connector runner reports to its worker. */
export interface ConnectorRunnerHooks {
  writeStatus(state: ConnectState, trace: string | null): Promise<void>
  onReconfigurationRequest(): void
  onFailure(error: Error): void
}

/** Java's TooManyTasksException, from tasks.max.enforce. */
export class TooManyTasksError extends ConnectError {
  override name = 'TooManyTasksError'
  constructor(connector: string, generated: number, max: number) {
    super(
      'INVALID_CONFIG',
      `The connector ${connector} has generated ${generated} tasks, which is greater than ${max}, the maximum number of tasks it is configured to create. This behaviour should be considered a bug and should be reported to the maintainers of the connector.`,
    )
  }
}

const CONNECTOR_CONFIG_DEF = connectorConfigDef()

/** The tasks.max of a connector config (default 1, at least 1), from the connector ConfigDef. */
export function tasksMax(config: Readonly<ConfigMap>): number {
  return CONNECTOR_CONFIG_DEF.parseOne('tasks.max', withoutNulls(config)) as number
}

/** Whether tasks.max.enforce is on (the default), from the connector ConfigDef. */
export function tasksMaxEnforced(config: Readonly<ConfigMap>): boolean {
  return CONNECTOR_CONFIG_DEF.parseOne('tasks.max.enforce', withoutNulls(config)) as boolean
}

/** A connector in this worker. */
export class ConnectorRunner {
  readonly name: string
  readonly #plugin: RegisteredPlugin<'source' | 'sink'>
  readonly #connector: Connector
  readonly #config: Record<string, string>
  readonly #rawConfig: Readonly<ConfigMap>
  readonly #hooks: ConnectorRunnerHooks
  readonly #log: Logger
  #started = false
  #failed = false
  #targetState: TargetState = 'STOPPED'

  constructor(opts: {
    name: string
    plugin: RegisteredPlugin<'source' | 'sink'>
    config: Readonly<ConfigMap>
    offsetStore: OffsetStore
    hooks: ConnectorRunnerHooks
    log: Logger
  }) {
    this.name = opts.name
    this.#plugin = opts.plugin
    this.#rawConfig = opts.config
    this.#config = withoutNulls(opts.config)
    this.#hooks = opts.hooks
    this.#log = opts.log
    this.#connector = opts.plugin.newInstance()
    const context = {
      requestTaskReconfiguration: () => {
        if (this.#started) this.#hooks.onReconfigurationRequest()
      },
      raiseError: (error: Error) => {
        void this.#fail(error)
      },
      offsetStorageReader: () => new StoreOffsetReader(opts.offsetStore, opts.name),
    }
    if (opts.plugin.type === 'source') (this.#connector as SourceConnector).initialize(context)
    else (this.#connector as SinkConnector).initialize(context)
  }

  get kind(): 'source' | 'sink' {
    return this.#plugin.type
  }

  get failed(): boolean {
    return this.#failed
  }

  get targetState(): TargetState {
    return this.#targetState
  }

  /** Moves to a target state; resolves false when the connector failed on the way. */
  async transitionTo(target: TargetState): Promise<boolean> {
    this.#targetState = target
    if (this.#failed) return false
    try {
      if (target === 'STARTED') {
        if (!this.#started) {
          await this.#connector.start(this.#config)
          this.#started = true
        }
        await this.#hooks.writeStatus('RUNNING', null)
      } else {
        await this.#stopConnector()
        await this.#hooks.writeStatus(target === 'PAUSED' ? 'PAUSED' : 'STOPPED', null)
      }
      return true
    } catch (error) {
      await this.#fail(toError(error))
      return false
    }
  }

  /** The connector's task configs, with task.class added (and topics copied for sinks), under tasks.max. */
  async taskConfigs(): Promise<ConfigMap[]> {
    const max = tasksMax(this.#rawConfig)
    let configs: Record<string, string>[]
    try {
      configs = await this.#connector.taskConfigs(max)
    } catch (error) {
      await this.#fail(toError(error))
      throw error
    }
    if (configs.length > max) {
      const error = new TooManyTasksError(this.name, configs.length, max)
      if (tasksMaxEnforced(this.#rawConfig)) {
        await this.#fail(error)
        throw error
      }
      this.#log.warn(error.message)
    }
    const taskClass = this.#connector.taskClass()
    // Java names the task class; tsconnect's built-ins name their Java twin's so that task configs match Java's.
    const java = this.#plugin.javaClassName
    // A Java plugin run by the JVM plugin host (src/jvm/) names its real Java task class.
    const own = (taskClass as { javaClassName?: string }).javaClassName
    const taskClassName =
      own ?? (java ? `${java.slice(0, java.lastIndexOf('.') + 1)}${taskClass.name}` : taskClass.name)
    return configs.map((c) => {
      const out: ConfigMap = { ...c, 'task.class': taskClassName }
      if (this.#plugin.type === 'sink') {
        for (const k of ['topics', 'topics.regex']) {
          const v = this.#rawConfig[k]
          if (v !== undefined) out[k] = v
        }
      }
      return out
    })
  }

  /** Stops the connector (if it runs); errors from its stop() are logged. */
  async stop(): Promise<void> {
    await this.#stopConnector()
  }

  async #stopConnector(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    try {
      await this.#connector.stop()
    } catch (error) {
      this.#log.error({ err: error }, 'the connector threw from stop()')
    }
  }

  async #fail(error: Error): Promise<void> {
    if (this.#failed) return
    this.#failed = true
    this.#log.error({ err: error }, `connector ${this.name} failed`)
    await this.#stopConnector()
    await this.#hooks.writeStatus('FAILED', traceOf(error)).catch(() => {})
    this.#hooks.onFailure(error)
  }

  /** The connector instance (for alterOffsets). */
  get instance(): Connector {
    return this.#connector
  }
}
