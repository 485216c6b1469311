/**
 * The string parser behind Values.parseString, a port of the Parser and ValueParser inside Java's Values: what
 * SimpleHeaderConverter uses to read header strings back into typed values, and InsertHeader to read literals.
 *
 * Tokens are split at unescaped `: , { } [ ] "`. A top-level string is a boolean, null, number, ISO date/time,
 * array `[..]` or map `{..}` when it parses as one completely, and otherwise stays the string it was; embedded
 * values must be quoted strings or literals ("{foo: 3}" is a string, "{\"foo\": 3}" a map). Numbers take the
 * smallest type that holds them: integers INT8..INT64, other finite values FLOAT32 then FLOAT64, and the rest a
 * Decimal with the literal's scale. Times and dates are read in UTC.
 */
import { DataError } from '../errors.ts'
import { BigDecimal } from './big-decimal.ts'
import { ConnectDate, Decimal, Time, Timestamp } from './logical-types.ts'
import { type ConnectSchema, Schema } from './schema.ts'
import { SchemaAndValue } from './schema-and-value.ts'
import { SchemaBuilder } from './schema-builder.ts'

const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"'])
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const FLOAT32_MAX = 3.4028234663852886e38

function isBlank(s: string): boolean {
  return s.trim() === ''
}

/** Splits a string into delimiter and non-delimiter tokens, with marks to rewind to. */
class Tokenizer {
  readonly original: string
  #index = 0
  #next: string | undefined
  #previous: string | undefined

  constructor(original: string) {
    this.original = original
  }

  get position(): number {
    return this.#index
  }

  mark(): number {
    return this.#index - (this.#next?.length ?? 0)
  }

  rewindTo(position: number): void {
    this.#index = position
    this.#next = undefined
    this.#previous = undefined
  }

  hasNext(): boolean {
    return this.#next !== undefined || this.#index < this.original.length
  }

  next(): string {
    if (this.#next !== undefined) {
      this.#previous = this.#next
      this.#next = undefined
    } else {
      this.#previous = this.#consume()
    }
    return this.#previous
  }

  /** The text of the next n tokens, or undefined (and nothing consumed) when there are fewer. */
  nextN(n: number): string | undefined {
    const start = this.mark()
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start)
        return undefined
      }
      this.next()
    }
    return this.original.slice(start, this.position)
  }

  previous(): string | undefined {
    return this.#previous
  }

  /** Consumes the next token when it is `expected` (surrounding whitespace ignored). */
  canConsume(expected: string): boolean {
    if (this.#next === undefined) {
      if (!this.hasNext()) return false
      this.#next = this.#consume()
    }
    while (isBlank(this.#next) && this.#index < this.original.length) this.#next = this.#consume()
    if (this.#next.trim() === expected) {
      this.#next = undefined
      return true
    }
    return false
  }

  #consume(): string {
    let escaped = false
    const start = this.#index
    while (this.#index < this.original.length) {
      const c = this.original[this.#index] as string
      if (c === '\\') {
        escaped = !escaped
      } else if (DELIMITERS.has(c) && !escaped) {
        if (start < this.#index) return this.original.slice(start, this.#index)
        this.#index++
        return c
      } else {
        escaped = false
      }
      this.#index++
    }
    return this.original.slice(start, this.#index)
  }
}

/** Finds the one schema that holds every value seen, widening numbers; no schema once types conflict. */
class SchemaMerger {
  #common: ConnectSchema | undefined
  #compatible = true

  merge(latest: SchemaAndValue | null): void {
    if (latest === null || latest.schema === null || !this.#compatible) return
    const schema = latest.schema.schema()
    if (this.#common === undefined) {
      this.#common = schema
      return
    }
    this.#common = mergeSchemas(this.#common, schema)
    this.#compatible = this.#common !== undefined
  }

  get schema(): ConnectSchema | undefined {
    return this.#common
  }
}

const NUMERIC_RANK: Partial<Record<string, number>> = { INT8: 0, INT16: 1, INT32: 2, INT64: 3, FLOAT32: 4, FLOAT64: 5 }

function mergeSchemas(previous: ConnectSchema, next: ConnectSchema): ConnectSchema | undefined {
  if (previous.type !== next.type) {
    const a = NUMERIC_RANK[previous.type]
    const b = NUMERIC_RANK[next.type]
    if (a === undefined || b === undefined) return undefined
    return b > a ? next : previous
  }
  if (previous.optional === next.optional) return previous.optional ? previous : next
  return previous.equals(next) ? previous : undefined
}

/** Converts a parsed value to the common schema of its siblings (Java's alignment through Values.convertTo). */
function align(schema: Schema | undefined, value: unknown): unknown {
  if (schema === undefined) return value
  // As Java: a null among values of a common (required) type fails, so "[null, 1]" stays a string.
  if (value == null) {
    if (schema.optional) return null
    throw new DataError('Unable to convert a null value to a schema that requires a value')
  }
  if (schema.type === 'FLOAT32' && typeof value === 'number') return Math.fround(value)
  const logical = schema.name
  if (
    typeof value === 'number' &&
    (logical === Timestamp.LOGICAL_NAME || logical === Time.LOGICAL_NAME || logical === ConnectDate.LOGICAL_NAME)
  ) {
    return logical === ConnectDate.LOGICAL_NAME ? ConnectDate.toLogical(schema, value) : new Date(value)
  }
  return value
}

const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/

function numbers(re: RegExp, text: string): number[] | undefined {
  return re.exec(text)?.slice(1).map(Number)
}

function parseAsTemporal(token: string | undefined): SchemaAndValue | null {
  if (token === undefined) return null
  const t = token.replaceAll('\\:', ':')
  const time = t.length === 13 ? numbers(TIME, t) : undefined
  if (time !== undefined) {
    const [h = 0, mi = 0, s = 0, ms = 0] = time
    return new SchemaAndValue(Time.SCHEMA, new Date(Date.UTC(1970, 0, 1, h, mi, s, ms)))
  }
  const ts = t.length === 24 ? numbers(TIMESTAMP, t) : undefined
  if (ts !== undefined) {
    const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0] = ts
    return new SchemaAndValue(Timestamp.SCHEMA, new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms)))
  }
  const date = t.length === 10 ? numbers(DATE, t) : undefined
  if (date !== undefined) {
    const [y = 0, mo = 1, d = 1] = date
    return new SchemaAndValue(ConnectDate.SCHEMA, new Date(Date.UTC(y, mo - 1, d)))
  }
  return null
}

function integralValue(d: BigDecimal): bigint | undefined {
  if (d.scale <= 0) return d.unscaled * 10n ** BigInt(-d.scale)
  const divisor = 10n ** BigInt(d.scale)
  return d.unscaled % divisor === 0n ? d.unscaled / divisor : undefined
}

function parseAsNumber(token: string): SchemaAndValue {
  const decimal = BigDecimal.parse(token)
  const integral = integralValue(decimal)
  if (integral !== undefined && integral >= INT64_MIN && integral <= INT64_MAX) {
    const n = Number(integral)
    if (n >= -128 && n <= 127) return new SchemaAndValue(Schema.INT8_SCHEMA, n)
    if (n >= -32768 && n <= 32767) return new SchemaAndValue(Schema.INT16_SCHEMA, n)
    if (n >= -2147483648 && n <= 2147483647) return new SchemaAndValue(Schema.INT32_SCHEMA, n)
    return new SchemaAndValue(Schema.INT64_SCHEMA, Number.isSafeInteger(n) ? n : integral)
  }
  const asDouble = decimal.toNumber()
  if (decimal.scale !== 0 && Math.abs(asDouble) <= FLOAT32_MAX) {
    return new SchemaAndValue(Schema.FLOAT32_SCHEMA, Math.fround(asDouble))
  }
  if (decimal.scale !== 0 && Number.isFinite(asDouble)) return new SchemaAndValue(Schema.FLOAT64_SCHEMA, asDouble)
  return new SchemaAndValue(Decimal.schema(decimal.scale), decimal)
}

/** Parses one value (see the file comment); null for the literal null. */
export class ValueParser {
  readonly #p: Tokenizer

  constructor(text: string) {
    this.#p = new Tokenizer(text)
  }

  #singleTokenLiteral(embedded: boolean, literal: string): boolean {
    const start = this.#p.mark()
    // A top-level literal must be the whole string: "true}" is the string "true}", not true.
    if (this.#p.canConsume(literal) && (embedded || !this.#p.hasNext())) return true
    this.#p.rewindTo(start)
    return false
  }

  parse(embedded: boolean): SchemaAndValue | null {
    const p = this.#p
    if (!p.hasNext()) return null
    if (embedded && p.canConsume('"')) return this.#quotedString()
    if (this.#singleTokenLiteral(embedded, 'null')) return null
    if (this.#singleTokenLiteral(embedded, 'true')) return new SchemaAndValue(Schema.BOOLEAN_SCHEMA, true)
    if (this.#singleTokenLiteral(embedded, 'false')) return new SchemaAndValue(Schema.BOOLEAN_SCHEMA, false)
    const start = p.mark()
    try {
      if (p.canConsume('[')) return this.#array()
      if (p.canConsume('{')) return this.#map()
    } catch (e) {
      if (!(e instanceof DataError)) throw e
      p.rewindTo(start)
    }
    const token = p.next()
    if (isBlank(token)) return new SchemaAndValue(Schema.STRING_SCHEMA, token)
    return this.#nextToken(embedded, token.trim())
  }

  #nextToken(embedded: boolean, token: string): SchemaAndValue {
    const first = token[0] ?? ''
    const digit = first >= '0' && first <= '9'
    if (digit) {
      const temporal = this.#multiTokenTemporal(token)
      if (temporal !== null) return temporal
    }
    if (digit || first === '+' || first === '-') {
      try {
        return parseAsNumber(token)
      } catch {
        // not a number
      }
    }
    if (embedded) throw new DataError('Failed to parse embedded value')
    return new SchemaAndValue(Schema.STRING_SCHEMA, this.#p.original)
  }

  #multiTokenTemporal(token: string): SchemaAndValue | null {
    // Unescaped colons split a time into five tokens: try those first.
    const position = this.#p.mark()
    const rest = this.#p.nextN(4)
    if (rest !== undefined) {
      const temporal = parseAsTemporal(token + rest)
      if (temporal !== null) return temporal
    }
    this.#p.rewindTo(position)
    return parseAsTemporal(token)
  }

  #quotedString(): SchemaAndValue {
    let content = ''
    while (this.#p.hasNext()) {
      if (this.#p.canConsume('"')) break
      content += this.#p.next()
    }
    return parseAsTemporal(content) ?? new SchemaAndValue(Schema.STRING_SCHEMA, content)
  }

  #array(): SchemaAndValue {
    const p = this.#p
    const result: unknown[] = []
    const merger = new SchemaMerger()
    while (p.hasNext()) {
      if (p.canConsume(']')) {
        const element = merger.schema
        if (element === undefined) return new SchemaAndValue(SchemaBuilder.withUnknownChildren('ARRAY').build(), result)
        return new SchemaAndValue(
          SchemaBuilder.array(element).build(),
          result.map((v) => align(element, v)),
        )
      }
      if (p.canConsume(',')) throw new DataError(`Unable to parse an empty array element: ${p.original}`)
      const element = this.parse(true)
      merger.merge(element)
      result.push(element?.value ?? null)
      const position = p.mark()
      if (p.canConsume(']')) p.rewindTo(position)
      else if (!p.canConsume(',')) throw new DataError("Array elements missing ',' delimiter")
    }
    if (p.previous() === ',') throw new DataError(`Array is missing element after ',': ${p.original}`)
    throw new DataError(`Array is missing terminating ']': ${p.original}`)
  }

  #map(): SchemaAndValue {
    const p = this.#p
    const result = new Map<unknown, unknown>()
    const keys = new SchemaMerger()
    const values = new SchemaMerger()
    while (p.hasNext()) {
      if (p.canConsume('}')) {
        const k = keys.schema
        const v = values.schema
        if (k === undefined) return new SchemaAndValue(SchemaBuilder.withUnknownChildren('MAP').build(), result)
        const aligned = new Map([...result].map(([key, value]) => [align(k, key), align(v, value)]))
        const schema = v === undefined ? SchemaBuilder.withUnknownChildren('MAP', k) : SchemaBuilder.map(k, v)
        return new SchemaAndValue(schema.build(), aligned)
      }
      if (p.canConsume(',')) throw new DataError(`Unable to parse a map entry with no key or value: ${p.original}`)
      const key = this.parse(true)
      if (key === null || key.value === null) throw new DataError(`Map entry may not have a null key: ${p.original}`)
      if (!p.canConsume(':')) throw new DataError(`Map entry is missing ':' at ${p.position} in ${p.original}`)
      const value = this.parse(true)
      result.set(key.value, value?.value ?? null)
      p.canConsume(',')
      keys.merge(key)
      values.merge(value)
    }
    if (p.previous() === ',') throw new DataError(`Map is missing element after ',': ${p.original}`)
    throw new DataError(`Map is missing terminating '}': ${p.original}`)
  }
}

/**
 * Parses a string into a typed value with its inferred schema (Java's Values.parseString). The empty string is an
 * empty STRING; the literal `null` gives SchemaAndValue.NULL; anything that does not parse as a whole stays a STRING.
 */
export function parseString(value: string | null): SchemaAndValue {
  if (value == null) return SchemaAndValue.NULL
  if (value === '') return new SchemaAndValue(Schema.STRING_SCHEMA, value)
  return new ValueParser(value).parse(false) ?? SchemaAndValue.NULL
}
