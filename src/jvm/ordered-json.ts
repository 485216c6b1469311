/**
 * Source partitions and offsets from the JVM plugin host arrive as the JSON text Java's JsonConverter writes for
 * the offsets topic. JSON.parse would reorder their fields (a JS object lists integer-like keys first), and the
 * offsets topic is looked up by exact key bytes, so this parser keeps every object as a Map in the text's own
 * order; integers beyond 2^53 become bigint, as protocol/jackson-json.ts reads them.
 */

import { CorruptDataError } from '../errors.ts'
import type { JsonValue } from '../protocol/jackson-json.ts'

/** Parses JSON text, objects as Maps in text order. */
export function parseOrderedJson(text: string): JsonValue {
  let i = 0
  const fail = (what: string): never => {
    throw new CorruptDataError(`The JVM plugin host sent invalid JSON (${what} at ${i}): ${text.slice(0, 200)}`)
  }
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++
  }
  const str = (): string => {
    const start = i
    i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    if (i >= text.length) fail('unterminated string')
    i++
    return JSON.parse(text.slice(start, i)) as string
  }
  const value = (): JsonValue => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const map = new Map<string, JsonValue>()
      ws()
      if (text[i] === '}') {
        i++
        return map
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a field name')
        const key = str()
        ws()
        if (text[i++] !== ':') fail('expected ":"')
        map.set(key, value())
        ws()
        const next = text[i++]
        if (next === '}') return map
        if (next !== ',') fail('expected "," or "}"')
      }
    }
    if (c === '[') {
      i++
      const list: JsonValue[] = []
      ws()
      if (text[i] === ']') {
        i++
        return list
      }
      for (;;) {
        list.push(value())
        ws()
        const next = text[i++]
        if (next === ']') return list
        if (next !== ',') fail('expected "," or "]"')
      }
    }
    if (c === '"') return str()
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))
    if (m === null) return fail('unexpected character')
    const token = m[0]
    i += token.length
    if (token === 'true') return true
    if (token === 'false') return false
    if (token === 'null') return null
    if (/^-?\d+$/.test(token)) {
      const n = Number(token)
      return Number.isSafeInteger(n) ? n : BigInt(token)
    }
    return Number(token)
  }
  const out = value()
  ws()
  if (i !== text.length) fail('trailing characters')
  return out
}
