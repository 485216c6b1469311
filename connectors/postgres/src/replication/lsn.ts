/**
 * Log sequence numbers: 64-bit positions in PostgreSQL's WAL, carried as bigint (a JS number would round them
 * beyond 2^53), printed as PostgreSQL prints them (`16/B374D848`: the high and low 32 bits in hex).
 */

/** An LSN as bigint, from PostgreSQL's text form `X/Y`. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text)
  if (match === null) throw new Error(`not an LSN: ${text}`)
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`)
}

/** PostgreSQL's text form of an LSN. */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`
}

/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01T00:00:00Z). */
export const PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000n

/** Microseconds since the Unix epoch, from the protocol's microseconds since 2000-01-01. */
export function pgMicrosToUnixMicros(pgMicros: bigint): bigint {
  return pgMicros + PG_EPOCH_OFFSET_MICROS
}

/** The protocol's microseconds since 2000-01-01, from Unix epoch milliseconds. */
export function unixMillisToPgMicros(millis: number): bigint {
  return BigInt(millis) * 1000n - PG_EPOCH_OFFSET_MICROS
}
