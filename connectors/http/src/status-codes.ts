/**
 * Status-code lists as Confluent's `retry.on.status.codes` writes them: comma-separated codes and ranges, a range
 * open at the top when its end is left out (`400-` is every code from 400).
 */
import { ConfigError } from 'tsconnect'

/** Whether a status is in the list. */
export type StatusMatcher = (status: number) => boolean

/** Parses a list such as `429,500-599` or `400-`; an empty list matches nothing. */
export function parseStatusCodes(text: string, key = 'retry.on.status.codes'): StatusMatcher {
  const ranges: [number, number][] = []
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue
    const m = /^(\d{3})(?:(-)(\d{3})?)?$/.exec(part)
    if (m === null) {
      throw new ConfigError(`Invalid value ${text} for configuration ${key}: '${part}' is not a code or range`, key)
    }
    const low = Number(m[1])
    const high = m[2] === undefined ? low : m[3] === undefined ? 999 : Number(m[3])
    if (high < low) throw new ConfigError(`Invalid value ${text} for configuration ${key}: '${part}' is empty`, key)
    ranges.push([low, high])
  }
  return (status) => ranges.some(([low, high]) => status >= low && status <= high)
}
