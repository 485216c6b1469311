/**
 * Log levels through REST (Java's Loggers, KIP-495 and KIP-976): GET and PUT /admin/loggers. Levels use Java's
 * names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF); a namespace covers itself and every logger below it (a
 * component named `stores.config` is below `stores`). Setting `root` sets the process's root logger.
 *
 * The namespaces are tsconnect's component names (util/log.ts logger('...'), e.g. `herder`, `stores.config`,
 * `membership.member`); a level set here reaches that namespace's loggers, existing and future ones.
 */
import { BadRequestError } from '../errors.ts'
import type { Clock } from '../util/clock.ts'
import { type Logger, setNamespaceLevel } from '../util/log.ts'
import type { LoggerLevel } from './herder.ts'

const JAVA_TO_PINO: Record<string, string> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
  OFF: 'silent',
  ALL: 'trace',
}

/** The levels this worker was told, by namespace. */
export class Loggers {
  readonly #levels = new Map<string, LoggerLevel>()
  readonly #root: Logger
  readonly #clock: Clock

  constructor(root: Logger, clock: Clock) {
    this.#root = root
    this.#clock = clock
    this.#levels.set('root', { level: javaLevel(root.level), last_modified: null })
  }

  /** Every logger with an explicit level, and root. */
  all(): Record<string, LoggerLevel> {
    return Object.fromEntries([...this.#levels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  }

  /** A logger's level: its own, else its nearest ancestor's; undefined for a name never set or below a set one. */
  level(name: string): LoggerLevel | undefined {
    const own = this.#levels.get(name)
    if (own !== undefined) return own
    for (let n = name; n.includes('.'); ) {
      n = n.slice(0, n.lastIndexOf('.'))
      const ancestor = this.#levels.get(n)
      if (ancestor !== undefined) return { level: ancestor.level, last_modified: null }
    }
    return undefined
  }

  /**
   * Sets a level on the namespace and every known logger below it; answers the names changed, sorted.
   * @throws BadRequestError for a level Java would not accept
   */
  set(namespace: string, level: string): string[] {
    const upper = level.toUpperCase()
    const pinoLevel = JAVA_TO_PINO[upper]
    if (pinoLevel === undefined) throw new BadRequestError(`Invalid log level '${level}'.`)
    const now = this.#clock.now()
    const affected =
      namespace === 'root'
        ? [...this.#levels.keys()]
        : [...this.#levels.keys()].filter((n) => n === namespace || n.startsWith(`${namespace}.`))
    for (const name of setNamespaceLevel(namespace, pinoLevel)) if (!affected.includes(name)) affected.push(name)
    if (!affected.includes(namespace)) affected.push(namespace)
    for (const name of affected) this.#levels.set(name, { level: upper, last_modified: now })
    if (namespace === 'root') this.#root.level = pinoLevel
    return affected.sort()
  }
}

function javaLevel(pinoLevel: string): string {
  return Object.entries(JAVA_TO_PINO).find(([, p]) => p === pinoLevel)?.[0] ?? 'INFO'
}
