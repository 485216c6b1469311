/**
 * AvroFormat: Avro object container files (extension `.avro`, avro.codec null or deflate), one per object, the
 * writer schema derived from the records' Connect value schema the way Confluent's AvroData derives it:
 * structs become records (unnamed ones `io.confluent.connect.avro.ConnectDefault`, then ConnectDefault2, ...),
 * optional schemas unions with null first and a null default, INT8/INT16 ints with `connect.type`, maps with
 * string keys Avro maps and other maps arrays of `io.confluent.connect.avro.MapEntry` records, and the logical
 * types Decimal, Date, Time and Timestamp with their Avro logicalType and `connect.name`.
 *
 * avsc (MIT, no dependencies) writes the container files; its `long` is replaced by one that carries bigints, so
 * INT64 values beyond 2^53 are written exactly.
 */
import { Writable } from 'node:stream'
import avro from 'avsc'
import {
  BigDecimal,
  ConnectDate,
  DataError,
  Decimal,
  type Schema,
  type SinkRecord,
  Struct,
  Time,
  Timestamp,
} from 'tsconnect'
import type { S3SinkSettings } from '../config.ts'
import type { Format, RecordWriter } from './format.ts'

const NAMESPACE = 'io.confluent.connect.avro'
const DAY_MS = 86_400_000

type AvroSchema = string | Record<string, unknown> | AvroSchema[]

/** A long type that reads bigints and writes numbers or bigints (avsc's documented way to carry 64-bit longs). */
const BIGINT_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: number | bigint) => {
    const buf = Buffer.alloc(8)
    buf.writeBigInt64LE(BigInt(n))
    return buf
  },
  fromJSON: (n: number | string) => BigInt(n),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isSafeInteger(n)),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
})

/** Converts Connect schemas to Avro schemas, naming unnamed records in order as AvroData does. */
class SchemaTranslator {
  #unnamed = 0

  translate(schema: Schema): AvroSchema {
    const avroSchema = this.#nonOptional(schema)
    return schema.optional ? ['null', avroSchema] : avroSchema
  }

  #nonOptional(schema: Schema): AvroSchema {
    const connect = (extra: Record<string, unknown>) => {
      const out: Record<string, unknown> = { ...extra }
      if (schema.version !== null && schema.version !== undefined) out['connect.version'] = schema.version
      if (schema.doc) out['connect.doc'] = schema.doc
      if (schema.parameters && Object.keys(schema.parameters).length > 0) {
        out['connect.parameters'] = { ...schema.parameters }
      }
      if (schema.name) out['connect.name'] = schema.name
      return out
    }
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const scale = Number(schema.parameters?.scale ?? 0)
        const precision = Number(schema.parameters?.['connect.decimal.precision'] ?? 64)
        return connect({ type: 'bytes', scale, precision, logicalType: 'decimal' })
      }
      case ConnectDate.LOGICAL_NAME:
        return connect({ type: 'int', logicalType: 'date' })
      case Time.LOGICAL_NAME:
        return connect({ type: 'int', logicalType: 'time-millis' })
      case Timestamp.LOGICAL_NAME:
        return connect({ type: 'long', logicalType: 'timestamp-millis' })
    }
    switch (schema.type) {
      case 'INT8':
        return connect({ type: 'int', 'connect.type': 'int8' })
      case 'INT16':
        return connect({ type: 'int', 'connect.type': 'int16' })
      case 'INT32':
        return schema.name ? connect({ type: 'int' }) : 'int'
      case 'INT64':
        return schema.name ? connect({ type: 'long' }) : 'long'
      case 'FLOAT32':
        return schema.name ? connect({ type: 'float' }) : 'float'
      case 'FLOAT64':
        return schema.name ? connect({ type: 'double' }) : 'double'
      case 'BOOLEAN':
        return schema.name ? connect({ type: 'boolean' }) : 'boolean'
      case 'STRING':
        return schema.name ? connect({ type: 'string' }) : 'string'
      case 'BYTES':
        return schema.name ? connect({ type: 'bytes' }) : 'bytes'
      case 'ARRAY':
        return connect({ type: 'array', items: this.translate(schema.valueSchema as Schema) })
      case 'MAP': {
        const keySchema = schema.keySchema as Schema
        const valueSchema = schema.valueSchema as Schema
        if (keySchema.type === 'STRING' && !keySchema.optional) {
          return connect({ type: 'map', values: this.translate(valueSchema) })
        }
        return connect({
          type: 'array',
          items: {
            type: 'record',
            name: this.#nextName('MapEntry'),
            namespace: NAMESPACE,
            fields: [
              { name: 'key', type: this.translate(keySchema) },
              { name: 'value', type: this.translate(valueSchema) },
            ],
          },
        })
      }
      case 'STRUCT': {
        const full = schema.name ?? `${NAMESPACE}.${this.#nextName('ConnectDefault')}`
        const dot = full.lastIndexOf('.')
        const fields = schema.fields.map((f) => {
          const type = this.translate(f.schema)
          return f.schema.optional ? { name: f.name, type, default: null } : { name: f.name, type }
        })
        return connect({
          type: 'record',
          name: dot < 0 ? full : full.slice(dot + 1),
          ...(dot < 0 ? {} : { namespace: full.slice(0, dot) }),
          fields,
        })
      }
    }
    throw new DataError(`AvroFormat cannot write schema type ${schema.type}`)
  }

  #nextName(base: string): string {
    if (base === 'MapEntry') return base
    this.#unnamed++
    return this.#unnamed === 1 ? base : `${base}${this.#unnamed}`
  }
}

/** The Avro value of a Connect value of the schema. */
function toAvro(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (!schema.optional) throw new DataError('AvroFormat: a null value for a required schema')
    return null
  }
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (value instanceof BigDecimal) return Buffer.from(value.toTwosComplement())
      break
    case ConnectDate.LOGICAL_NAME:
      if (value instanceof Date) return Math.floor(value.getTime() / DAY_MS)
      break
    case Time.LOGICAL_NAME:
    case Timestamp.LOGICAL_NAME:
      if (value instanceof Date) return value.getTime()
      break
  }
  switch (schema.type) {
    case 'BYTES':
      return Buffer.from(value as Uint8Array)
    case 'ARRAY':
      return (value as unknown[]).map((v) => toAvro(schema.valueSchema as Schema, v))
    case 'MAP': {
      const entries = value instanceof Map ? [...value] : Object.entries(value as Record<string, unknown>)
      const keySchema = schema.keySchema as Schema
      const valueSchema = schema.valueSchema as Schema
      if (keySchema.type === 'STRING' && !keySchema.optional) {
        return Object.fromEntries(entries.map(([k, v]) => [String(k), toAvro(valueSchema, v)]))
      }
      return entries.map(([k, v]) => ({ key: toAvro(keySchema, k), value: toAvro(valueSchema, v) }))
    }
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw new DataError('AvroFormat: a STRUCT schema with a value that is no Struct')
      const out: Record<string, unknown> = {}
      for (const f of schema.fields) out[f.name] = toAvro(f.schema, value.get(f))
      return out
    }
    default:
      return value
  }
}

/** AvroFormat: Avro container files of the records' values. */
export function avroFormat(settings: S3SinkSettings): Format {
  return {
    extension: '.avro',
    newWriter(): RecordWriter {
      let schema: Schema | null = null
      let type: avro.Type | null = null
      const values: unknown[] = []
      return {
        write(record: SinkRecord) {
          if (record.valueSchema === null) {
            throw new DataError(`AvroFormat needs a value schema; record at offset ${record.kafkaOffset} has none`)
          }
          if (schema === null) {
            schema = record.valueSchema
            type = avro.Type.forSchema(new SchemaTranslator().translate(schema) as avro.Schema, {
              registry: { long: BIGINT_LONG },
              wrapUnions: 'never',
            })
          }
          values.push(toAvro(schema, record.value))
        },
        async finish() {
          if (type === null) return new Uint8Array(0)
          const chunks: Buffer[] = []
          const encoder = new avro.streams.BlockEncoder(type, { codec: settings.avroCodec })
          const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk)
              done()
            },
          })
          const finished = new Promise<void>((resolve, reject) => {
            sink.on('finish', resolve)
            sink.on('error', reject)
            encoder.on('error', reject)
          })
          encoder.pipe(sink)
          for (const v of values) encoder.write(v)
          encoder.end()
          await finished
          return Buffer.concat(chunks)
        },
      }
    },
  }
}

/** The Avro schema AvroFormat writes for a Connect schema (for tests and docs). */
export function avroSchemaOf(schema: Schema): unknown {
  return new SchemaTranslator().translate(schema)
}
