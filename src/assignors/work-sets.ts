/**
 * Small set algebra over connectors and tasks, in the orders Java's assignor relies on: TreeSet order (sorted) for
 * derived sets, insertion order for a worker's own load.
 */
import {
  type ConnectorsAndTasks,
  type ConnectorTaskId,
  compareTaskIds,
  taskKey,
} from '../protocol/connector-assignments.ts'

/** A mutable, insertion-ordered set of connectors and tasks. */
export class WorkSet {
  readonly connectors = new Set<string>()
  readonly #tasks = new Map<string, ConnectorTaskId>()

  constructor(from?: ConnectorsAndTasks) {
    if (from) this.addAll(from)
  }

  get tasks(): ConnectorTaskId[] {
    return [...this.#tasks.values()]
  }

  get size(): number {
    return this.connectors.size + this.#tasks.size
  }

  get connectorCount(): number {
    return this.connectors.size
  }

  get taskCount(): number {
    return this.#tasks.size
  }

  isEmpty(): boolean {
    return this.size === 0
  }

  hasConnector(c: string): boolean {
    return this.connectors.has(c)
  }

  hasTask(t: ConnectorTaskId): boolean {
    return this.#tasks.has(taskKey(t))
  }

  addConnector(c: string): void {
    this.connectors.add(c)
  }

  addTask(t: ConnectorTaskId): void {
    const k = taskKey(t)
    if (!this.#tasks.has(k)) this.#tasks.set(k, { connector: t.connector, task: t.task })
  }

  addAll(w: ConnectorsAndTasks): this {
    for (const c of w.connectors) this.addConnector(c)
    for (const t of w.tasks) this.addTask(t)
    return this
  }

  removeAll(w: ConnectorsAndTasks): this {
    for (const c of w.connectors) this.connectors.delete(c)
    for (const t of w.tasks) this.#tasks.delete(taskKey(t))
    return this
  }

  /** A frozen plain copy, in insertion order. */
  toWork(): ConnectorsAndTasks {
    return { connectors: [...this.connectors], tasks: this.tasks }
  }
}

/** `base` minus every set in `subtract`, sorted as Java's TreeSet would be. */
export function sortedDiff(base: ConnectorsAndTasks, ...subtract: ConnectorsAndTasks[]): ConnectorsAndTasks {
  const out = new WorkSet(base)
  for (const s of subtract) out.removeAll(s)
  return sortedWork(out.toWork())
}

/** The same work, connectors sorted by name and tasks by (connector, task). */
export function sortedWork(w: ConnectorsAndTasks): ConnectorsAndTasks {
  return { connectors: [...w.connectors].sort(), tasks: [...w.tasks].sort(compareTaskIds) }
}

/** The items of `w` that are also in `filter`, in the order of `w`. */
export function intersect(w: ConnectorsAndTasks, filter: ConnectorsAndTasks): ConnectorsAndTasks {
  const f = new WorkSet(filter)
  return { connectors: w.connectors.filter((c) => f.hasConnector(c)), tasks: w.tasks.filter((t) => f.hasTask(t)) }
}

/** Whether a set holds nothing. */
export function isEmptyWork(w: ConnectorsAndTasks): boolean {
  return w.connectors.length === 0 && w.tasks.length === 0
}

/** Everything configured in a snapshot: the connectors and tasks 0..n-1 of each, sorted. */
export function configuredWork(connectorTasks: ReadonlyMap<string, number>): ConnectorsAndTasks {
  const connectors = [...connectorTasks.keys()].sort()
  const tasks: ConnectorTaskId[] = []
  for (const connector of connectors) {
    const n = connectorTasks.get(connector) ?? 0
    for (let task = 0; task < n; task++) tasks.push({ connector, task })
  }
  return { connectors, tasks }
}
