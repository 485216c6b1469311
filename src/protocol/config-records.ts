/**
 * Keys and values of the config topic (config.storage.topic), byte for byte as Java Connect writes them.
 *
 * Keys are plain UTF-8 strings; values are schemaless JSON (see jackson-json.ts) whose fields follow the order of
 * Java's Struct schemas; a null value is a tombstone. The record kinds, in the order Java tests key prefixes:
 *
 *   target-state-<connector>     {"state":"STARTED|PAUSED","state.v2":"STARTED|PAUSED|STOPPED"}   (STOPPED: state=PAUSED)
 *   connector-<connector>        {"properties":{"k":"v",...}}          null = connector deleted
 *   task-<connector>-<n>         {"properties":{"k":"v",...}}          waits for its commit record
 *   commit-<connector>           {"tasks":<int>}
 *   restart-connector-<conn>     {"include-tasks":<bool>,"only-failed":<bool>}
 *   tasks-fencing-<connector>    {"task-count":<int>}
 *   session-key                  {"key":"<base64>","algorithm":"HmacSHA256","creation-timestamp":<epoch ms>}
 *   logger-cluster-<namespace>   {"level":"DEBUG"}
 *
 * Decoders follow KafkaConfigBackingStore's rules for what to accept; anything else is a CorruptDataError that the
 * store logs and skips.
 */
import { CorruptDataError } from '../errors.ts'
import { decodeJson, encodeJson, isJsonInteger, isJsonObject, type JsonObject, type JsonValue } from './jackson-json.ts'

/** What a connector should be doing, as stored in target-state records. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

const TARGET_STATES: readonly string[] = ['STARTED', 'PAUSED', 'STOPPED']

/** Connector or task configuration: raw strings, with config-provider variables unresolved. */
export type ConfigMap = Record<string, string | null>

/** The KIP-507 key that signs requests between workers. */
export interface SessionKey {
  /** The raw key bytes. */
  key: Buffer
  /** The JCA algorithm name, e.g. HmacSHA256. */
  algorithm: string
  /** When the leader created it (epoch ms). */
  creationTimestamp: number
}

/** A KIP-745 restart request. */
export interface RestartRequest {
  connector: string
  includeTasks: boolean
  onlyFailed: boolean
}

/** The key prefixes, and the one fixed key. */
export const CONFIG_KEYS = {
  targetState: 'target-state-',
  connector: 'connector-',
  task: 'task-',
  commit: 'commit-',
  restart: 'restart-connector-',
  taskCount: 'tasks-fencing-',
  sessionKey: 'session-key',
  logger: 'logger-cluster-',
} as const

/** A config-topic key, parsed. */
export type ConfigKey =
  | { kind: 'target-state'; connector: string }
  | { kind: 'connector'; connector: string }
  | { kind: 'task'; connector: string; task: number }
  | { kind: 'commit'; connector: string }
  | { kind: 'restart'; connector: string }
  | { kind: 'task-count'; connector: string }
  | { kind: 'session-key' }
  | { kind: 'logger'; namespace: string }

/** `connector-<name>` */
export const connectorKey = (connector: string): string => CONFIG_KEYS.connector + connector
/** `target-state-<name>` */
export const targetStateKey = (connector: string): string => CONFIG_KEYS.targetState + connector
/** `task-<name>-<n>` */
export const taskKey = (connector: string, task: number): string => `${CONFIG_KEYS.task}${connector}-${task}`
/** `commit-<name>` */
export const commitKey = (connector: string): string => CONFIG_KEYS.commit + connector
/** `restart-connector-<name>` */
export const restartKey = (connector: string): string => CONFIG_KEYS.restart + connector
/** `tasks-fencing-<name>` */
export const taskCountKey = (connector: string): string => CONFIG_KEYS.taskCount + connector
/** `logger-cluster-<namespace>` */
export const loggerKey = (namespace: string): string => CONFIG_KEYS.logger + namespace

/** Java's `String.split("-")`: like JS split, but trailing empty strings are dropped. */
export function javaSplitDash(s: string): string[] {
  const parts = s.split('-')
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

/** Java's `Integer.parseInt` for a task number: optional sign, decimal digits, within int range; else undefined. */
export function javaParseInt(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined
  const n = Number(s)
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : undefined
}

/**
 * Splits `<prefix><connector>-<n>` keys: the last dash-separated part is the task number and the parts between the
 * first `skip` parts and the last form the connector name, so connector names may contain dashes.
 */
export function parseTaskIdKey(key: string, skip: number): { connector: string; task: number } | undefined {
  const parts = javaSplitDash(key)
  if (parts.length < skip + 2) return undefined
  const task = javaParseInt(parts[parts.length - 1] as string)
  if (task === undefined) return undefined
  return { connector: parts.slice(skip, -1).join('-'), task }
}

/** Parses a config-topic key; undefined for a key of no known kind (Java logs and drops those). */
export function parseConfigKey(key: string): ConfigKey | undefined {
  if (key.startsWith(CONFIG_KEYS.targetState)) {
    return { kind: 'target-state', connector: key.slice(CONFIG_KEYS.targetState.length) }
  }
  if (key.startsWith(CONFIG_KEYS.connector))
    return { kind: 'connector', connector: key.slice(CONFIG_KEYS.connector.length) }
  if (key.startsWith(CONFIG_KEYS.task)) {
    const id = parseTaskIdKey(key, 1)
    return id && { kind: 'task', ...id }
  }
  if (key.startsWith(CONFIG_KEYS.commit)) return { kind: 'commit', connector: key.slice(CONFIG_KEYS.commit.length) }
  if (key.startsWith(CONFIG_KEYS.restart)) return { kind: 'restart', connector: key.slice(CONFIG_KEYS.restart.length) }
  if (key.startsWith(CONFIG_KEYS.taskCount)) {
    return { kind: 'task-count', connector: key.slice(CONFIG_KEYS.taskCount.length) }
  }
  if (key === CONFIG_KEYS.sessionKey) return { kind: 'session-key' }
  if (key.startsWith(CONFIG_KEYS.logger)) return { kind: 'logger', namespace: key.slice(CONFIG_KEYS.logger.length) }
  return undefined
}

// ---- values: encoders ---------------------------------------------------------------------------------------------

/** `{"properties":{...}}`, the value of connector- and task- records. */
export function encodeConfigValue(properties: ConfigMap): Buffer {
  return encodeJson({ properties })
}

/** `{"tasks":N}`, the value of commit- records. */
export function encodeCommitValue(tasks: number): Buffer {
  return encodeJson({ tasks })
}

/** `{"state":...,"state.v2":...}`: older workers know no STOPPED, so they read it as PAUSED. */
export function encodeTargetStateValue(state: TargetState): Buffer {
  return encodeJson({ state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state })
}

/** `{"key":"<base64>","algorithm":...,"creation-timestamp":...}` */
export function encodeSessionKeyValue(sessionKey: SessionKey): Buffer {
  return encodeJson({
    key: sessionKey.key.toString('base64'),
    algorithm: sessionKey.algorithm,
    'creation-timestamp': sessionKey.creationTimestamp,
  })
}

/** `{"include-tasks":...,"only-failed":...}` */
export function encodeRestartValue(request: Pick<RestartRequest, 'includeTasks' | 'onlyFailed'>): Buffer {
  return encodeJson({ 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed })
}

/** `{"task-count":N}` */
export function encodeTaskCountValue(taskCount: number): Buffer {
  return encodeJson({ 'task-count': taskCount })
}

/** `{"level":"..."}` */
export function encodeLoggerLevelValue(level: string): Buffer {
  return encodeJson({ level })
}

// ---- values: decoders ---------------------------------------------------------------------------------------------

/** Decodes a non-null value to a JSON object, or throws CorruptDataError naming the record kind. */
function objectValue(bytes: Uint8Array, what: string): JsonObject {
  const value = decodeJson(bytes)
  if (!isJsonObject(value)) throw new CorruptDataError(`${what} is not a JSON object`)
  return value
}

function int32(value: JsonValue | undefined, field: string, what: string): number {
  if (!isJsonInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new CorruptDataError(`${what}: '${field}' should be an integer`)
  }
  return Number(value)
}

/** Decodes `{"properties":{...}}`; property values must be strings (or null). */
export function decodeConfigValue(bytes: Uint8Array, what = 'configuration'): ConfigMap {
  const properties = objectValue(bytes, what).properties
  if (!isJsonObject(properties)) throw new CorruptDataError(`${what}: 'properties' should be a JSON object`)
  const config: ConfigMap = {}
  for (const [key, value] of Object.entries(properties)) {
    if (value !== null && typeof value !== 'string') {
      throw new CorruptDataError(`${what}: property '${key}' should be a string`)
    }
    config[key] = value ?? null
  }
  return config
}

/** Decodes `{"tasks":N}`; N is never negative. */
export function decodeCommitValue(bytes: Uint8Array): number {
  const tasks = int32(objectValue(bytes, 'task commit').tasks, 'tasks', 'task commit')
  if (tasks < 0) throw new CorruptDataError(`task commit: 'tasks' should not be negative but is ${tasks}`)
  return tasks
}

/** Decodes a target state: `state.v2` when it is a string, else `state`, as Java reads it. */
export function decodeTargetStateValue(bytes: Uint8Array): TargetState {
  const value = objectValue(bytes, 'target state')
  const v2 = value['state.v2']
  const state = typeof v2 === 'string' ? v2 : value.state
  if (typeof state !== 'string') throw new CorruptDataError("target state: 'state' should be a string")
  if (!TARGET_STATES.includes(state)) throw new CorruptDataError(`target state: unknown state '${state}'`)
  return state as TargetState
}

/** Decodes a session key record. */
export function decodeSessionKeyValue(bytes: Uint8Array): SessionKey {
  const value = objectValue(bytes, 'session key')
  const { key, algorithm } = value
  const created = value['creation-timestamp']
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(key) || key.length % 4 !== 0) {
    throw new CorruptDataError("session key: 'key' should be a base64 string")
  }
  if (typeof algorithm !== 'string') throw new CorruptDataError("session key: 'algorithm' should be a string")
  if (!isJsonInteger(created)) throw new CorruptDataError("session key: 'creation-timestamp' should be a long")
  return { key: Buffer.from(key, 'base64'), algorithm, creationTimestamp: Number(created) }
}

/** Decodes a restart request; a missing or non-boolean field is false, as in Java. */
export function decodeRestartValue(bytes: Uint8Array, connector: string): RestartRequest {
  const value = objectValue(bytes, 'restart request')
  const includeTasks = value['include-tasks']
  const onlyFailed = value['only-failed']
  return {
    connector,
    includeTasks: typeof includeTasks === 'boolean' ? includeTasks : false,
    onlyFailed: typeof onlyFailed === 'boolean' ? onlyFailed : false,
  }
}

/** Decodes `{"task-count":N}`. */
export function decodeTaskCountValue(bytes: Uint8Array): number {
  return int32(objectValue(bytes, 'task count record')['task-count'], 'task-count', 'task count record')
}

/** Decodes `{"level":"..."}`. */
export function decodeLoggerLevelValue(bytes: Uint8Array): string {
  const level = objectValue(bytes, 'logger level').level
  if (typeof level !== 'string') throw new CorruptDataError("logger level: 'level' should be a string")
  return level
}
