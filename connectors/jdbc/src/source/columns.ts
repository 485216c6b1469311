/**
 * From database columns to Connect: each column's schema (Confluent's GenericDatabaseDialect.addFieldToSchema
 * rules, numeric.mapping included) and the converter of its driver values. Table modes read the catalog
 * (information_schema: nullability, precision, scale); query mode reads the result set's own column types.
 */
import { BigDecimal, ConnectDate, DataError, Decimal, type Schema, SchemaBuilder, Time, Timestamp } from 'tsconnect'
import type { ResultColumn } from '../db/database.ts'
import type { CatalogColumn } from '../dialect/dialect.ts'
import { parseWallTime } from '../time.ts'
import type { NumericMapping } from './source-config.ts'

/** How one column's values are read. */
export interface ColumnReader {
  readonly name: string
  readonly schema: Schema
  /** The Connect value of a driver value (never called with null). */
  read(value: unknown): unknown
}

type Kind =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'decimal'
  | 'string'
  | 'bytes'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'bit'

const KINDS: Record<string, Kind> = {
  // PostgreSQL (udt_name)
  int2: 'int16',
  int4: 'int32',
  int8: 'int64',
  oid: 'int64',
  float4: 'float32',
  float8: 'float64',
  bool: 'boolean',
  numeric: 'decimal',
  bytea: 'bytes',
  date: 'date',
  time: 'time',
  timetz: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  // MySQL / MariaDB (data_type)
  tinyint: 'int8',
  'tinyint(1)': 'boolean',
  smallint: 'int16',
  mediumint: 'int32',
  int: 'int32',
  integer: 'int32',
  bigint: 'int64',
  year: 'int32',
  float: 'float32',
  double: 'float64',
  real: 'float64',
  decimal: 'decimal',
  bit: 'bit',
  binary: 'bytes',
  varbinary: 'bytes',
  blob: 'bytes',
  tinyblob: 'bytes',
  mediumblob: 'bytes',
  longblob: 'bytes',
  datetime: 'timestamp',
}

function intOf(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : BigInt(String(value))
}

function numericSchema(
  precision: number | null,
  scale: number | null,
  mapping: NumericMapping,
): { schema: SchemaBuilder; read: (v: unknown) => unknown } {
  const p = precision ?? 0
  const s = scale ?? 0
  // An unconstrained NUMERIC has no scale to give a Decimal: read it as a double.
  if (precision === null || p === 0) return { schema: SchemaBuilder.float64(), read: (v) => Number(v) }
  if (mapping !== 'none' && s === 0 && p < 19) {
    if (p < 3) return { schema: SchemaBuilder.int8(), read: (v) => Number(v) }
    if (p < 5) return { schema: SchemaBuilder.int16(), read: (v) => Number(v) }
    if (p < 10) return { schema: SchemaBuilder.int32(), read: (v) => Number(v) }
    return { schema: SchemaBuilder.int64(), read: intOf }
  }
  if ((mapping === 'best_fit' && s > 0 && p < 19) || (mapping === 'best_fit_eager_double' && s > 0)) {
    return { schema: SchemaBuilder.float64(), read: (v) => Number(v) }
  }
  return { schema: Decimal.builder(s), read: (v) => BigDecimal.parse(String(v)).setScale(s) }
}

function readerFor(
  name: string,
  typeName: string,
  nullable: boolean,
  precision: number | null,
  scale: number | null,
  mapping: NumericMapping,
  timeZone: string,
): ColumnReader {
  const kind = KINDS[typeName] ?? 'string'
  let builder: SchemaBuilder
  let read: (v: unknown) => unknown
  switch (kind) {
    case 'int8':
      builder = SchemaBuilder.int8()
      read = (v) => Number(v)
      break
    case 'int16':
      builder = SchemaBuilder.int16()
      read = (v) => Number(v)
      break
    case 'int32':
      builder = SchemaBuilder.int32()
      read = (v) => Number(v)
      break
    case 'int64':
      builder = SchemaBuilder.int64()
      read = intOf
      break
    case 'float32':
      builder = SchemaBuilder.float32()
      read = (v) => Number(v)
      break
    case 'float64':
      builder = SchemaBuilder.float64()
      read = (v) => Number(v)
      break
    case 'boolean':
      builder = SchemaBuilder.bool()
      read = (v) => v === true || v === 1 || v === '1' || v === 't'
      break
    case 'bit':
      builder = SchemaBuilder.bool()
      read = (v) => (Buffer.isBuffer(v) ? v.some((b) => b !== 0) : Boolean(Number(v)))
      break
    case 'decimal': {
      const n = numericSchema(precision, scale, mapping)
      builder = n.schema
      read = n.read
      break
    }
    case 'bytes':
      builder = SchemaBuilder.bytes()
      read = (v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v)))
      break
    case 'date':
      builder = ConnectDate.builder()
      read = (v) => new Date(`${String(v).slice(0, 10)}T00:00:00Z`)
      break
    case 'time':
      builder = Time.builder()
      read = (v) => {
        const { epochMs } = parseWallTime(`1970-01-01 ${String(v).replace(/[+-]\d\d(:?\d\d)?$/, '')}`, 'UTC')
        return new Date(epochMs)
      }
      break
    case 'timestamp':
      builder = Timestamp.builder()
      read = (v) => new Date(parseWallTime(String(v), timeZone).epochMs)
      break
    default:
      builder = SchemaBuilder.string()
      read = (v) => (Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'object' ? JSON.stringify(v) : String(v))
  }
  if (nullable) builder = builder.optional()
  return { name, schema: builder.build(), read }
}

/** The readers of a table's columns, from the catalog. */
export function catalogReaders(
  columns: readonly CatalogColumn[],
  mapping: NumericMapping,
  timeZone: string,
): ColumnReader[] {
  return columns.map((c) => readerFor(c.name, c.typeName, c.nullable, c.precision, c.scale, mapping, timeZone))
}

/** The readers of a query's result columns (all optional: a query's columns carry no NOT NULL). */
export function resultReaders(
  columns: readonly ResultColumn[],
  mapping: NumericMapping,
  timeZone: string,
): ColumnReader[] {
  return columns.map((c) =>
    readerFor(c.name, c.typeName, true, c.scale === undefined ? null : 38, c.scale ?? null, mapping, timeZone),
  )
}

/** The catalog columns of a describeColumns query's rows. */
export function catalogColumns(rows: readonly Record<string, unknown>[]): CatalogColumn[] {
  return rows.map((r) => {
    const columnType = String(r.column_type ?? '').toLowerCase()
    const typeName = columnType === 'tinyint(1)' ? 'tinyint(1)' : String(r.type_name).toLowerCase()
    return {
      name: String(r.name),
      typeName,
      nullable: r.nullable === 'YES',
      precision: r.precision === null || r.precision === undefined ? null : Number(r.precision),
      scale: r.scale === null || r.scale === undefined ? null : Number(r.scale),
      autoIncrement: r.auto_increment === true || r.auto_increment === 1 || r.auto_increment === '1',
    }
  })
}

/** Fails for a value that a reader cannot take: names the column. */
export function readColumn(reader: ColumnReader, value: unknown): unknown {
  if (value === null || value === undefined) return null
  try {
    return reader.read(value)
  } catch (error) {
    throw new DataError(`Cannot read column ${reader.name}: ${(error as Error).message}`)
  }
}
