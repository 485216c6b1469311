/**
 * Keys and values of the status topic (status.storage.topic), byte for byte as Java Connect writes them.
 *
 *   status-connector-<connector>            {"state":"RUNNING","trace":null,"worker_id":"host:8083","generation":7,"version":"1.0"}
 *   status-task-<connector>-<n>             same shape
 *   status-topic-<topic>:connector-<conn>   {"topic":{"name":"<topic>","connector":"<conn>","task":<n>,"discoverTimestamp":<ms>}}
 *
 * `trace` is always present (JSON null when there is none). DESTROYED is never written as a value: it is a
 * tombstone, as is a reset topic. Task keys split on dashes: the last part is the task number, the parts from the
 * third to the last form the connector name.
 */
import { CorruptDataError } from '../errors.ts'
import { parseTaskIdKey } from './config-records.ts'
import { decodeJson, encodeJson, isJsonInteger, isJsonObject, type JsonObject, type JsonValue } from './jackson-json.ts'

/** The states of connectors and tasks (STOPPED is for connectors only). */
export type ConnectState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING' | 'STOPPED' | 'DESTROYED'

const STATES: readonly string[] = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'RESTARTING', 'STOPPED', 'DESTROYED']

/** The value of a connector or task status record. */
export interface StatusValue {
  state: ConnectState
  /** The stack trace of a failure, or null. */
  trace: string | null
  /** `host:port` of the worker that wrote it. */
  workerId: string
  /** The group generation the writer was in. */
  generation: number
  /** The connector's or task's plugin version (Kafka 4.1+, KIP-891); absent or null when unknown. */
  version?: string | null
}

/** The value of a topic status record: a topic a connector's task used (KIP-558). */
export interface TopicStatusValue {
  topic: string
  connector: string
  task: number
  discoverTimestamp: number
}

/** A status-topic key, parsed. */
export type StatusKey =
  | { kind: 'connector'; connector: string }
  | { kind: 'task'; connector: string; task: number }
  | { kind: 'topic'; topic: string; connector: string }

/** The key prefixes. */
export const STATUS_KEYS = {
  connector: 'status-connector-',
  task: 'status-task-',
  topic: 'status-topic-',
  topicSeparator: ':connector-',
} as const

/** `status-connector-<name>` */
export const connectorStatusKey = (connector: string): string => STATUS_KEYS.connector + connector
/** `status-task-<name>-<n>` */
export const taskStatusKey = (connector: string, task: number): string => `${STATUS_KEYS.task}${connector}-${task}`
/** `status-topic-<topic>:connector-<name>` */
export const topicStatusKey = (topic: string, connector: string): string =>
  STATUS_KEYS.topic + topic + STATUS_KEYS.topicSeparator + connector

/** Parses a status key; throws CorruptDataError for a malformed or unknown key. */
export function parseStatusKey(key: string): StatusKey {
  if (key.startsWith(STATUS_KEYS.connector)) {
    const connector = key.slice(STATUS_KEYS.connector.length)
    if (!connector) throw new CorruptDataError(`invalid connector status key ${key}`)
    return { kind: 'connector', connector }
  }
  if (key.startsWith(STATUS_KEYS.task)) {
    const id = parseTaskIdKey(key, 2)
    if (!id) throw new CorruptDataError(`invalid task status key ${key}`)
    return { kind: 'task', ...id }
  }
  if (key.startsWith(STATUS_KEYS.topic)) {
    const colon = key.indexOf(':')
    const start = STATUS_KEYS.topic.length
    const topic = colon >= start ? key.slice(start, colon) : ''
    const connector = colon >= start ? key.slice(colon + STATUS_KEYS.topicSeparator.length) : ''
    if (!topic || !connector || !key.startsWith(STATUS_KEYS.topicSeparator, colon)) {
      throw new CorruptDataError(`invalid topic status key ${key}`)
    }
    return { kind: 'topic', topic, connector }
  }
  throw new CorruptDataError(`unknown status key ${key}`)
}

/**
 * `{"state":...,"trace":...,"worker_id":...,"generation":...,"version":...}`, as Kafka 4.1+ writes it (older
 * workers ignore `version`); DESTROYED has no value (write a tombstone).
 */
export function encodeStatusValue(status: StatusValue): Buffer {
  if (status.state === 'DESTROYED') throw new TypeError('DESTROYED is written as a tombstone, not a value')
  return encodeJson({
    state: status.state,
    trace: status.trace,
    worker_id: status.workerId,
    generation: status.generation,
    version: status.version ?? null,
  })
}

/** `{"topic":{"name":...,"connector":...,"task":...,"discoverTimestamp":...}}` */
export function encodeTopicStatusValue(status: TopicStatusValue): Buffer {
  return encodeJson({
    topic: {
      name: status.topic,
      connector: status.connector,
      task: status.task,
      discoverTimestamp: status.discoverTimestamp,
    },
  })
}

function objectOf(value: JsonValue | undefined, what: string): JsonObject {
  if (!isJsonObject(value)) throw new CorruptDataError(`${what} is not a JSON object`)
  return value
}

function integer(value: JsonValue | undefined, field: string, what: string): number {
  if (!isJsonInteger(value)) throw new CorruptDataError(`${what}: '${field}' should be an integer`)
  return Number(value)
}

/** Decodes a connector or task status value. */
export function decodeStatusValue(bytes: Uint8Array): StatusValue {
  const value = objectOf(decodeJson(bytes), 'status')
  const { state, trace } = value
  const workerId = value.worker_id
  if (typeof state !== 'string' || !STATES.includes(state)) {
    throw new CorruptDataError(`status: unknown state ${JSON.stringify(state)}`)
  }
  if (trace !== null && trace !== undefined && typeof trace !== 'string') {
    throw new CorruptDataError("status: 'trace' should be a string or null")
  }
  if (typeof workerId !== 'string') throw new CorruptDataError("status: 'worker_id' should be a string")
  return {
    state: state as ConnectState,
    trace: trace ?? null,
    workerId,
    generation: integer(value.generation, 'generation', 'status'),
    // Written before Kafka 4.1, or by a worker that did not know the version: left out.
    ...(typeof value.version === 'string' ? { version: value.version } : {}),
  }
}

/** Decodes a topic status value. */
export function decodeTopicStatusValue(bytes: Uint8Array): TopicStatusValue {
  const inner = objectOf(objectOf(decodeJson(bytes), 'topic status').topic, "topic status 'topic'")
  const { name, connector } = inner
  if (typeof name !== 'string') throw new CorruptDataError("topic status: 'name' should be a string")
  if (typeof connector !== 'string') throw new CorruptDataError("topic status: 'connector' should be a string")
  return {
    topic: name,
    connector,
    task: integer(inner.task, 'task', 'topic status'),
    discoverTimestamp: integer(inner.discoverTimestamp, 'discoverTimestamp', 'topic status'),
  }
}
