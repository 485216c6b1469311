/**
 * Wall-clock text of instants in a time zone (db.timezone / use.time.zone), and back: how timestamp columns without
 * a zone are written and read. UTC needs no lookup; other zones go through Intl's offset of that instant.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

function isUtc(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Z' || timeZone === 'GMT' || timeZone === 'Etc/UTC'
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  if (isUtc(timeZone)) return 0
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, p.value]),
  )
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  )
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000))
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` of an instant (milliseconds and extra microseconds 0-999) in the zone. */
export function wallTime(epochMs: number, timeZone: string, microsOfMilli = 0): string {
  const d = new Date(epochMs + zoneOffsetMs(epochMs, timeZone))
  const micros = d.getUTCMilliseconds() * 1000 + microsOfMilli
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}`
  )
}

/** `YYYY-MM-DD` of a day count since the epoch. */
export function dateText(epochDays: number): string {
  return new Date(epochDays * 86_400_000).toISOString().slice(0, 10)
}

/** `HH:MM:SS.ffffff` of a time of day in microseconds. */
export function timeText(micros: number): string {
  const totalSeconds = Math.floor(micros / 1_000_000)
  return `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}.${pad(micros % 1_000_000, 6)}`
}

const WALL = /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(?:\s*(Z|[+-]\d\d(?::?\d\d)?))?$/

/**
 * An instant from database text (`2024-01-02 03:04:05.123456`, optionally with an offset such as `+00` or `Z`);
 * text without offset is wall time in `timeZone`. Answers epoch milliseconds and the nanoseconds of the second.
 */
export function parseWallTime(text: string, timeZone: string): { epochMs: number; nanos: number } {
  const m = WALL.exec(text.trim())
  if (m === null) throw new Error(`Not a timestamp: ${JSON.stringify(text)}`)
  const fraction = (m[7] ?? '').padEnd(9, '0')
  const nanos = Number(fraction)
  const asUtc = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
  )
  let epochSeconds: number
  if (m[8] !== undefined) {
    let offsetMs = 0
    if (m[8] !== 'Z') {
      const o = /^([+-])(\d\d):?(\d\d)?$/.exec(m[8]) as RegExpExecArray
      offsetMs = (Number(o[2]) * 60 + Number(o[3] ?? 0)) * 60_000 * (o[1] === '-' ? -1 : 1)
    }
    epochSeconds = (asUtc - offsetMs) / 1000
  } else {
    // The offset at the wall time itself: one correction pass is exact except inside a DST gap.
    const guess = asUtc - zoneOffsetMs(asUtc, timeZone)
    epochSeconds = (asUtc - zoneOffsetMs(guess, timeZone)) / 1000
  }
  return { epochMs: epochSeconds * 1000 + Math.floor(nanos / 1_000_000), nanos }
}
