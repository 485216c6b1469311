/**
 * storage-common's partitioners: where in the bucket a record's object goes. Each encodes a record as a partition
 * path (DefaultPartitioner `partition=<kafka partition>`, FieldPartitioner `<field>=<value>/...`,
 * TimeBasedPartitioner the path.format of the bucket of the record's time); the object's directory is
 * `<topic><delim><encoded partition>`. A time-based partitioner also gives the record time that
 * rotate.interval.ms is measured in.
 */
import { DataError, type Schema, type SinkRecord, Struct, Timestamp } from 'tsconnect'
import type { S3SinkSettings } from './config.ts'
import { bucketStart, jodaFormatter } from './zoned-time.ts'

/** How records map to directories. */
export interface Partitioner {
  /** The encoded partition of a record, e.g. `partition=0`; throws DataError when the record has none. */
  encodePartition(record: SinkRecord, nowMs: number): string
  /** The directory of an encoded partition under topics.dir. */
  partitionedPath(topic: string, encodedPartition: string): string
  /** The record's time for rotate.interval.ms; only time-based partitioners have one. */
  readonly timestamp?: (record: SinkRecord, nowMs: number) => number
}

/** A field of a Struct or Map by a dotted name (DataUtils.getNestedFieldValue); undefined when absent. */
function nestedValue(value: unknown, path: string): { value: unknown; schema: Schema | null } | undefined {
  let current: unknown = value
  let schema: Schema | null = null
  for (const name of path.split('.')) {
    if (current instanceof Struct) {
      const field = current.schema.field(name)
      if (field === null || field === undefined) return undefined
      schema = field.schema
      current = current.get(field)
    } else if (current instanceof Map) {
      if (!current.has(name)) return undefined
      schema = null
      current = current.get(name)
    } else if (current !== null && typeof current === 'object' && !(current instanceof Uint8Array)) {
      if (!(name in current)) return undefined
      schema = null
      current = (current as Record<string, unknown>)[name]
    } else {
      return undefined
    }
  }
  return { value: current, schema }
}

function encodeError(reason: string): DataError {
  return new DataError(`Error encoding partition. ${reason}`)
}

/** The record's time by timestamp.extractor (TimeBasedPartitioner's Wallclock, Record and RecordField). */
export function timestampExtractor(
  settings: Pick<S3SinkSettings, 'timestampExtractor' | 'timestampField'>,
): (record: SinkRecord, nowMs: number) => number {
  switch (settings.timestampExtractor) {
    case 'Wallclock':
      return (_record, nowMs) => nowMs
    case 'Record':
      return (record) => {
        if (record.timestamp === null) {
          throw encodeError(
            `Unable to determine timestamp using timestamp.extractor Record for record at offset ${record.kafkaOffset}`,
          )
        }
        return record.timestamp
      }
    case 'RecordField':
      return (record) => {
        const field = settings.timestampField
        if (!(record.value instanceof Struct) && !(record.value instanceof Map) && typeof record.value !== 'object') {
          throw encodeError('Value is not of Struct or Map type.')
        }
        const found = nestedValue(record.value, field)
        const v = found?.value
        if (v instanceof Date) return v.getTime()
        if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v)
        if (typeof v === 'bigint') return Number(v)
        if (typeof v === 'string') {
          if (/^-?\d+$/.test(v)) return Number(v)
          const parsed = Date.parse(v)
          if (!Number.isNaN(parsed)) return parsed
        }
        if (found?.schema?.name === Timestamp.LOGICAL_NAME && v instanceof Date) return v.getTime()
        throw encodeError(`Error extracting timestamp from record field: ${field}`)
      }
  }
}

/** The partitioner the settings name. */
export function newPartitioner(settings: S3SinkSettings): Partitioner {
  const delim = settings.directoryDelim
  const partitionedPath = (topic: string, encoded: string) => `${topic}${delim}${encoded}`
  switch (settings.partitioner) {
    case 'default':
      return { encodePartition: (record) => `partition=${record.kafkaPartition}`, partitionedPath }
    case 'field':
      return {
        partitionedPath,
        encodePartition(record) {
          if (!(record.value instanceof Struct)) throw encodeError('Value is not Struct type.')
          const parts: string[] = []
          for (const name of settings.partitionFields) {
            const found = nestedValue(record.value, name)
            if (found === undefined) throw new DataError(`Field '${name}' is not present in the schema.`)
            const v = found.value
            if (v === null || v === undefined) {
              parts.push(`${name}=null`)
              continue
            }
            const type = found.schema?.type
            if (type === 'INT8' || type === 'INT16' || type === 'INT32' || type === 'INT64') {
              parts.push(`${name}=${String(v)}`)
            } else if (type === 'STRING' || type === 'BOOLEAN') {
              parts.push(`${name}=${String(v)}`)
            } else {
              throw encodeError(`Type ${type ?? 'unknown'} is not supported as a partition key.`)
            }
          }
          return parts.join(delim)
        },
      }
    case 'timeBased': {
      const timestamp = timestampExtractor(settings)
      const format = jodaFormatter(settings.pathFormat, settings.timezone, settings.locale)
      return {
        partitionedPath,
        timestamp,
        encodePartition: (record, nowMs) =>
          format(bucketStart(settings.partitionDurationMs, timestamp(record, nowMs), settings.timezone)),
      }
    }
  }
}
