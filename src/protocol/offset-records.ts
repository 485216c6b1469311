/**
 * Keys and values of the offsets topic (offset.storage.topic): source connectors' positions.
 *
 *   key    ["<connector>",{<source partition>}]     compact JSON, e.g. ["file-source",{"filename":"/data/a.txt"}]
 *   value  {<source offset>}                        compact JSON, e.g. {"position":4096}; null = offset removed
 *
 * Both are written by Java's internal JsonConverter (see jackson-json.ts for the exact bytes). Workers look offsets
 * up by the key's exact bytes, so field order and number formatting inside the partition decide whether a lookup
 * finds what another worker wrote. Give a partition as a Map to control field order; plain objects keep insertion
 * order, except that JS puts integer-like keys ("0", "17") first.
 *
 * Partitions and offsets are maps with string keys whose values are primitives (null, boolean, number, bigint,
 * string, bytes), as OffsetUtils.validateFormat requires; the partition itself may also be null.
 */
import { CorruptDataError } from '../errors.ts'
import {
  decodeJson,
  encodeJson,
  isJsonObject,
  type JsonMap,
  type JsonObject,
  type JsonValue,
  toJacksonJson,
} from './jackson-json.ts'

/** A source partition or source offset: string keys, primitive values. */
export type OffsetMap = JsonObject | JsonMap

/** An offsets-topic key, parsed. */
export interface OffsetKey {
  connector: string
  /** The source partition; null when the connector used a null partition. */
  partition: JsonObject | null
}

function isPrimitive(value: JsonValue | undefined): boolean {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    value instanceof Uint8Array
  )
}

/** Throws a TypeError unless `map` is null or has only primitive values (OffsetUtils.validateFormat). */
export function validateOffsetMap(map: OffsetMap | null, what: string): void {
  if (map === null) return
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map)
  for (const [key, value] of entries) {
    if (!isPrimitive(value)) {
      throw new TypeError(`${what} may only contain primitive types as values, but field ${key} does not`)
    }
  }
}

/** The key bytes for a connector's source partition: `["<connector>",{...}]`. */
export function encodeOffsetKey(connector: string, partition: OffsetMap | null): Buffer {
  validateOffsetMap(partition, 'Source partitions')
  return encodeJson([connector, partition])
}

/**
 * A source partition's text as its offsets-topic key holds it (without the connector), for grouping a task's
 * offsets by partition: equal partitions give equal text, Maps keep their order and bigints their digits, where
 * JSON.stringify would make every Map `{}` and throw on a bigint.
 */
export function sourcePartitionText(partition: OffsetMap | null): string {
  return toJacksonJson(partition)
}

/** The value bytes for a source offset, or null (a tombstone) when the offset is null. */
export function encodeOffsetValue(offset: OffsetMap | null): Buffer | null {
  validateOffsetMap(offset, 'Offsets')
  return offset === null ? null : encodeJson(offset)
}

/**
 * Parses key bytes as OffsetUtils.processPartitionKey does: a two-element array of a string and an object (or
 * null). Throws CorruptDataError otherwise.
 */
export function decodeOffsetKey(bytes: Uint8Array): OffsetKey {
  const value = decodeJson(bytes)
  if (!Array.isArray(value)) throw new CorruptDataError('offset key is not a JSON array')
  if (value.length !== 2) throw new CorruptDataError(`offset key has ${value.length} elements instead of 2`)
  const [connector, partition] = value
  if (typeof connector !== 'string') throw new CorruptDataError('offset key: the connector name is not a string')
  if (partition !== null && !isJsonObject(partition)) {
    throw new CorruptDataError('offset key: the source partition is not a JSON object')
  }
  return { connector, partition: partition ?? null }
}

/** Parses value bytes: a JSON object. Throws CorruptDataError otherwise. */
export function decodeOffsetValue(bytes: Uint8Array): JsonObject {
  const value = decodeJson(bytes)
  if (!isJsonObject(value)) throw new CorruptDataError('offset value is not a JSON object')
  return value
}

function sortedDeep(value: JsonValue | undefined): JsonValue {
  if (value === undefined) return null
  if (Array.isArray(value)) return value.map(sortedDeep)
  if (value instanceof Map) return sortedDeep(Object.fromEntries(value))
  if (isJsonObject(value)) {
    const sorted = new Map<string, JsonValue>()
    for (const key of Object.keys(value).sort()) sorted.set(key, sortedDeep(value[key]))
    return sorted
  }
  return value
}

/**
 * An order-independent form of an offsets key, used as a fallback when an exact-bytes lookup misses: a Java
 * connector's HashMap may have written the partition's fields in another order than a TS connector builds them.
 */
export function canonicalOffsetKey(connector: string, partition: OffsetMap | JsonObject | null): string {
  return toJacksonJson([connector, sortedDeep(partition)])
}
