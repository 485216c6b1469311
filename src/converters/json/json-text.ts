/**
 * JSON text as Java's JsonConverter reads and writes it through Jackson, which JSON.parse and JSON.stringify do not
 * match: numbers keep their literal text when read (so int64 and decimals lose nothing, and "1.5600" keeps its
 * scale), leading zeros in numbers are accepted (Jackson's ALLOW_LEADING_ZEROS_FOR_NUMBERS, which Connect turns on),
 * empty input reads as "missing" rather than an error, and strings are written with Jackson's escapes (control
 * characters and UTF-16 surrogates as \uXXXX with upper-case hex, so an emoji is written as two escapes, as
 * Jackson does unless COMBINE_UNICODE_SURROGATES_IN_UTF8 is on; nothing else but `"` and `\`).
 *
 * The parsed tree: null, boolean, string, JsonNumber, arrays, and Maps for objects (key order kept; a repeated
 * key keeps its first position and its last value, like Jackson's ObjectNode).
 */
import { DataError } from '../../errors.ts'
import { jacksonQuote } from '../../util/java-format.ts'

/** A JSON number with its literal text. */
export class JsonNumber {
  /** The literal, e.g. `12`, `-0.5`, `1E+3`, `0012`. */
  readonly text: string
  /** Whether the literal has no fraction and no exponent (Jackson's isIntegralNumber). */
  readonly integral: boolean

  constructor(text: string) {
    this.text = text
    this.integral = !/[.eE]/.test(text)
  }

  /** The literal as an integer (leading zeros dropped). */
  toBigInt(): bigint {
    return BigInt(this.text.replace(/^(-?)0+(?=\d)/, '$1'))
  }

  /** The nearest double. */
  toNumber(): number {
    return Number(this.text.replace(/^(-?)0+(?=\d)/, '$1'))
  }
}

/** A parsed JSON value. */
export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject
/** A parsed JSON object. */
export type JsonObject = Map<string, JsonNode>

/** Jackson's node type names, for error messages. */
export function nodeType(node: JsonNode | undefined): string {
  if (node === undefined) return 'MISSING'
  if (node === null) return 'NULL'
  if (typeof node === 'boolean') return 'BOOLEAN'
  if (typeof node === 'string') return 'STRING'
  if (node instanceof JsonNumber) return 'NUMBER'
  if (Array.isArray(node)) return 'ARRAY'
  return 'OBJECT'
}

const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

class Reader {
  readonly text: string
  pos = 0

  constructor(text: string) {
    this.text = text
  }

  fail(what: string): never {
    throw new DataError(`${what} at position ${this.pos}`)
  }

  skipWhitespace(): void {
    const t = this.text
    let p = this.pos
    while (p < t.length && isWhitespace(t.charCodeAt(p))) p++
    this.pos = p
  }

  atEnd(): boolean {
    return this.pos >= this.text.length
  }

  value(depth: number): JsonNode {
    if (depth > 1000) this.fail('JSON nested too deeply')
    this.skipWhitespace()
    const c = this.text[this.pos]
    switch (c) {
      case '{':
        return this.object(depth)
      case '[':
        return this.array(depth)
      case '"':
        return this.string()
      case 't':
        return this.literal('true', true)
      case 'f':
        return this.literal('false', false)
      case 'n':
        return this.literal('null', null)
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number()
        return this.fail(c === undefined ? 'Unexpected end of input' : `Unexpected character '${c}'`)
    }
  }

  /** Moves past one value without building it; the caller parses the span later if it needs it. */
  skipValue(): void {
    this.skipWhitespace()
    const t = this.text
    let depth = 0
    do {
      const c = t.charCodeAt(this.pos)
      if (Number.isNaN(c)) this.fail('Unexpected end of input')
      if (c === 0x22) {
        this.skipString()
        continue
      }
      if (c === 0x7b || c === 0x5b) depth++
      else if (c === 0x7d || c === 0x5d) depth--
      else if (depth === 0 && !isWhitespace(c)) {
        // A scalar at the top of the skipped value: up to the next delimiter.
        while (this.pos < t.length && !',}] \t\r\n'.includes(t[this.pos] as string)) this.pos++
        return
      }
      this.pos++
    } while (depth > 0)
  }

  skipString(): void {
    const t = this.text
    let p = this.pos + 1
    for (;;) {
      const q = t.indexOf('"', p)
      if (q < 0) this.fail('Unexpected end of input in a string')
      let backslashes = 0
      while (t.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++
      p = q + 1
      if (backslashes % 2 === 0) break
    }
    this.pos = p
  }

  literal<T extends JsonNode>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`Unrecognized token, expected '${word}'`)
    this.pos += word.length
    return value
  }

  number(): JsonNumber {
    NUMBER.lastIndex = this.pos
    const m = NUMBER.exec(this.text)
    if (m === null) return this.fail('Invalid number')
    this.pos = NUMBER.lastIndex
    return new JsonNumber(m[0])
  }

  string(): string {
    const t = this.text
    const start = this.pos + 1
    let p = start
    // Fast path: no escapes and no control characters up to the closing quote.
    for (;;) {
      const c = t.charCodeAt(p)
      if (c === 0x22) {
        this.pos = p + 1
        return t.slice(start, p)
      }
      if (c === 0x5c || c < 0x20 || Number.isNaN(c)) break
      p++
    }
    this.pos = start
    let out = ''
    let chunk = this.pos
    for (;;) {
      const c = t.charCodeAt(this.pos)
      if (Number.isNaN(c)) this.fail('Unexpected end of input in a string')
      if (c === 0x22) break
      if (c < 0x20) this.fail('Illegal unquoted character in a string')
      if (c === 0x5c) {
        out += t.slice(chunk, this.pos)
        out += this.escape()
        chunk = this.pos
        continue
      }
      this.pos++
    }
    out += t.slice(chunk, this.pos)
    this.pos++ // closing quote
    return out
  }

  escape(): string {
    const e = this.text[this.pos + 1]
    this.pos += 2
    switch (e) {
      case '"':
      case '\\':
      case '/':
        return e
      case 'b':
        return '\b'
      case 'f':
        return '\f'
      case 'n':
        return '\n'
      case 'r':
        return '\r'
      case 't':
        return '\t'
      case 'u': {
        const hex = this.text.slice(this.pos, this.pos + 4)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\u escape')
        this.pos += 4
        return String.fromCharCode(Number.parseInt(hex, 16))
      }
      default:
        return this.fail(`Unrecognized character escape '${String(e)}'`)
    }
  }

  array(depth: number): JsonNode[] {
    this.pos++
    const out: JsonNode[] = []
    this.skipWhitespace()
    if (this.text[this.pos] === ']') {
      this.pos++
      return out
    }
    for (;;) {
      out.push(this.value(depth + 1))
      this.skipWhitespace()
      const c = this.text[this.pos++]
      if (c === ']') return out
      if (c !== ',') this.fail("Expected ',' or ']' in an array")
    }
  }

  /** The next field name of an object and the `:` after it. */
  fieldName(): string {
    this.skipWhitespace()
    if (this.text[this.pos] !== '"') this.fail('Expected a field name')
    const key = this.string()
    this.skipWhitespace()
    if (this.text[this.pos++] !== ':') this.fail("Expected ':' after a field name")
    return key
  }

  /** After a member: true when the object ends, false when another member follows. */
  memberEnd(): boolean {
    this.skipWhitespace()
    const c = this.text[this.pos++]
    if (c === '}') return true
    if (c !== ',') this.fail("Expected ',' or '}' in an object")
    return false
  }

  object(depth: number): JsonObject {
    this.pos++
    const out: JsonObject = new Map()
    this.skipWhitespace()
    if (this.text[this.pos] === '}') {
      this.pos++
      return out
    }
    do {
      const key = this.fieldName()
      out.set(key, this.value(depth + 1))
    } while (!this.memberEnd())
    return out
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes)
  } catch (e) {
    throw new DataError('Invalid UTF-8 in JSON', { cause: e })
  }
}

/** Parses JSON (UTF-8 bytes or text); undefined for empty (or all-whitespace) input; DataError with the reason when invalid. */
export function parseJson(input: Uint8Array | string): JsonNode | undefined {
  const r = new Reader(typeof input === 'string' ? input : decode(input))
  r.skipWhitespace()
  if (r.atEnd()) return undefined
  const node = r.value(0)
  r.skipWhitespace()
  if (!r.atEnd()) r.fail('Unexpected content after the JSON value')
  return node
}

/** A {schema, payload} envelope, with the schema left as text (for a cache lookup before parsing it). */
export interface Envelope {
  /** The literal text of the schema member, e.g. `null` or `{"type":"int32","optional":false}`. */
  schemaText: string
  payload: JsonNode
}

/**
 * Reads a JsonConverter envelope: an object with exactly the members `schema` and `payload`. The schema is only
 * scanned, not parsed. Returns undefined for valid JSON of another shape (and for empty input); DataError when
 * the bytes are not JSON.
 */
export function parseEnvelope(bytes: Uint8Array): Envelope | undefined {
  const text = decode(bytes)
  const r = new Reader(text)
  r.skipWhitespace()
  if (r.text[r.pos] !== '{') {
    parseJson(text) // not an object: only the syntax matters, for the error message
    return undefined
  }
  r.pos++
  r.skipWhitespace()
  let schemaText: string | undefined
  let payload: JsonNode | undefined
  let members = 0
  if (r.text[r.pos] === '}') r.pos++
  else {
    do {
      const key = r.fieldName()
      members++
      if (key === 'schema') {
        r.skipWhitespace()
        const start = r.pos
        r.skipValue()
        schemaText = text.slice(start, r.pos)
      } else {
        const v = r.value(1)
        if (key === 'payload') payload = v
      }
    } while (!r.memberEnd())
  }
  r.skipWhitespace()
  if (!r.atEnd()) r.fail('Unexpected content after the JSON value')
  if (members !== 2 || schemaText === undefined || payload === undefined) return undefined
  return { schemaText, payload }
}

/** Writes a parsed tree back as compact JSON (numbers keep their literal text). */
export function writeJson(node: JsonNode): string {
  if (node === null) return 'null'
  if (typeof node === 'boolean') return String(node)
  if (typeof node === 'string') return jacksonQuote(node)
  if (node instanceof JsonNumber) return node.text
  if (Array.isArray(node)) return `[${node.map(writeJson).join(',')}]`
  return `{${[...node].map(([k, v]) => `${jacksonQuote(k)}:${writeJson(v)}`).join(',')}}`
}
