/**
 * JSON text with 64-bit integers kept exact. Source offsets may hold longs beyond 2^53 (LSNs, nanosecond
 * timestamps) as bigints: JSON.stringify throws on a bigint, and JSON.parse rounds such a number. The offsets
 * endpoints and the forwarding client write and read their bodies through these two functions instead.
 */

/** JSON.rawJSON (Node 21+), typed here because TypeScript's lib does not declare it yet. */
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON

/** JSON.stringify, with bigints written as JSON integers. */
export function stringifyWithLongs(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? rawJSON(v.toString()) : v))
}

const INTEGRAL = /^-?\d+$/

/** JSON.parse, with integers that a JS number cannot hold exactly read as bigint. */
export function parseWithLongs(text: string): unknown {
  return JSON.parse(text, ((_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && INTEGRAL.test(context.source)
      ? BigInt(context.source)
      : value) as (key: string, value: unknown) => unknown)
}
