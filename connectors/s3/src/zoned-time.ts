/**
 * Time in a named zone, as the S3 sink's Java twin computes it with Joda-Time: local time as UTC milliseconds
 * shifted by the zone's offset (DateTimeZone.convertUTCToLocal / convertLocalToUTC), time buckets of
 * partition.duration.ms in local time (TimeBasedPartitioner.getPartition), the next scheduled rotation aligned to
 * the local start of the day (DateTimeUtils.getNextTimeAdjustedByDay), and path.format patterns in Joda's
 * DateTimeFormat syntax.
 */
import { ConfigError } from 'tsconnect'

const DAY_MS = 86_400_000

const offsetFormats = new Map<string, Intl.DateTimeFormat>()

/** The zone's offset from UTC at the instant, in milliseconds. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  let format = offsetFormats.get(zone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    offsetFormats.set(zone, format)
  }
  const parts: Record<string, number> = {}
  for (const p of format.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  )
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000))
}

/** Local time of the instant, as milliseconds since the local epoch. */
export function utcToLocal(zone: string, utcMs: number): number {
  return utcMs + zoneOffsetMs(zone, utcMs)
}

/** The instant of a local time (the earlier one where clocks go back; Joda's non-strict conversion). */
export function localToUtc(zone: string, localMs: number): number {
  const guess = localMs - zoneOffsetMs(zone, localMs)
  return localMs - zoneOffsetMs(zone, guess)
}

/** The start of the time bucket of `durationMs` holding the instant, buckets counted in local time. */
export function bucketStart(durationMs: number, utcMs: number, zone: string): number {
  const local = utcToLocal(zone, utcMs)
  return localToUtc(zone, Math.floor(local / durationMs) * durationMs)
}

/** The next multiple of `intervalMs` after `nowMs`, counted from the local start of the day, at most its end. */
export function nextScheduledRotation(nowMs: number, intervalMs: number, zone: string): number {
  const startOfDay = localToUtc(zone, Math.floor(utcToLocal(zone, nowMs) / DAY_MS) * DAY_MS)
  const next = startOfDay + (Math.floor((nowMs - startOfDay) / intervalMs) + 1) * intervalMs
  return Math.min(next, startOfDay + DAY_MS)
}

type Token = { literal: string } | { letter: string; count: number }

/** Splits a Joda DateTimeFormat pattern into letters and quoted literals ('' is a quote). */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = []
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i] as string
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ literal: "'" })
        i += 2
        continue
      }
      let text = ''
      i++
      while (i < pattern.length) {
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'"
            i += 2
            continue
          }
          break
        }
        text += pattern[i]
        i++
      }
      i++
      tokens.push({ literal: text })
    } else if (/[a-zA-Z]/.test(ch)) {
      let count = 1
      while (pattern[i + count] === ch) count++
      tokens.push({ letter: ch, count })
      i += count
    } else {
      tokens.push({ literal: ch })
      i++
    }
  }
  return tokens
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/**
 * A formatter of instants in a zone by a Joda DateTimeFormat pattern: the numeric fields (y, Y, x, M, d, D, H, h,
 * k, K, m, s, S), month and weekday names (MMM, MMMM, E, EEEE) in the locale, and era/half-day (G, a).
 */
export function jodaFormatter(pattern: string, zone: string, locale: string): (utcMs: number) => string {
  const tokens = tokenize(pattern)
  const supported = new Set('yYxMdDHhkKmsSEaG')
  for (const t of tokens) {
    if ('letter' in t && !supported.has(t.letter)) {
      throw new ConfigError(
        `Invalid value ${pattern} for configuration path.format: Illegal pattern component: ${t.letter}`,
        'path.format',
      )
    }
  }
  const lang = locale.replace('_', '-') || 'en'
  const name = (utcMs: number, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(lang, { timeZone: 'UTC', ...options }).format(new Date(utcMs))
  return (utcMs: number) => {
    const local = utcToLocal(zone, utcMs)
    const d = new Date(local)
    const year = d.getUTCFullYear()
    const hour = d.getUTCHours()
    let out = ''
    for (const t of tokens) {
      if ('literal' in t) {
        out += t.literal
        continue
      }
      const n = t.count
      switch (t.letter) {
        case 'y':
        case 'Y':
        case 'x':
          out += n === 2 ? pad(year % 100, 2) : pad(year, n)
          break
        case 'M':
          out +=
            n >= 4
              ? name(local, { month: 'long' })
              : n === 3
                ? name(local, { month: 'short' })
                : pad(d.getUTCMonth() + 1, n)
          break
        case 'd':
          out += pad(d.getUTCDate(), n)
          break
        case 'D':
          out += pad(Math.floor((local - Date.UTC(year, 0, 1)) / DAY_MS) + 1, n)
          break
        case 'H':
          out += pad(hour, n)
          break
        case 'k':
          out += pad(hour === 0 ? 24 : hour, n)
          break
        case 'h':
          out += pad(hour % 12 === 0 ? 12 : hour % 12, n)
          break
        case 'K':
          out += pad(hour % 12, n)
          break
        case 'm':
          out += pad(d.getUTCMinutes(), n)
          break
        case 's':
          out += pad(d.getUTCSeconds(), n)
          break
        case 'S':
          out += pad(d.getUTCMilliseconds(), 3).slice(0, n).padEnd(n, '0')
          break
        case 'E':
          out += name(local, { weekday: n >= 4 ? 'long' : 'short' })
          break
        case 'a':
          out += hour < 12 ? 'AM' : 'PM'
          break
        case 'G':
          out += year > 0 ? 'AD' : 'BC'
          break
      }
    }
    return out
  }
}
