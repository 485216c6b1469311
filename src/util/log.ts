/**
 * Logging: pino, one root logger per process and a child per component.
 *
 * TSCONNECT_LOG_LEVEL sets the level (default info; tests default to warn through their runner). Records are JSON
 * lines, except on a terminal or with TSCONNECT_LOG_FORMAT=text, where they are text lines for people
 * (log-format.ts).
 *
 * Component loggers are kept (weakly) by name, so that a level set at run time (PUT /admin/loggers/{namespace})
 * reaches the loggers of that namespace that exist already, and the ones created later.
 */
import { pino } from 'pino'
import { logFormat, textDestination } from './log-format.ts'

/** A structured logger (pino's). */
export type Logger = pino.Logger

let root: Logger | undefined
const components = new Set<{ name: string; ref: WeakRef<Logger> }>()
const levels = new Map<string, string>()

/** The process's root logger, created on first use. */
export function rootLogger(): Logger {
  if (root === undefined) {
    const options = { level: process.env.TSCONNECT_LOG_LEVEL || 'info', base: { pid: process.pid } }
    root =
      logFormat(process.env, process.stdout) === 'text'
        ? pino(options, textDestination(process.stdout, process.stdout.hasColors?.() === true))
        : pino(options)
  }
  return root
}

/** The level set for a component's namespace (itself or its nearest parent, split on dots), if any. */
function levelFor(component: string): string | undefined {
  for (let name = component; ; name = name.slice(0, name.lastIndexOf('.'))) {
    const level = levels.get(name)
    if (level !== undefined) return level
    if (!name.includes('.')) return levels.get('root')
  }
}

/** A logger for one component, e.g. `logger('kafka.clients')`. */
export function logger(component: string, parent: Logger = rootLogger()): Logger {
  const child = parent.child({ component })
  const level = levelFor(component)
  if (level !== undefined) child.level = level
  components.add({ name: component, ref: new WeakRef(child) })
  return child
}

/**
 * Sets the pino level of a namespace: the component loggers named `namespace` or `namespace.*`, now and later.
 * Answers the component names changed.
 */
export function setNamespaceLevel(namespace: string, level: string): string[] {
  // root covers every logger, as in log4j: levels set below it before are replaced.
  if (namespace === 'root') levels.clear()
  levels.set(namespace, level)
  const changed = new Set<string>()
  for (const entry of components) {
    const child = entry.ref.deref()
    if (child === undefined) {
      components.delete(entry)
      continue
    }
    if (namespace === 'root' || entry.name === namespace || entry.name.startsWith(`${namespace}.`)) {
      child.level = levelFor(entry.name) ?? level
      changed.add(entry.name)
    }
  }
  return [...changed]
}
