/**
 * PostgreSQL's text output of a value → the Connect schema and value Debezium's PostgresValueConverter gives it,
 * with Debezium's defaults: decimal.handling.mode=precise, time.precision.mode=adaptive, binary.handling.mode=bytes,
 * interval.handling.mode=numeric, hstore.handling.mode=json (the other modes where they are declared).
 *
 * Everything is parsed from the exact text, never through a JS Date or a float: microsecond times, numerics of any
 * precision and 64-bit integers keep every digit.
 */
import { BigDecimal, type Schema, SchemaBuilder, Struct } from 'tsconnect'

/** What schema/catalog.ts knows of a column's type. */
export interface ColumnType {
  /** pg_type.typname, e.g. int4, varchar, _int4 for int4[]. */
  typeName: string
  /** pg_type.typtype: b base, e enum, d domain, c composite, r range. */
  typeKind: string
  /** The attribute's typmod (-1: none). */
  typmod: number
  /** Enum labels in sort order (enums only). */
  enumValues?: readonly string[]
  /** The element type of an array type. */
  element?: ColumnType
}

/** The handling modes that change schemas and values. */
export interface ValueModes {
  decimal: 'precise' | 'double' | 'string'
  time: 'adaptive' | 'adaptive_time_microseconds' | 'connect'
  binary: 'bytes' | 'base64' | 'base64-url-safe' | 'hex'
  interval: 'numeric' | 'string'
  hstore: 'json' | 'map'
}

/** Debezium's defaults. */
export const DEFAULT_MODES: ValueModes = {
  decimal: 'precise',
  time: 'adaptive',
  binary: 'bytes',
  interval: 'numeric',
  hstore: 'json',
}

/** A column's conversion: its schema builder (without optional/default) and text → value. */
export interface ColumnConverter {
  schema(): SchemaBuilder
  /** The value of PostgreSQL's text output, for the column's built schema. */
  convert(text: string, schema: Schema): unknown
  /** The value Debezium puts in a required column that has no value and no default (Debezium's fallback). */
  fallback: unknown
}

const NUMERIC_PRECISION_MAX = 1000

/** numeric(p,s) typmod: ((p << 16) | s) + 4; -1 when unconstrained. */
function numericPrecisionScale(typmod: number): { precision: number; scale: number } | null {
  if (typmod < 4) return null
  const t = typmod - 4
  return { precision: (t >> 16) & 0xffff, scale: t & 0xffff }
}

/** Fractional-second precision of time/timestamp columns: the typmod, 6 when absent. */
function timePrecision(typmod: number): number {
  return typmod < 0 ? 6 : typmod
}

/** An int64 value: a number when exact, a bigint beyond 2^53. */
function int64(text: string): number | bigint {
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : BigInt(text)
}

/** A decimal from PostgreSQL's numeric text, at the given scale (padding or keeping digits exactly). */
export function decimalAt(text: string, scale: number | null): BigDecimal {
  const parsed = BigDecimal.parse(text)
  if (scale === null || parsed.scale === scale) return parsed
  if (parsed.scale < scale) return new BigDecimal(parsed.unscaled * 10n ** BigInt(scale - parsed.scale), scale)
  return parsed
}

const DAY_MICROS = 86_400_000_000n

/** Days since 1970-01-01 of a proleptic Gregorian date (year may be ≤ 0 for BC). */
function epochDay(year: number, month: number, day: number): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(0, 0, 0, 0)
  return Math.round(d.getTime() / 86_400_000)
}

interface ParsedDate {
  year: number
  month: number
  day: number
}

/** `YYYY-MM-DD[ BC]` (DateStyle ISO). */
function parseDate(text: string): ParsedDate {
  const m = /^(\d{4,})-(\d{2})-(\d{2})( BC)?/.exec(text)
  if (m === null) throw new Error(`not a PostgreSQL date: ${text}`)
  let year = Number(m[1])
  if (m[4] !== undefined) year = 1 - year
  return { year, month: Number(m[2]), day: Number(m[3]) }
}

/** `HH:MM:SS[.ffffff]` → microseconds of the day. */
function parseTimeMicros(text: string): bigint {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(text)
  if (m === null) throw new Error(`not a PostgreSQL time: ${text}`)
  const fraction = BigInt((m[4] ?? '').padEnd(6, '0'))
  return (
    (BigInt(m[1] as string) * 3600n + BigInt(m[2] as string) * 60n + BigInt(m[3] as string)) * 1_000_000n + fraction
  )
}

/** A zone offset `+HH[:MM[:SS]]` → seconds east of UTC. */
function parseOffsetSeconds(text: string): number {
  const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text)
  if (m === null) throw new Error(`not a zone offset: ${text}`)
  const s = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)
  return m[1] === '-' ? -s : s
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]` → Unix microseconds (the zone applied when present). */
export function parseTimestampMicros(text: string): bigint {
  const m = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-][\d:]+)?( BC)?$/.exec(text)
  if (m === null) throw new Error(`not a PostgreSQL timestamp: ${text}`)
  const date = parseDate(`${m[1]}${m[4] ?? ''}`)
  const micros = BigInt(epochDay(date.year, date.month, date.day)) * DAY_MICROS + parseTimeMicros(m[2] as string)
  return m[3] === undefined ? micros : micros - BigInt(parseOffsetSeconds(m[3])) * 1_000_000n
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0')
}

/** Unix microseconds → ISO-8601 in UTC with `width` fraction digits (Debezium's ZonedTimestamp formatter). */
export function isoUtc(micros: bigint, width: number): string {
  const days = micros >= 0n ? micros / DAY_MICROS : -((-micros + DAY_MICROS - 1n) / DAY_MICROS)
  const ofDay = micros - days * DAY_MICROS
  const d = new Date(Number(days) * 86_400_000)
  const year = d.getUTCFullYear()
  const yearText = year > 9999 ? `+${year}` : year < 0 ? `-${pad(-year, 4)}` : pad(year, 4)
  const date = `${yearText}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
  return `${date}T${timeOfDay(ofDay, width)}Z`
}

/** Microseconds of a day → `HH:MM:SS[.fraction]`; width null prints the fraction as java.time does (none, 3, 6). */
function timeOfDay(micros: bigint, width: number | null): string {
  const seconds = micros / 1_000_000n
  const fraction = micros % 1_000_000n
  const hms = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}`
  if (width === null) {
    if (fraction === 0n) return hms
    const six = pad(fraction, 6)
    return `${hms}.${six.endsWith('000') ? six.slice(0, 3) : six}`
  }
  return width === 0 ? hms : `${hms}.${pad(fraction, 6).padEnd(9, '0').slice(0, width)}`
}

/** `HH:MM:SS[.ffffff]+HH[:MM]` → Debezium's ZonedTime text: the same instant in UTC, ISO_OFFSET_TIME. */
function zonedTime(text: string): string {
  const m = /^(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-][\d:]+)$/.exec(text)
  if (m === null) throw new Error(`not a PostgreSQL timetz: ${text}`)
  let micros = parseTimeMicros(m[1] as string) - BigInt(parseOffsetSeconds(m[2] as string)) * 1_000_000n
  micros = ((micros % DAY_MICROS) + DAY_MICROS) % DAY_MICROS
  return `${timeOfDay(micros, null)}Z`
}

/** PostgreSQL's bytea hex output `\x0a0b` → bytes. */
function bytea(text: string): Uint8Array {
  if (!text.startsWith('\\x')) throw new Error('bytea output must be hex (bytea_output=hex)')
  return new Uint8Array(Buffer.from(text.slice(2), 'hex'))
}

const INTERVAL_PART = /(-?\d+) (year|mon|day)s?/g
const DAYS_PER_MONTH_AVG = 365.25 / 12

/** IntervalStyle postgres, `1 year 2 mons 3 days -04:05:06.789` → Debezium's MicroDuration (months as 30.4375 days). */
export function intervalMicros(text: string): bigint {
  let years = 0
  let months = 0
  let days = 0
  for (const m of text.matchAll(INTERVAL_PART)) {
    const n = Number(m[1])
    if (m[2] === 'year') years = n
    else if (m[2] === 'mon') months = n
    else days = n
  }
  const time = /(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(text)
  let hours = 0
  let minutes = 0
  let seconds = 0
  let micros = 0
  if (time !== null) {
    const sign = time[1] === '-' ? -1 : 1
    hours = sign * Number(time[2])
    minutes = sign * Number(time[3])
    seconds = sign * Number(time[4])
    micros = sign * Number((time[5] ?? '').padEnd(6, '0'))
  }
  // Debezium's MicroDuration.durationMicros, in doubles as Java computes it, then truncated to long.
  const numberOfDays = (years * 12 + months) * DAYS_PER_MONTH_AVG + days
  const numberOfSeconds = ((numberOfDays * 24 + hours) * 60 + minutes) * 60 + seconds
  return BigInt(Math.trunc(numberOfSeconds * 1e6 + micros))
}

/** A one-dimensional PostgreSQL array literal `{a,"b c",NULL}` → element texts (null for NULL). */
export function parseArrayLiteral(text: string): (string | null)[] {
  if (text === '{}') return []
  if (!text.startsWith('{') || !text.endsWith('}')) throw new Error(`not a PostgreSQL array: ${text}`)
  const out: (string | null)[] = []
  let i = 1
  while (i < text.length - 1) {
    if (text[i] === '"') {
      let s = ''
      i++
      while (text[i] !== '"') {
        if (text[i] === '\\') i++
        s += text[i]
        i++
      }
      i++
      out.push(s)
    } else {
      let j = i
      while (j < text.length - 1 && text[j] !== ',') j++
      const s = text.slice(i, j)
      out.push(s === 'NULL' ? null : s)
      i = j
    }
    if (text[i] === ',') i++
  }
  return out
}

function named(builder: SchemaBuilder, name: string): SchemaBuilder {
  return builder.name(name).version(1)
}

/** The converter of a column type, or null when Debezium would leave the column out (unknown types). */
export function converterFor(type: ColumnType, modes: ValueModes = DEFAULT_MODES): ColumnConverter | null {
  const t = type.typeName
  if (type.typeKind === 'e') {
    const allowed = (type.enumValues ?? []).join(',')
    return {
      schema: () => named(SchemaBuilder.string(), 'io.debezium.data.Enum').parameter('allowed', allowed),
      convert: (s) => s,
      fallback: '',
    }
  }
  if (t.startsWith('_') && type.element !== undefined) {
    const element = converterFor(type.element, modes)
    if (element === null) return null
    return {
      schema: () => SchemaBuilder.array(element.schema().optional().build()),
      convert: (s, schema) =>
        parseArrayLiteral(s).map((e) => (e === null ? null : element.convert(e, schema.valueSchema as Schema))),
      fallback: [],
    }
  }
  switch (t) {
    case 'bool':
      return { schema: () => SchemaBuilder.bool(), convert: (s) => s === 't', fallback: false }
    case 'int2':
      return { schema: () => SchemaBuilder.int16(), convert: (s) => Number(s), fallback: 0 }
    case 'int4':
      return { schema: () => SchemaBuilder.int32(), convert: (s) => Number(s), fallback: 0 }
    case 'int8':
    case 'oid':
      return { schema: () => SchemaBuilder.int64(), convert: int64, fallback: 0 }
    case 'float4':
      return { schema: () => SchemaBuilder.float32(), convert: Number, fallback: 0 }
    case 'float8':
      return { schema: () => SchemaBuilder.float64(), convert: Number, fallback: 0 }
    case 'numeric':
      return numericConverter(type.typmod, modes)
    case 'money':
      return moneyConverter(modes)
    case 'char':
    case 'bpchar':
    case 'varchar':
    case 'text':
    case 'name':
    case 'citext':
    case 'inet':
    case 'cidr':
    case 'macaddr':
    case 'macaddr8':
    case 'tsvector':
      return { schema: () => SchemaBuilder.string(), convert: (s) => s, fallback: '' }
    case 'json':
    case 'jsonb':
      return { schema: () => named(SchemaBuilder.string(), 'io.debezium.data.Json'), convert: (s) => s, fallback: '' }
    case 'xml':
      return { schema: () => named(SchemaBuilder.string(), 'io.debezium.data.Xml'), convert: (s) => s, fallback: '' }
    case 'uuid':
      return { schema: () => named(SchemaBuilder.string(), 'io.debezium.data.Uuid'), convert: (s) => s, fallback: '' }
    case 'bytea':
      return byteaConverter(modes)
    case 'date':
      return {
        schema: () => named(SchemaBuilder.int32(), 'io.debezium.time.Date'),
        convert: (s) => {
          const d = parseDate(s)
          return epochDay(d.year, d.month, d.day)
        },
        fallback: 0,
      }
    case 'time':
      return timeConverter(timePrecision(type.typmod), modes)
    case 'timetz':
      return {
        schema: () => named(SchemaBuilder.string(), 'io.debezium.time.ZonedTime'),
        convert: zonedTime,
        fallback: '00:00:00Z',
      }
    case 'timestamp':
      return timestampConverter(timePrecision(type.typmod), modes)
    case 'timestamptz': {
      const width = timePrecision(type.typmod)
      return {
        schema: () => named(SchemaBuilder.string(), 'io.debezium.time.ZonedTimestamp'),
        convert: (s) => isoUtc(parseTimestampMicros(s), width),
        fallback: isoUtc(0n, width),
      }
    }
    case 'interval':
      return modes.interval === 'string'
        ? { schema: () => named(SchemaBuilder.string(), 'io.debezium.time.Interval'), convert: (s) => s, fallback: '' }
        : {
            schema: () => named(SchemaBuilder.int64(), 'io.debezium.time.MicroDuration'),
            convert: (s) => int64(String(intervalMicros(s))),
            fallback: 0,
          }
    default:
      return null
  }
}

function numericConverter(typmod: number, modes: ValueModes): ColumnConverter {
  const ps = numericPrecisionScale(typmod)
  if (modes.decimal === 'double') return { schema: () => SchemaBuilder.float64(), convert: Number, fallback: 0 }
  if (modes.decimal === 'string') return { schema: () => SchemaBuilder.string(), convert: (s) => s, fallback: '' }
  if (ps === null) {
    // Unconstrained numeric: Debezium's VariableScaleDecimal, a struct of the value's own scale and its digits.
    const schema = () =>
      named(SchemaBuilder.struct(), 'io.debezium.data.VariableScaleDecimal')
        .doc('Variable scaled decimal')
        .field('scale', SchemaBuilder.int32().build())
        .field('value', SchemaBuilder.bytes().build())
    return {
      schema,
      convert: (s, built) => {
        const d = decimalAt(s, null)
        return new Struct(built).put('scale', d.scale).put('value', d.toTwosComplement())
      },
      fallback: null,
    }
  }
  return {
    schema: () =>
      SchemaBuilder.bytes()
        .name('org.apache.kafka.connect.data.Decimal')
        .parameter('scale', String(ps.scale))
        .parameter('connect.decimal.precision', String(Math.min(ps.precision, NUMERIC_PRECISION_MAX)))
        .version(1),
    convert: (s) => decimalAt(s, ps.scale),
    fallback: new BigDecimal(0n, ps.scale),
  }
}

function moneyConverter(modes: ValueModes): ColumnConverter {
  const parse = (s: string) => {
    const negative = s.startsWith('-') || s.startsWith('(')
    const digits = s.replace(/[^0-9.]/g, '')
    return decimalAt(negative ? `-${digits}` : digits, 2)
  }
  if (modes.decimal === 'double')
    return { schema: () => SchemaBuilder.float64(), convert: (s) => parse(s).toNumber(), fallback: 0 }
  if (modes.decimal === 'string')
    return { schema: () => SchemaBuilder.string(), convert: (s) => parse(s).toString(), fallback: '' }
  return {
    schema: () =>
      SchemaBuilder.bytes().name('org.apache.kafka.connect.data.Decimal').parameter('scale', '2').version(1),
    convert: parse,
    fallback: new BigDecimal(0n, 2),
  }
}

function byteaConverter(modes: ValueModes): ColumnConverter {
  if (modes.binary === 'bytes')
    return { schema: () => SchemaBuilder.bytes(), convert: bytea, fallback: new Uint8Array(0) }
  const encode = (b: Uint8Array) => {
    const buf = Buffer.from(b)
    if (modes.binary === 'hex') return buf.toString('hex')
    return modes.binary === 'base64-url-safe' ? buf.toString('base64url') : buf.toString('base64')
  }
  return { schema: () => SchemaBuilder.string(), convert: (s) => encode(bytea(s)), fallback: '' }
}

function timeConverter(precision: number, modes: ValueModes): ColumnConverter {
  if (modes.time === 'adaptive' && precision <= 3) {
    return {
      schema: () => named(SchemaBuilder.int32(), 'io.debezium.time.Time'),
      convert: (s) => Number(parseTimeMicros(s) / 1000n),
      fallback: 0,
    }
  }
  return {
    schema: () => named(SchemaBuilder.int64(), 'io.debezium.time.MicroTime'),
    convert: (s) => int64(String(parseTimeMicros(s))),
    fallback: 0,
  }
}

function timestampConverter(precision: number, modes: ValueModes): ColumnConverter {
  if (modes.time !== 'connect' && precision <= 3) {
    return {
      schema: () => named(SchemaBuilder.int64(), 'io.debezium.time.Timestamp'),
      convert: (s) => int64(String(parseTimestampMicros(s) / 1000n)),
      fallback: 0,
    }
  }
  return {
    schema: () => named(SchemaBuilder.int64(), 'io.debezium.time.MicroTimestamp'),
    convert: (s) => int64(String(parseTimestampMicros(s))),
    fallback: 0,
  }
}
