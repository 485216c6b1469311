/**
 * Java's text forms of numbers and JSON strings, so that what tsconnect writes (JSON payloads, header strings, config defaults in the
 * REST validate answer) reads byte for byte like what a Java worker writes.
 *
 * Java's Double.toString and Float.toString (JDK 19 and later; Jackson writes doubles and floats through them) print
 * the shortest digits that read back as the same value, like JavaScript, but lay them out differently:
 *   - plain notation with at least one fractional digit when 10^-3 <= |v| < 10^7: `1.0`, `12.34`, `0.001`
 *   - otherwise computerized scientific notation, mantissa with at least one fractional digit: `1.0E7`, `1.5E-4`
 *   - `NaN`, `Infinity`, `-Infinity`, and `0.0` / `-0.0`
 *
 * JDK 17 and earlier print a few doubles with more digits than needed (2e23 as 1.9999999999999998E23); we follow
 * JDK 19 and later, which print what JavaScript prints.
 */

/** The shortest digits (no leading or trailing zeros) and decimal exponent of a finite, non-zero number. */
interface Digits {
  negative: boolean
  digits: string
  /** The power of ten of the first digit: 1234 is digits "1234" and exponent 3. */
  exponent: number
}

function digitsOf(text: string): Digits {
  // `text` is JavaScript's toExponential() or toPrecision() form: [-]d[.ddd]e[+-]x, or a plain decimal.
  let negative = false
  let t = text
  if (t.startsWith('-')) {
    negative = true
    t = t.slice(1)
  }
  let exponent = 0
  const e = t.indexOf('e')
  if (e >= 0) {
    exponent = Number(t.slice(e + 1))
    t = t.slice(0, e)
  }
  const point = t.indexOf('.')
  const intPart = point >= 0 ? t.slice(0, point) : t
  const fracPart = point >= 0 ? t.slice(point + 1) : ''
  let all = intPart + fracPart
  exponent += intPart.length - 1
  const leading = all.length - all.replace(/^0+/, '').length
  all = all.slice(leading)
  exponent -= leading
  all = all.replace(/0+$/, '')
  return { negative, digits: all === '' ? '0' : all, exponent }
}

function layout({ negative, digits, exponent }: Digits): string {
  const sign = negative ? '-' : ''
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
    const intDigits = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
    const frac = digits.slice(exponent + 1)
    return `${sign}${intDigits}.${frac === '' ? '0' : frac}`
  }
  const frac = digits.slice(1)
  return `${sign}${digits[0]}.${frac === '' ? '0' : frac}E${exponent}`
}

function special(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return 'Infinity'
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  return undefined
}

/**
 * Java picks, when one digit would do, the two-digit decimal closest to the value instead (its spec's "length 2"
 * rule): the same for normal numbers (1 prints 1.0), different for some subnormals (Double.MIN_VALUE is 4.9E-324).
 */
function twoDigitRule(value: number, shortest: Digits, readsBack: (text: string) => boolean): Digits {
  if (shortest.digits.length !== 1) return shortest
  const closest = value.toPrecision(2)
  return readsBack(closest) ? digitsOf(closest) : shortest
}

/** Java's Double.toString(value). */
export function javaDoubleToString(value: number): string {
  const s = special(value)
  if (s !== undefined) return s
  return layout(twoDigitRule(value, digitsOf(value.toExponential()), (t) => Number(t) === value))
}

/**
 * Java's Float.toString(value): the value is first rounded to 32 bits, then printed with the fewest digits that
 * read back as the same float (so 12.34f prints `12.34`, not the double `12.34000015258789`).
 */
export function javaFloatToString(value: number): string {
  const f = Math.fround(value)
  const s = special(f)
  if (s !== undefined) return s
  for (let precision = 1; precision <= 9; precision++) {
    const text = f.toPrecision(precision)
    if (Math.fround(Number(text)) === f) {
      return layout(twoDigitRule(f, digitsOf(text), (t) => Math.fround(Number(t)) === f))
    }
  }
  return layout(digitsOf(f.toExponential()))
}

const HEX = '0123456789ABCDEF'
const SHORT_ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
}
// Characters that need escaping: quote, backslash, controls, and UTF-16 surrogates. Jackson's UTF-8 generator
// writes each surrogate as its own \uXXXX escape (COMBINE_UNICODE_SURROGATES_IN_UTF8 is off by default), so an
// emoji is written as "\uD83D\uDE00", not as four raw UTF-8 bytes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * A JSON string literal escaped as Jackson escapes it (upper-case hex, surrogates escaped one by one). Both the
 * JsonConverter and the internal-topic records use it, so both write the bytes a Java worker writes.
 */
export function jacksonQuote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const short = SHORT_ESCAPES[c]
    if (short !== undefined) out += short
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) {
      out += `\\u${HEX[c >> 12]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`
    } else out += s[i]
  }
  return `${out}"`
}
