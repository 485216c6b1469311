/**
 * What a record becomes in the index (Confluent's DataConverter and Aiven's RecordConverter): the index is the
 * topic in lower case (route with RegexRouter or TimestampRouter to change it), the id the record key or
 * `topic+partition+offset`, the document the value as JSON without schema (JsonConverter, schemas.enable=false,
 * decimals as numbers), and a tombstone a delete, a skip or a failure by behavior.on.null.values.
 */
import { DataError, JsonConverter, type Schema, type SinkRecord, Struct } from 'tsconnect'
import type { IdStrategy, SearchSinkSettings } from './config.ts'

/** One bulk action. */
export type BulkAction =
  | { kind: 'index' | 'upsert'; index: string; id: string | null; source: string; record: SinkRecord }
  | { kind: 'delete'; index: string; id: string; record: SinkRecord }

/** The index a topic is written to: its name in lower case, without the leading characters indices may not have. */
export function indexName(topic: string): string {
  const lower = topic.toLowerCase().replace(/^[-_+]+/, '')
  if (lower === '' || lower === '.' || lower === '..') throw new DataError(`Topic ${topic} gives no valid index name`)
  return lower.length > 255 ? lower.slice(0, 255) : lower
}

function keyId(record: SinkRecord): string {
  const key = record.key
  if (key === null || key === undefined) throw new DataError('Key is used as document id and can not be null.')
  const type: Schema['type'] | undefined = record.keySchema?.type
  if (type !== undefined && !['INT8', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOLEAN'].includes(type)) {
    throw new DataError(`Key is used as document id, but its schema type ${type} is not a string, number or boolean.`)
  }
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') {
    return String(key)
  }
  throw new DataError('Key is used as document id, but it is not a string, number or boolean.')
}

/** The document id of a record, or null when the cluster is to pick one. */
export function documentId(record: SinkRecord, settings: SearchSinkSettings): string | null {
  const ignored = settings.keyIgnore || settings.topicKeyIgnore.has(record.topic)
  const strategy: IdStrategy = ignored ? settings.ignoredKeyId : 'record.key'
  switch (strategy) {
    case 'none':
      return null
    case 'record.key':
      return keyId(record)
    case 'topic.partition.offset':
      return `${record.topic}+${record.kafkaPartition}+${record.kafkaOffset}`
  }
}

/** Turns records into bulk actions; null when the record is skipped. */
export class DocumentConverter {
  readonly #settings: SearchSinkSettings
  readonly #json = new JsonConverter()

  constructor(settings: SearchSinkSettings) {
    this.#settings = settings
    this.#json.configure({ 'schemas.enable': 'false', 'decimal.format': 'NUMERIC' }, false)
  }

  /** The action of a record; throws DataError for a record that cannot be a document. */
  convert(record: SinkRecord): BulkAction | null {
    const index = indexName(record.topic)
    if (record.value === null || record.value === undefined) {
      switch (this.#settings.nullValues) {
        case 'ignore':
          return null
        case 'fail':
          throw new DataError(
            `Sink record with key of ${String(record.key)} and null value encountered for topic/partition/offset ${record.topic}/${record.kafkaPartition}/${record.kafkaOffset} (to ignore future records like this change the configuration behavior.on.null.values to 'ignore')`,
          )
        case 'delete': {
          const id = documentId(record, this.#settings)
          // Without an id there is nothing to delete (Confluent skips these too).
          if (id === null) return null
          return { kind: 'delete', index, id, record }
        }
      }
    }
    const id = documentId(record, this.#settings)
    const value = this.#settings.compactMapEntries ? record.value : expandMaps(record.valueSchema, record.value)
    const bytes = this.#json.fromConnectData(record.topic, record.valueSchema, value)
    const source = bytes === null ? 'null' : Buffer.from(bytes).toString('utf8')
    if (!source.startsWith('{')) {
      throw new DataError(
        `The value of the record at ${record.topic}/${record.kafkaPartition}/${record.kafkaOffset} is not a JSON object, so it cannot be a document`,
      )
    }
    return { kind: this.#settings.writeMethod === 'upsert' ? 'upsert' : 'index', index, id, source, record }
  }
}

/** With compact.map.entries=false: string-keyed maps as arrays of {key, value} entries, as Confluent writes them. */
function expandMaps(schema: Schema | null, value: unknown): unknown {
  if (value === null || value === undefined) return value
  if (value instanceof Struct) {
    // Struct values are checked against their schemas, so maps inside are left to the converter.
    return value
  }
  if (value instanceof Map)
    return [...value].map(
      ([k, v]) =>
        new Map<string, unknown>([
          ['key', k],
          ['value', expandMaps(null, v)],
        ]),
    )
  if (Array.isArray(value)) return value.map((v) => expandMaps(null, v))
  void schema
  return value
}

/** The NDJSON lines of an action. */
export function bulkLines(action: BulkAction): string {
  const meta = { _index: action.index, ...(action.id === null ? {} : { _id: action.id }) }
  switch (action.kind) {
    case 'index':
      return `${JSON.stringify({ index: meta })}\n${action.source}\n`
    case 'upsert':
      return `${JSON.stringify({ update: meta })}\n{"doc":${action.source},"doc_as_upsert":true}\n`
    case 'delete':
      return `${JSON.stringify({ delete: meta })}\n`
  }
}
