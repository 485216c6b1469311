/**
 * BigDecimal: an exact decimal, an unscaled integer and a scale (value = unscaled × 10^-scale), as Java's
 * java.math.BigDecimal. It is the value of the Decimal logical type. Only what Connect needs is here: exact parsing,
 * Java's toString (which JsonConverter writes with decimal.format=NUMERIC), two's-complement bytes, and equality
 * that, like Java's, compares scale too (1.50 is not 1.5).
 */
import { DataError } from '../errors.ts'

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** An exact decimal number: `unscaled × 10^-scale`. */
export class BigDecimal {
  /** The digits, as an integer. */
  readonly unscaled: bigint
  /** How many of the digits are after the decimal point (may be negative). */
  readonly scale: number

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale)) throw new DataError(`Invalid BigDecimal scale: ${scale}`)
    this.unscaled = unscaled
    this.scale = scale
    Object.freeze(this)
  }

  /** Parses decimal text as Java's `new BigDecimal(String)` does: `1.56` has scale 2, `1E+3` has scale -3. */
  static parse(text: string): BigDecimal {
    const m = DECIMAL_TEXT.exec(text)
    const intDigits = m?.[2] ?? ''
    const fracDigits = m?.[3] ?? ''
    if (m === null || intDigits.length + fracDigits.length === 0) {
      throw new DataError(`Not a decimal number: ${JSON.stringify(text)}`)
    }
    const exponent = m[4] === undefined ? 0 : Number(m[4])
    let unscaled = BigInt(intDigits + fracDigits)
    if (m[1] === '-') unscaled = -unscaled
    return new BigDecimal(unscaled, fracDigits.length - exponent)
  }

  /** The decimal of a JavaScript number, through its shortest text (as Java's BigDecimal.valueOf(double)). */
  static fromNumber(value: number): BigDecimal {
    if (!Number.isFinite(value)) throw new DataError(`Cannot represent ${value} as a decimal`)
    const d = BigDecimal.parse(String(value))
    // Java's valueOf(double) goes through Double.toString, which always has a fractional digit: 1.0, scale 1.
    return Number.isInteger(value) && d.scale <= 0 ? d.setScale(1) : d
  }

  /** The same value with a larger scale (more trailing zeros); throws when digits would be lost. */
  setScale(scale: number): BigDecimal {
    if (scale === this.scale) return this
    if (scale > this.scale) return new BigDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale)
    const divisor = 10n ** BigInt(this.scale - scale)
    if (this.unscaled % divisor !== 0n) throw new DataError(`Rounding necessary to set scale ${scale} on ${this}`)
    return new BigDecimal(this.unscaled / divisor, scale)
  }

  /** The unscaled value as big-endian two's-complement bytes, shortest form (Java's BigInteger.toByteArray). */
  toTwosComplement(): Uint8Array {
    let v = this.unscaled
    const bytes: number[] = []
    for (;;) {
      const b = Number(v & 0xffn)
      bytes.unshift(b)
      v >>= 8n
      // Done when the rest is pure sign extension of the byte just written.
      if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break
    }
    return Uint8Array.from(bytes)
  }

  /** Reads big-endian two's-complement bytes (Java's `new BigInteger(byte[])`) with the given scale. */
  static fromTwosComplement(bytes: Uint8Array, scale: number): BigDecimal {
    if (bytes.length === 0) throw new DataError('Cannot read a decimal from zero bytes')
    let v = 0n
    for (const b of bytes) v = (v << 8n) | BigInt(b)
    if (((bytes[0] ?? 0) & 0x80) !== 0) v -= 1n << BigInt(bytes.length * 8)
    return new BigDecimal(v, scale)
  }

  /** The nearest JavaScript number. */
  toNumber(): number {
    return Number(this.toString())
  }

  /** Same unscaled value and scale, as Java's BigDecimal.equals. */
  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale
  }

  /** Java's BigDecimal.toString: plain digits when the exponent is small, scientific notation (1.23E+5) otherwise. */
  toString(): string {
    const negative = this.unscaled < 0n
    const digits = (negative ? -this.unscaled : this.unscaled).toString()
    const sign = negative ? '-' : ''
    const adjusted = -this.scale + (digits.length - 1)
    if (this.scale >= 0 && adjusted >= -6) {
      if (this.scale === 0) return sign + digits
      if (digits.length > this.scale) {
        const point = digits.length - this.scale
        return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
      }
      return `${sign}0.${'0'.repeat(this.scale - digits.length)}${digits}`
    }
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`
  }
}
