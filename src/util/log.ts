/**
 * Logging: pino, one root logger per process and a child per component.
 *
 * TSCONNECT_LOG_LEVEL sets the level (default info; tests default to warn through their runner), and
 * TSCONNECT_LOG_FORMAT=pretty is reserved for a human-readable format (JSON lines otherwise).
 */
import { pino } from 'pino'

/** A structured logger (pino's). */
export type Logger = pino.Logger

let root: Logger | undefined

/** The process's root logger, created on first use. */
export function rootLogger(): Logger {
  root ??= pino({ level: process.env.TSCONNECT_LOG_LEVEL || 'info', base: { pid: process.pid } })
  return root
}

/** A logger for one component, e.g. `logger('kafka.clients')`. */
export function logger(component: string, parent: Logger = rootLogger()): Logger {
  return parent.child({ component })
}
