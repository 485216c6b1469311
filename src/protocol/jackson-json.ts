/**
 * JSON exactly as Java Connect's internal converter writes it: JsonConverter with schemas.enable=false, which
 * hands a Jackson tree to a default ObjectMapper.
 *
 * Why not JSON.stringify: the internal topics are shared with Java workers, and offsets are looked up by their
 * key bytes, so the bytes must be the ones Jackson produces. Jackson and JSON.stringify differ in four places:
 * - control characters without a short escape are written `\u001F` (upper-case hex; JSON.stringify writes `\u001f`);
 * - characters outside the BMP are written as two escaped surrogates, `\uD83D\uDE00` (JSON.stringify: raw UTF-8);
 * - a Java double is written by `Double.toString`: `1.0`, `0.001`, `1.0E7`, `1.0E-4` (JSON.stringify: `1`, `0.001`,
 *   `10000000`, `0.0001`); JS numbers that are integers are written as Java longs are (`42`);
 * - NaN and infinities become the strings "NaN", "Infinity" and "-Infinity" (Jackson quotes non-numeric numbers).
 * Everything else matches: compact output, no spaces, other non-ASCII characters written as raw UTF-8, `/` not escaped,
 * object fields in insertion order. Byte arrays become base64 strings, as Jackson writes a BinaryNode.
 *
 * Doubles are printed by util/java-format.ts with the digits of JDK 19 and later (older JDKs occasionally printed
 * one more digit, which would only matter for doubles inside offset keys).
 *
 * Reading is JSON.parse with one addition: integers that a JS number cannot hold exactly (beyond 2^53) are read as
 * bigint, so the longs Java writes (e.g. Long.MAX_VALUE in an offset) survive a round trip.
 */
import { CorruptDataError } from '../errors.ts'
import { jacksonQuote, javaDoubleToString } from '../util/java-format.ts'

/** A JSON value as read or written here. Objects may also be given as Maps, to control field order exactly. */
export type JsonValue = null | boolean | number | bigint | string | Uint8Array | JsonValue[] | JsonObject | JsonMap

/** A JSON object as a plain object (insertion order, except that JS lists integer-like keys first). */
export interface JsonObject {
  [key: string]: JsonValue | undefined
}

/** A JSON object whose field order is exactly the Map's order. */
export type JsonMap = Map<string, JsonValue | undefined>

const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n

function writeNumber(n: number): string {
  if (!Number.isFinite(n)) return `"${javaDoubleToString(n)}"`
  if (Number.isInteger(n)) {
    const big = BigInt(n)
    if (big >= LONG_MIN && big <= LONG_MAX) return big.toString()
  }
  return javaDoubleToString(n)
}

function writeValue(value: JsonValue | undefined, out: string[]): void {
  if (value === null || value === undefined) out.push('null')
  else if (typeof value === 'string') out.push(jacksonQuote(value))
  else if (typeof value === 'number') out.push(writeNumber(value))
  else if (typeof value === 'bigint') out.push(value.toString())
  else if (typeof value === 'boolean') out.push(value ? 'true' : 'false')
  else if (value instanceof Uint8Array) out.push(`"${Buffer.from(value).toString('base64')}"`)
  else if (Array.isArray(value)) {
    out.push('[')
    value.forEach((item, i) => {
      if (i > 0) out.push(',')
      writeValue(item, out)
    })
    out.push(']')
  } else {
    const entries = value instanceof Map ? value.entries() : Object.entries(value)
    out.push('{')
    let first = true
    for (const [key, item] of entries) {
      if (!first) out.push(',')
      first = false
      out.push(jacksonQuote(key), ':')
      writeValue(item, out)
    }
    out.push('}')
  }
}

/** The compact JSON text Jackson writes for `value`. */
export function toJacksonJson(value: JsonValue): string {
  const out: string[] = []
  writeValue(value, out)
  return out.join('')
}

/** The UTF-8 bytes Java Connect's internal JsonConverter writes for `value`. */
export function encodeJson(value: JsonValue): Buffer {
  return Buffer.from(toJacksonJson(value), 'utf8')
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const INTEGRAL = /^-?\d+$/

/** The reviver's third argument (JSON.parse source text access, Node 21+). */
interface ReviverContext {
  source?: string
}

function keepLongs(this: unknown, _key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && INTEGRAL.test(context.source)) {
    return BigInt(context.source)
  }
  return value
}

/**
 * Parses JSON bytes (UTF-8) as Java's JsonConverter reads them; throws CorruptDataError for invalid UTF-8 or JSON.
 * Objects come back as plain objects; integers beyond 2^53 as bigint.
 */
export function decodeJson(bytes: Uint8Array): JsonValue {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch (error) {
    throw new CorruptDataError('the bytes are not valid UTF-8', { cause: error })
  }
  try {
    return JSON.parse(text, keepLongs as (this: unknown, key: string, value: unknown) => unknown) as JsonValue
  } catch (error) {
    throw new CorruptDataError(`the bytes are not valid JSON: ${(error as Error).message}`, { cause: error })
  }
}

/** Whether a decoded `value` is a JSON object: not an array, bytes, a Map or null. */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Map)
  )
}

/** Whether a decoded `value` is an integer (a JSON number without fraction or exponent, or a bigint). */
export function isJsonInteger(value: JsonValue | undefined): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))
}
