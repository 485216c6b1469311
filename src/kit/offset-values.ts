/**
 * 64-bit values in source offsets. A long that Java wrote (an LSN, a nanosecond timestamp) may be beyond 2^53,
 * where a JS number silently rounds. The runtime reads offsets-topic integers beyond 2^53 as bigint and writes
 * bigints as JSON integers, so a task that keeps such values as bigint carries them exactly; integers within 2^53
 * come back as numbers. offsetLong turns what the offset reader answers into one bigint whatever its size.
 */
import { DataError } from '../errors.ts'

/**
 * A 64-bit integer of a committed source offset as a bigint: a bigint as it is, a safe-integer number, or a
 * string of decimal digits. Anything else (a fraction, a number beyond 2^53 that has already lost digits, text) is
 * a DataError naming `field`, so a corrupt offset is refused instead of resumed from the wrong place.
 */
export function offsetLong(value: unknown, field: string): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  throw new DataError(`The offset field ${field} is not a 64-bit integer: ${String(value)}`)
}
