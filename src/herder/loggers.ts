/**
 * Log levels through REST (Java's Loggers, KIP-495 and KIP-976): GET and PUT /admin/loggers. Levels use Java's
 * names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF); a namespace covers itself and every logger below it (a
 * component named `stores.config` is below `stores`). Setting `root` sets the process's root logger.
 *
 * The namespaces are tsconnect's component names (util/log.ts logger('...'), e.g. `herder`, `stores.config`,
 * `membership.member`); a level set here reaches that namespace's loggers, existing and future ones.
 *
 * Java's runtime logger names work too, as Kafka's system tests and tools use them (JAVA_LOGGERS: e.g.
 * `org.apache.kafka.connect.runtime.WorkerSinkTask` is the `worker` component). Reading one answers its own level
 * or else its component's; setting one (or a Java package, e.g. `org.apache.kafka.connect.storage`) sets the
 * components it maps to, so several Java classes that share a component share its level. The listing shows every
 * mapped Java name with its effective level, as Java lists every logger log4j knows. docs/rest.md has the table.
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

/**
 * Java's Connect runtime loggers and the tsconnect component each one's work is logged by. A Java package covers
 * the names below it (`org.apache.kafka.connect.runtime` covers the worker, herder, REST and membership).
 */
export const JAVA_LOGGERS: Readonly<Record<string, string>> = {
  'org.apache.kafka.connect.cli.ConnectDistributed': 'connect-distributed',
  'org.apache.kafka.connect.cli.ConnectStandalone': 'connect-standalone',
  'org.apache.kafka.connect.runtime.Worker': 'worker',
  'org.apache.kafka.connect.runtime.WorkerConnector': 'worker',
  'org.apache.kafka.connect.runtime.WorkerTask': 'worker',
  'org.apache.kafka.connect.runtime.WorkerSinkTask': 'worker',
  'org.apache.kafka.connect.runtime.WorkerSourceTask': 'worker',
  'org.apache.kafka.connect.runtime.AbstractWorkerSourceTask': 'worker',
  'org.apache.kafka.connect.runtime.ExactlyOnceWorkerSourceTask': 'worker',
  'org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator': 'worker',
  'org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter': 'worker',
  'org.apache.kafka.connect.runtime.AbstractHerder': 'herder',
  'org.apache.kafka.connect.runtime.distributed.DistributedHerder': 'herder',
  'org.apache.kafka.connect.runtime.standalone.StandaloneHerder': 'herder',
  'org.apache.kafka.connect.runtime.distributed.WorkerCoordinator': 'membership.member',
  'org.apache.kafka.connect.runtime.distributed.WorkerGroupMember': 'membership.member',
  'org.apache.kafka.connect.runtime.rest.RestServer': 'rest',
  'org.apache.kafka.connect.runtime.rest.RestClient': 'rest',
  'org.apache.kafka.connect.storage.KafkaConfigBackingStore': 'stores.config',
  'org.apache.kafka.connect.storage.KafkaStatusBackingStore': 'stores.status',
  'org.apache.kafka.connect.storage.KafkaOffsetBackingStore': 'stores.offsets',
  'org.apache.kafka.connect.storage.ConnectorOffsetBackingStore': 'stores.connector-offsets',
  'org.apache.kafka.connect.storage.SimpleHeaderConverter': 'converters.simple-header',
  'org.apache.kafka.connect.util.KafkaBasedLog': 'stores.log',
  'org.apache.kafka.clients': 'kafka.clients',
}

/** The Java names at or below `namespace` (a class or a package), with their components. */
function javaNamesUnder(namespace: string): [string, string][] {
  return Object.entries(JAVA_LOGGERS).filter(([java]) => java === namespace || java.startsWith(`${namespace}.`))
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

  /** Every logger with an explicit level, every mapped Java logger with its effective level, and root. */
  all(): Record<string, LoggerLevel> {
    const out = new Map(this.#levels)
    for (const java of Object.keys(JAVA_LOGGERS)) {
      const level = this.level(java)
      if (level !== undefined && !out.has(java)) out.set(java, level)
    }
    return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  }

  /**
   * A logger's level: its own, else its nearest ancestor's; for a mapped Java name, else its component's, else
   * root's (Java answers every logger it knows). Undefined for another name never set nor below a set one.
   */
  level(name: string): LoggerLevel | undefined {
    const own = this.#levels.get(name)
    if (own !== undefined) return own
    const component = JAVA_LOGGERS[name]
    if (component !== undefined) {
      const inherited = this.#inherited(name) ?? this.#inherited(component) ?? this.#levels.get(component)
      return { level: (inherited ?? this.#levels.get('root') ?? { level: 'INFO' }).level, last_modified: null }
    }
    return this.#inherited(name)
  }

  /** The level of the nearest dotted ancestor of `name` that has one. */
  #inherited(name: string): LoggerLevel | undefined {
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
    // A Java name or package reaches the components its classes map to, and the Java names below it.
    for (const [java, component] of javaNamesUnder(namespace)) {
      if (!affected.includes(java)) affected.push(java)
      for (const name of setNamespaceLevel(component, pinoLevel)) if (!affected.includes(name)) affected.push(name)
      if (!affected.includes(component)) affected.push(component)
    }
    if (!affected.includes(namespace)) affected.push(namespace)
    for (const name of affected) this.#levels.set(name, { level: upper, last_modified: now })
    if (namespace === 'root') this.#root.level = pinoLevel
    return affected.sort()
  }
}

function javaLevel(pinoLevel: string): string {
  return Object.entries(JAVA_TO_PINO).find(([, p]) => p === pinoLevel)?.[0] ?? 'INFO'
}
