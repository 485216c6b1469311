/**
 * Helpers for store tests: a logger that records what the stores log, so tests can assert that a skipped record
 * was reported (topic, partition, offset) without printing it.
 */
import { pino } from 'pino'
import type { Logger } from '../../src/util/log.ts'

/** One logged line, parsed. */
export interface LoggedLine {
  level: number
  msg: string
  [key: string]: unknown
}

/** A silent logger that keeps every line it was given in `lines`. */
export function recordingLogger(): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = []
  const logger = pino(
    { level: 'trace' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as LoggedLine)
      },
    },
  )
  return { logger, lines }
}

/** A logger that drops everything. */
export function quietLogger(): Logger {
  return pino({ level: 'silent' })
}
