/**
 * The config topic's records applied to an in-memory view, with Java's rules (KafkaConfigBackingStore); no I/O.
 *
 * Why task configs wait for their commit record: a connector's task configs are written as several records, and
 * applying half an update could hand one source partition to two tasks. So task-<c>-<n> records are held back
 * ("deferred") until commit-<c> {"tasks":N} is read, and then applied together. Compaction complicates this: it
 * may remove older task records whose keys were rewritten, so a commit can find task ids missing. Such a
 * connector is marked inconsistent (it gets no tasks) until a later commit finds a complete set; extra task ids
 * are fine (a connector that shrank leaves higher-numbered task records behind). Deferred configs are dropped at
 * every commit, complete or not, so a later commit only uses configs written after this one.
 *
 * The config offset advances for every record whose value is valid JSON (or a tombstone), whatever its key: Java
 * counts the same way, and workers compare this number in the group protocol. A record that is not JSON does not
 * advance it.
 */
import { CorruptDataError } from '../errors.ts'
import {
  type ConfigMap,
  decodeCommitValue,
  decodeConfigValue,
  decodeLoggerLevelValue,
  decodeRestartValue,
  decodeSessionKeyValue,
  decodeTargetStateValue,
  decodeTaskCountValue,
  parseConfigKey,
  type SessionKey,
  type TargetState,
} from '../protocol/config-records.ts'
import { decodeJson } from '../protocol/jackson-json.ts'
import type { ClusterConfigSnapshot, ConfigUpdate, TaskId } from './config-store.ts'

const taskKeyOf = (connector: string, task: number) => `${connector}\u0000${task}`

/** The mutable view the store keeps; snapshot() freezes a copy. */
export class ConfigState {
  /** Listener events are produced only once the store has read the topic to its end the first time. */
  started = false
  #offset = -1
  #sessionKey: SessionKey | undefined
  readonly #connectorConfigs = new Map<string, Readonly<ConfigMap>>()
  readonly #targetStates = new Map<string, TargetState>()
  readonly #taskCounts = new Map<string, number>()
  readonly #taskConfigs = new Map<string, Readonly<ConfigMap>>()
  readonly #deferred = new Map<string, Map<number, Readonly<ConfigMap>>>()
  readonly #inconsistent = new Set<string>()
  readonly #generations = new Map<string, number>()
  readonly #taskCountRecords = new Map<string, number>()
  readonly #appliedConfigs = new Map<string, Readonly<ConfigMap>>()
  readonly #pendingFencing = new Set<string>()
  /** The last snapshot taken; snapshots are immutable, so it is shared until the next record changes the state. */
  #snapshot: ClusterConfigSnapshot | undefined

  /** The config offset (see the file comment). */
  get offset(): number {
    return this.#offset
  }

  /** Whether the connector has a configuration. */
  contains(connector: string): boolean {
    return this.#connectorConfigs.has(connector)
  }

  /**
   * Applies one record and returns the updates to announce (none before `started`). Throws CorruptDataError for a
   * record that cannot be used; the state is then unchanged, except for the offset as described above.
   */
  apply(key: string | null, value: Buffer | null, offset: bigint): ConfigUpdate[] {
    if (value !== null) decodeJson(value)
    this.#snapshot = undefined
    this.#offset = Number(offset) + 1
    if (key === null) throw new CorruptDataError('config record without a key')
    const parsed = parseConfigKey(key)
    if (!parsed) throw new CorruptDataError(`unknown config key ${JSON.stringify(key)}`)
    const updates: ConfigUpdate[] = []
    switch (parsed.kind) {
      case 'target-state':
        this.#applyTargetState(parsed.connector, value, updates)
        break
      case 'connector':
        this.#applyConnectorConfig(parsed.connector, value, updates)
        break
      case 'task':
        if (value === null) throw new CorruptDataError(`null configuration for task ${parsed.connector}-${parsed.task}`)
        this.#deferredOf(parsed.connector).set(parsed.task, Object.freeze(decodeConfigValue(value, `task ${key}`)))
        break
      case 'commit':
        this.#applyCommit(parsed.connector, value, updates)
        break
      case 'restart':
        if (value === null) throw new CorruptDataError(`null restart request for ${parsed.connector}`)
        if (this.started) {
          updates.push({ type: 'restart-request', request: decodeRestartValue(value, parsed.connector) })
        }
        break
      case 'task-count':
        if (value === null) throw new CorruptDataError(`null task count record for ${parsed.connector}`)
        this.#taskCountRecords.set(parsed.connector, decodeTaskCountValue(value))
        this.#pendingFencing.delete(parsed.connector)
        break
      case 'session-key':
        if (value === null) throw new CorruptDataError('null session key')
        this.#sessionKey = decodeSessionKeyValue(value)
        if (this.started) updates.push({ type: 'session-key', sessionKey: this.#sessionKey })
        break
      case 'logger':
        if (value === null) throw new CorruptDataError(`null logging level for ${parsed.namespace}`)
        // Levels apply to the workers running when they are written, not to those that start later.
        if (this.started) {
          updates.push({ type: 'logger-level', namespace: parsed.namespace, level: decodeLoggerLevelValue(value) })
        }
        break
    }
    return updates
  }

  #deferredOf(connector: string): Map<number, Readonly<ConfigMap>> {
    let deferred = this.#deferred.get(connector)
    if (!deferred) {
      deferred = new Map()
      this.#deferred.set(connector, deferred)
    }
    return deferred
  }

  #applyTargetState(connector: string, value: Buffer | null, updates: ConfigUpdate[]): void {
    if (value === null) {
      // Removal is announced through the connector's own tombstone; a connector still configured reverts to STARTED.
      this.#targetStates.delete(connector)
      if (this.#connectorConfigs.has(connector)) this.#targetStates.set(connector, 'STARTED')
      return
    }
    const state = decodeTargetStateValue(value)
    const previous = this.#targetStates.get(connector)
    this.#targetStates.set(connector, state)
    // A target state written just before its connector's config (create with initial state) is announced with it.
    if (this.started && previous !== state && this.#connectorConfigs.has(connector)) {
      updates.push({ type: 'target-state', connector })
    }
  }

  #applyConnectorConfig(connector: string, value: Buffer | null, updates: ConfigUpdate[]): void {
    if (value === null) {
      this.#removeConnector(connector)
      if (this.started) updates.push({ type: 'connector-config', connector, removed: true })
      return
    }
    const config = Object.freeze(decodeConfigValue(value, `connector ${connector}`))
    this.#connectorConfigs.set(connector, config)
    if (!this.#targetStates.has(connector)) this.#targetStates.set(connector, 'STARTED')
    if (this.started) updates.push({ type: 'connector-config', connector, removed: false })
  }

  #removeConnector(connector: string): void {
    this.#connectorConfigs.delete(connector)
    this.#taskCounts.delete(connector)
    for (const key of [...this.#taskConfigs.keys()]) {
      if (key.startsWith(`${connector}\u0000`)) this.#taskConfigs.delete(key)
    }
    this.#deferred.delete(connector)
    this.#appliedConfigs.delete(connector)
  }

  #applyCommit(connector: string, value: Buffer | null, updates: ConfigUpdate[]): void {
    // Read first: a commit that cannot be read is corrupt (and logged) whether or not its connector is known.
    if (value === null) throw new CorruptDataError(`null task commit for ${connector}`)
    const taskCount = decodeCommitValue(value)
    const connectorConfig = this.#connectorConfigs.get(connector)
    if (!connectorConfig) {
      // The connector was deleted and compaction removed both its config and its tombstone: ignore its tasks.
      this.#removeConnector(connector)
      return
    }
    const deferred = this.#deferred.get(connector)
    const applied: TaskId[] = []
    let complete = true
    for (let task = 0; task < taskCount; task++) if (!deferred?.has(task)) complete = false
    if (!complete) {
      this.#inconsistent.add(connector)
    } else {
      if (deferred) {
        for (const [task, config] of deferred) {
          this.#taskConfigs.set(taskKeyOf(connector, task), config)
          applied.push({ connector, task })
        }
        this.#generations.set(connector, (this.#generations.get(connector) ?? -1) + 1)
      }
      this.#inconsistent.delete(connector)
      this.#appliedConfigs.set(connector, connectorConfig)
    }
    deferred?.clear()
    this.#taskCounts.set(connector, taskCount)
    // New task configs need a round of zombie fencing before their tasks start (KIP-618).
    this.#pendingFencing.add(connector)
    if (this.started) updates.push({ type: 'task-configs', connector, tasks: applied.sort((a, b) => a.task - b.task) })
  }

  /**
   * An immutable copy of the current view. Copied once per change, not per call: the herder reads it for every
   * REST request (GET /connectors?expand=status asks once per connector).
   */
  snapshot(): ClusterConfigSnapshot {
    this.#snapshot ??= new ConfigSnapshot(this.#offset, this.#sessionKey, {
      connectorConfigs: new Map(this.#connectorConfigs),
      targetStates: new Map(this.#targetStates),
      taskCounts: new Map(this.#taskCounts),
      taskConfigs: new Map(this.#taskConfigs),
      inconsistent: new Set(this.#inconsistent),
      generations: new Map(this.#generations),
      taskCountRecords: new Map(this.#taskCountRecords),
      appliedConfigs: new Map(this.#appliedConfigs),
      pendingFencing: new Set(this.#pendingFencing),
    })
    return this.#snapshot
  }
}

interface SnapshotMaps {
  connectorConfigs: ReadonlyMap<string, Readonly<ConfigMap>>
  targetStates: ReadonlyMap<string, TargetState>
  taskCounts: ReadonlyMap<string, number>
  taskConfigs: ReadonlyMap<string, Readonly<ConfigMap>>
  inconsistent: ReadonlySet<string>
  generations: ReadonlyMap<string, number>
  taskCountRecords: ReadonlyMap<string, number>
  appliedConfigs: ReadonlyMap<string, Readonly<ConfigMap>>
  pendingFencing: ReadonlySet<string>
}

class ConfigSnapshot implements ClusterConfigSnapshot {
  readonly offset: number
  readonly sessionKey: SessionKey | undefined
  readonly connectors: readonly string[]
  readonly inconsistentConnectors: readonly string[]
  readonly #maps: SnapshotMaps

  constructor(offset: number, sessionKey: SessionKey | undefined, maps: SnapshotMaps) {
    this.offset = offset
    this.sessionKey = sessionKey
    this.#maps = maps
    this.connectors = Object.freeze([...maps.connectorConfigs.keys()].sort())
    this.inconsistentConnectors = Object.freeze([...maps.inconsistent].sort())
  }

  contains(connector: string): boolean {
    return this.#maps.connectorConfigs.has(connector)
  }

  connectorConfig(connector: string): Readonly<ConfigMap> | undefined {
    return this.#maps.connectorConfigs.get(connector)
  }

  appliedConnectorConfig(connector: string): Readonly<ConfigMap> | undefined {
    return this.#maps.appliedConfigs.get(connector)
  }

  targetState(connector: string): TargetState | undefined {
    return this.#maps.targetStates.get(connector)
  }

  taskConfig(task: TaskId): Readonly<ConfigMap> | undefined {
    return this.#maps.taskConfigs.get(taskKeyOf(task.connector, task.task))
  }

  taskCount(connector: string): number {
    return this.#maps.taskCounts.get(connector) ?? 0
  }

  tasks(connector: string): readonly TaskId[] {
    if (this.#maps.inconsistent.has(connector)) return []
    return Array.from({ length: this.taskCount(connector) }, (_, task) => ({ connector, task }))
  }

  taskConfigGeneration(connector: string): number | undefined {
    return this.#maps.generations.get(connector)
  }

  taskCountRecord(connector: string): number | undefined {
    return this.#maps.taskCountRecords.get(connector)
  }

  pendingFencing(connector: string): boolean {
    return this.#maps.pendingFencing.has(connector)
  }
}
