/**
 * Java's SimpleDateFormat, in UTC, for TimestampRouter (`timestamp.format`) and TimestampConverter (`format`).
 * Pattern letters: G y Y M L w W D d F E u a H k K h m s S z Z X, quoted text in single quotes, `''` for a quote;
 * any other ASCII letter is illegal ("Illegal pattern character 'b'"), as in Java. Text and weeks follow a US
 * English locale (week fields: weeks start on Sunday, week 1 holds January 1); parsing ignores weeks. Dates are
 * proleptic Gregorian: Java switches to the Julian calendar before 1582-10-15, this does not.
 *
 * Parsing follows Java's defaults where configs rely on them: numbers next to another number field take exactly
 * their pattern width (so yyyyMMdd parses), two-digit years land within 80 years before and 20 after now, text
 * fields match case-insensitively, and a time zone may be given as UTC, GMT, Z, +hh:mm, +hhmm or GMT+hh:mm.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const LETTERS = 'GyYMLwWDdFEuaHkKhmsSzZX'
const NUMERIC = new Set(['y', 'Y', 'M', 'L', 'w', 'W', 'D', 'd', 'F', 'u', 'H', 'k', 'K', 'h', 'm', 's', 'S'])
const MILLIS_PER_DAY = 86_400_000

/** How long each field's value lasts; fields not listed (S, zone letters) change with every millisecond or never. */
const FIELD_RESOLUTION: Record<string, number> = {
  G: MILLIS_PER_DAY,
  y: MILLIS_PER_DAY,
  Y: MILLIS_PER_DAY,
  M: MILLIS_PER_DAY,
  L: MILLIS_PER_DAY,
  w: MILLIS_PER_DAY,
  W: MILLIS_PER_DAY,
  D: MILLIS_PER_DAY,
  d: MILLIS_PER_DAY,
  F: MILLIS_PER_DAY,
  E: MILLIS_PER_DAY,
  u: MILLIS_PER_DAY,
  a: 3_600_000,
  H: 3_600_000,
  k: 3_600_000,
  K: 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  S: 1,
  z: MILLIS_PER_DAY,
  Z: MILLIS_PER_DAY,
  X: MILLIS_PER_DAY,
}

type Token = { kind: 'field'; letter: string; count: number } | { kind: 'literal'; text: string }

/** A compiled date pattern that formats and parses in UTC. */
export class SimpleDateFormat {
  readonly pattern: string
  readonly #tokens: Token[]

  /** Compiles the pattern; throws an Error with Java's message for an illegal pattern. */
  constructor(pattern: string) {
    this.pattern = pattern
    this.#tokens = compile(pattern)
  }

  /**
   * The span of time within which the formatted text cannot change: a pattern of days gives the same text for the
   * whole UTC day, one with seconds for the whole second. Callers cache the text per span.
   */
  get resolutionMillis(): number {
    let resolution = MILLIS_PER_DAY
    for (const t of this.#tokens) {
      if (t.kind !== 'field') continue
      const unit = FIELD_RESOLUTION[t.letter] ?? 1
      if (unit < resolution) resolution = unit
    }
    return resolution
  }

  /** Java's toPattern(). */
  toPattern(): string {
    return this.pattern
  }

  /** The date written with the pattern, in UTC. */
  format(date: Date): string {
    return this.#tokens.map((t) => (t.kind === 'literal' ? t.text : formatField(t.letter, t.count, date))).join('')
  }

  /** The date the text denotes, read from its start (trailing text is ignored, as Java's parse(String) does). */
  parse(text: string): Date {
    const fields: Record<string, number> = {}
    let pos = 0
    let offsetMinutes = 0
    const fail = (): never => {
      throw new Error(`Unparseable date: "${text}"`)
    }
    for (let i = 0; i < this.#tokens.length; i++) {
      const t = this.#tokens[i] as Token
      if (t.kind === 'literal') {
        if (!text.startsWith(t.text, pos)) fail()
        pos += t.text.length
        continue
      }
      const next = this.#tokens[i + 1]
      const abutting = next !== undefined && next.kind === 'field' && NUMERIC.has(next.letter)
      if (NUMERIC.has(t.letter) && !(t.letter === 'M' && t.count >= 3) && !(t.letter === 'L' && t.count >= 3)) {
        const re = abutting ? new RegExp(`^[+-]?\\d{1,${t.count}}`) : /^[+-]?\d+/
        const m = re.exec(text.slice(pos))
        if (m === null) fail()
        const digits = (m as RegExpExecArray)[0]
        let n = Number(digits)
        if ((t.letter === 'y' || t.letter === 'Y') && t.count <= 2 && /^\d{2}$/.test(digits)) n = twoDigitYear(n)
        fields[t.letter === 'L' ? 'M' : t.letter] = n
        pos += digits.length
      } else if (t.letter === 'M' || t.letter === 'L') {
        const idx = matchName(text, pos, MONTHS)
        if (idx === undefined) fail()
        const [index, length] = idx as [number, number]
        fields.M = index + 1
        pos += length
      } else if (t.letter === 'E') {
        const idx = matchName(text, pos, DAYS)
        if (idx === undefined) fail()
        pos += (idx as [number, number])[1]
      } else if (t.letter === 'a') {
        const ampm = text.slice(pos, pos + 2).toUpperCase()
        if (ampm !== 'AM' && ampm !== 'PM') fail()
        fields.a = ampm === 'PM' ? 1 : 0
        pos += 2
      } else if (t.letter === 'G') {
        const era = text.slice(pos, pos + 2).toUpperCase()
        if (era !== 'AD' && era !== 'BC') fail()
        fields.G = era === 'BC' ? 0 : 1
        pos += 2
      } else {
        const zone = parseZone(text.slice(pos))
        if (zone === undefined) fail()
        const [minutes, length] = zone as [number, number]
        offsetMinutes = minutes
        pos += length
      }
    }
    return new Date(toEpochMillis(fields) - offsetMinutes * 60_000)
  }
}

function compile(pattern: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1]
    if (last?.kind === 'literal') last.text += text
    else tokens.push({ kind: 'literal', text })
  }
  while (i < pattern.length) {
    const c = pattern[i] as string
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal("'")
        i += 2
        continue
      }
      const end = pattern.indexOf("'", i + 1)
      if (end < 0) throw new Error('Unterminated quote')
      // Inside quotes, '' is one quote.
      let j = i + 1
      let text = ''
      let close = end
      for (;;) {
        text += pattern.slice(j, close)
        if (pattern[close + 1] === "'") {
          text += "'"
          j = close + 2
          const again = pattern.indexOf("'", j)
          if (again < 0) throw new Error('Unterminated quote')
          close = again
          continue
        }
        break
      }
      literal(text)
      i = close + 1
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.includes(c)) throw new Error(`Illegal pattern character '${c}'`)
      let count = 1
      while (pattern[i + count] === c) count++
      tokens.push({ kind: 'field', letter: c, count })
      i += count
    } else {
      literal(c)
      i++
    }
  }
  return tokens
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0')
  return n < 0 ? `-${s}` : s
}

/**
 * Week of year and week-based year as Java's calendar gives them in a US English locale (the JVM default of most
 * workers): weeks start on Sunday and week 1 is the week that holds January 1.
 */
function usWeek(date: Date): { week: number; year: number } {
  const year = date.getUTCFullYear()
  const day = Date.UTC(year, date.getUTCMonth(), date.getUTCDate())
  const nextJan1 = new Date(0)
  nextJan1.setUTCFullYear(year + 1, 0, 1)
  const nextWeekStart = nextJan1.getTime() - nextJan1.getUTCDay() * MILLIS_PER_DAY
  if (day >= nextWeekStart) return { week: 1, year: year + 1 }
  const jan1 = new Date(0)
  jan1.setUTCFullYear(year, 0, 1)
  const dayOfYear = Math.round((day - jan1.getTime()) / MILLIS_PER_DAY)
  return { week: Math.floor((dayOfYear + jan1.getUTCDay()) / 7) + 1, year }
}

function text(names: readonly string[], index: number, count: number): string {
  const name = names[index] as string
  return count >= 4 ? name : name.slice(0, 3)
}

function formatField(letter: string, count: number, d: Date): string {
  const year = d.getUTCFullYear()
  const hour = d.getUTCHours()
  switch (letter) {
    case 'G':
      return year > 0 ? 'AD' : 'BC'
    case 'y':
    case 'Y': {
      const y = letter === 'Y' ? usWeek(d).year : year > 0 ? year : 1 - year
      return count === 2 ? pad(y % 100, 2) : pad(y, count)
    }
    case 'M':
    case 'L':
      return count >= 3 ? text(MONTHS, d.getUTCMonth(), count) : pad(d.getUTCMonth() + 1, count)
    case 'w':
      return pad(usWeek(d).week, count)
    case 'W':
      return pad(Math.ceil((d.getUTCDate() + new Date(Date.UTC(year, d.getUTCMonth(), 1)).getUTCDay()) / 7), count)
    case 'D':
      return pad(Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / MILLIS_PER_DAY) + 1, count)
    case 'd':
      return pad(d.getUTCDate(), count)
    case 'F':
      return pad(Math.floor((d.getUTCDate() - 1) / 7) + 1, count)
    case 'E':
      return text(DAYS, d.getUTCDay(), count)
    case 'u':
      return pad(d.getUTCDay() || 7, count)
    case 'a':
      return hour < 12 ? 'AM' : 'PM'
    case 'H':
      return pad(hour, count)
    case 'k':
      return pad(hour === 0 ? 24 : hour, count)
    case 'K':
      return pad(hour % 12, count)
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12, count)
    case 'm':
      return pad(d.getUTCMinutes(), count)
    case 's':
      return pad(d.getUTCSeconds(), count)
    case 'S':
      return pad(d.getUTCMilliseconds(), count)
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC'
    case 'Z':
      return '+0000'
    default:
      return 'Z' // X: ISO 8601 zone, which for UTC is "Z"
  }
}

function matchName(input: string, pos: number, names: readonly string[]): [number, number] | undefined {
  const rest = input.slice(pos).toLowerCase()
  // Java tries both the long and the short form whatever the count; prefer the long one.
  for (const long of [true, false]) {
    for (let i = 0; i < names.length; i++) {
      const name = (long ? names[i] : (names[i] as string).slice(0, 3)) as string
      if (rest.startsWith(name.toLowerCase())) return [i, name.length]
    }
  }
  return undefined
}

function parseZone(rest: string): [number, number] | undefined {
  const m = /^(?:(?:UTC|GMT)(?:([+-])(\d{1,2}):?(\d{2})?)?|Z|([+-])(\d{2}):?(\d{2})?)/i.exec(rest)
  if (m === null) return undefined
  const sign = m[1] ?? m[4]
  if (sign === undefined) return [0, m[0].length]
  const minutes = Number(m[2] ?? m[5]) * 60 + Number(m[3] ?? m[6] ?? 0)
  return [sign === '-' ? -minutes : minutes, m[0].length]
}

function twoDigitYear(yy: number): number {
  const now = new Date()
  const start = now.getUTCFullYear() - 80
  let year = Math.floor(start / 100) * 100 + yy
  if (year < start) year += 100
  return year
}

function toEpochMillis(f: Record<string, number>): number {
  let year = f.y ?? f.Y ?? 1970
  if (f.G === 0) year = 1 - year
  let hour = f.H ?? (f.k !== undefined ? f.k % 24 : undefined) ?? 0
  if (f.h !== undefined || f.K !== undefined) hour = (f.h ?? f.K ?? 0) % 12
  if (f.a === 1 && f.H === undefined && f.k === undefined) hour += 12
  const dayOfYearOnly = f.D !== undefined && f.d === undefined && f.M === undefined
  const month = dayOfYearOnly ? 0 : (f.M ?? 1) - 1
  const day = dayOfYearOnly ? (f.D as number) : (f.d ?? 1)
  // setUTCFullYear takes years below 100 as they are (Date.UTC would read 0-99 as 1900-1999).
  const d = new Date(0)
  d.setUTCFullYear(year, month, day)
  d.setUTCHours(hour, f.m ?? 0, f.s ?? 0, f.S ?? 0)
  return d.getTime()
}
