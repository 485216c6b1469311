/**
 * Deep equality of Connect values, as Java's Objects.deepEquals over Connect's value classes: byte arrays by content,
 * lists and maps by their entries, Dates by instant, structs and decimals by their own equals(). An INT64 held as
 * bigint equals the same value held as a number.
 */

interface HasEquals {
  equals(other: unknown): boolean
}

function hasEquals(v: object): v is HasEquals {
  return typeof (v as Partial<HasEquals>).equals === 'function'
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function mapGet(m: ReadonlyMap<unknown, unknown>, key: unknown): { found: boolean; value: unknown } {
  if (m.has(key)) return { found: true, value: m.get(key) }
  if (typeof key !== 'object' && typeof key !== 'bigint' && typeof key !== 'number')
    return { found: false, value: undefined }
  for (const [k, v] of m) if (valuesEqual(k, key)) return { found: true, value: v }
  return { found: false, value: undefined }
}

function entriesOf(v: ReadonlyMap<unknown, unknown> | Record<string, unknown>): ReadonlyMap<unknown, unknown> {
  return v instanceof Map ? v : new Map(Object.entries(v))
}

/** Whether two Connect values are equal; null and undefined are the same (no value). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a == null || b == null) return a == null && b == null
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === typeof b) return Number.isNaN(a) && Number.isNaN(b)
    return Number.isInteger(a) || Number.isInteger(b) ? BigInt(a) === BigInt(b) : false
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b)
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]))
  }
  if ((a instanceof Map || isPlainObject(a)) && (b instanceof Map || isPlainObject(b))) {
    const am = entriesOf(a)
    const bm = entriesOf(b)
    if (am.size !== bm.size) return false
    for (const [k, v] of am) {
      const other = mapGet(bm, k)
      if (!other.found || !valuesEqual(v, other.value)) return false
    }
    return true
  }
  if (hasEquals(a)) return a.equals(b)
  return false
}
