/**
 * What only the leader does (Java's DistributedHerder leader branches: task configs, KIP-507 session keys, KIP-745 restart requests), apart from the herder's loop so that the loop
 * stays a dispatcher: writing task configs (only when they changed), rotating the session key, tombstoning the
 * statuses of removed connectors (DESTROYED), and planning restart requests.
 *
 * Every method runs on the herder's loop, called only while this worker leads a resolved generation.
 */
import { randomBytes } from 'node:crypto'
import type { ClusterConfigSnapshot, ConfigMap, ConfigStore, RestartRequest } from '../stores/config-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import type { Logger } from '../util/log.ts'
import type { ConnectorStateInfo } from './herder.ts'

/** The session key settings (inter.worker.key.*). */
export interface SessionKeySettings {
  readonly algorithm: string
  /** Key size in bits; undefined for the algorithm's default. */
  readonly sizeBits: number | undefined
  readonly ttlMs: number
}

/** The default key size of each HMAC algorithm, as the JDK's KeyGenerator picks it. */
const DEFAULT_KEY_BITS: Record<string, number> = { HmacSHA256: 256, HmacSHA384: 384, HmacSHA512: 512 }

/** Whether new task configs differ from the committed ones, or the connector config changed since they were made. */
export function taskConfigsChanged(snapshot: ClusterConfigSnapshot, connector: string, configs: readonly ConfigMap[]) {
  const tasks = snapshot.tasks(connector)
  if (tasks.length !== configs.length || snapshot.taskCount(connector) !== configs.length) return true
  if (!sameMap(snapshot.appliedConnectorConfig(connector), snapshot.connectorConfig(connector))) return true
  return configs.some((c, task) => !sameMap(snapshot.taskConfig({ connector, task }), c))
}

function sameMap(a: Readonly<ConfigMap> | undefined, b: Readonly<ConfigMap> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

/**
 * Task configs as stored: for every key whose raw connector value holds a config-provider reference, the task
 * config keeps the reference rather than the resolved value (Java's reverseTransform), so no secret is written.
 */
export function withReferencesRestored(
  connectorConfig: Readonly<Record<string, string | null>>,
  configs: readonly ConfigMap[],
): ConfigMap[] {
  const references = Object.entries(connectorConfig).filter(
    ([, v]) => typeof v === 'string' && /\$\{[^}]*?:[^}]*?\}/.test(v),
  )
  return configs.map((c) => {
    const out = { ...c }
    for (const [k, v] of references) if (Object.hasOwn(out, k) && v !== null) out[k] = v
    return out
  })
}

/** The leader's duties. */
export class LeaderDuties {
  readonly #configs: ConfigStore
  readonly #statuses: StatusStore
  readonly #key: SessionKeySettings
  readonly #log: Logger

  constructor(configs: ConfigStore, statuses: StatusStore, key: SessionKeySettings, log: Logger) {
    this.#configs = configs
    this.#statuses = statuses
    this.#key = key
    this.#log = log
  }

  /** Writes a connector's task configs when they differ from the committed ones; answers whether it wrote. */
  async writeTaskConfigsIfChanged(snapshot: ClusterConfigSnapshot, connector: string, configs: readonly ConfigMap[]) {
    if (!taskConfigsChanged(snapshot, connector, configs)) return false
    this.#log.info({ connector, tasks: configs.length }, 'Writing new task configs')
    await this.#configs.putTaskConfigs(connector, configs)
    return true
  }

  /**
   * Writes a new session key when there is none, it expired, or its algorithm or size differs from the settings.
   * Answers the ms until the key in force expires (when to check again).
   */
  async rotateSessionKey(snapshot: ClusterConfigSnapshot, now: number): Promise<number> {
    const current = snapshot.sessionKey
    const bits = this.#key.sizeBits ?? DEFAULT_KEY_BITS[this.#key.algorithm] ?? 256
    const expired = current !== undefined && current.creationTimestamp + this.#key.ttlMs <= now
    const different =
      current !== undefined && (current.algorithm !== this.#key.algorithm || current.key.length * 8 !== bits)
    if (current !== undefined && !expired && !different) return current.creationTimestamp + this.#key.ttlMs - now
    const reason = current === undefined ? 'no key yet' : expired ? 'the key expired' : 'the key settings changed'
    this.#log.info({ reason, algorithm: this.#key.algorithm }, 'Writing a new session key')
    await this.#configs.putSessionKey({
      key: randomBytes(bits / 8),
      algorithm: this.#key.algorithm,
      creationTimestamp: now,
    })
    return this.#key.ttlMs
  }

  /** Tombstones (DESTROYED) the statuses of connectors that have no config any more, and of their tasks. */
  async destroyRemoved(snapshot: ClusterConfigSnapshot, workerId: string, generation: number): Promise<void> {
    for (const connector of this.#statuses.connectors()) {
      if (!snapshot.contains(connector)) await this.destroy(connector, workerId, generation)
    }
  }

  /** Tombstones a connector's status and its tasks'. */
  async destroy(connector: string, workerId: string, generation: number): Promise<void> {
    const base = { state: 'DESTROYED' as const, trace: null, workerId, generation }
    await Promise.all([
      this.#statuses.put({ ...base, connector }),
      ...this.#statuses.tasks(connector).map((t) => this.#statuses.put({ ...base, connector, task: t.task })),
    ])
  }

  /**
   * Records a restart request and answers the states it plans (KIP-745): the instances to restart as RESTARTING,
   * the others as they are.
   */
  async planRestart(request: RestartRequest, status: ConnectorStateInfo): Promise<ConnectorStateInfo> {
    const restartConnector = !request.onlyFailed || status.connector.state === 'FAILED'
    const restartTask = (state: string) => request.includeTasks && (!request.onlyFailed || state === 'FAILED')
    await this.#configs.putRestartRequest(request)
    return {
      ...status,
      connector: restartConnector ? { ...status.connector, state: 'RESTARTING' } : status.connector,
      tasks: status.tasks.map((t) => (restartTask(t.state) ? { ...t, state: 'RESTARTING' } : t)),
    }
  }
}
