/**
 * The connectors-and-tasks list that both the assignment and its revocations carry (Java's
 * `CONNECTOR_ASSIGNMENT_V0`, an array of it), and the in-memory shape of a set of connectors and tasks.
 *
 * ```
 * ConnectorAssignments => ARRAY of ConnectorAssignment       (INT32 count, -1 = null where nullable)
 * ConnectorAssignment  => connector:STRING tasks:ARRAY(INT32)
 * ```
 * In `tasks`, -1 stands for the Connector instance itself and ids ≥ 0 are its tasks. One entry per connector, in
 * order of first appearance; within an entry the -1 comes first, then the task ids in the order given. Readers do
 * not depend on the order (Java itself writes connectors in HashSet order).
 */
import { CorruptDataError } from '../errors.ts'
import type { WireReader, WireWriter } from './wire.ts'

/** The task id that means "the Connector instance itself". */
export const CONNECTOR_TASK = -1

/** One task of one connector. */
export interface ConnectorTaskId {
  readonly connector: string
  readonly task: number
}

/** A set of connectors and tasks: what a worker runs, is assigned, or must stop. */
export interface ConnectorsAndTasks {
  readonly connectors: readonly string[]
  readonly tasks: readonly ConnectorTaskId[]
}

/** The empty set of connectors and tasks. */
export const NO_WORK: ConnectorsAndTasks = Object.freeze({ connectors: [], tasks: [] })

/** A key that identifies a task in Sets and Maps (connector names cannot contain NUL). */
export function taskKey(id: ConnectorTaskId): string {
  return `${id.connector}\u0000${id.task}`
}

/** Java's ConnectorTaskId order: by connector name, then task number. */
export function compareTaskIds(a: ConnectorTaskId, b: ConnectorTaskId): number {
  if (a.connector !== b.connector) return a.connector < b.connector ? -1 : 1
  return a.task - b.task
}

/** Writes the list as a (non-null) array of connector entries. */
export function writeConnectorAssignments(w: WireWriter, work: ConnectorsAndTasks): void {
  const entries = new Map<string, number[]>()
  for (const c of work.connectors) {
    const ids = entries.get(c) ?? []
    // A connector listed twice would decode as two instances; the set semantics of the model say one.
    if (!ids.includes(CONNECTOR_TASK)) ids.unshift(CONNECTOR_TASK)
    entries.set(c, ids)
  }
  for (const t of work.tasks) {
    if (!Number.isInteger(t.task) || t.task < 0 || t.task > 0x7fffffff) {
      throw new RangeError(`task id ${t.task} of ${t.connector} is not a non-negative INT32`)
    }
    const ids = entries.get(t.connector) ?? []
    ids.push(t.task)
    entries.set(t.connector, ids)
  }
  w.array([...entries], (ww, [connector, ids]) => {
    ww.string(connector).array(ids, (www, id) => www.int32(id))
  })
}

/** Reads a nullable array of connector entries; null reads as the empty set, as Java's ExtendedAssignment does. */
export function readConnectorAssignments(r: WireReader, field: string): ConnectorsAndTasks {
  const entries = r.nullableArray(field, 6, (rr) => {
    const connector = rr.string(`${field}.connector`)
    const ids = rr.array(`${field}.tasks`, 4, (rrr) => rrr.int32(`${field}.tasks[]`))
    return { connector, ids }
  })
  const connectors: string[] = []
  const tasks: ConnectorTaskId[] = []
  for (const { connector, ids } of entries ?? []) {
    for (const id of ids) {
      if (id === CONNECTOR_TASK) connectors.push(connector)
      else if (id >= 0) tasks.push({ connector, task: id })
      else throw new CorruptDataError(`${field}: task id ${id} of connector '${connector}' is negative`)
    }
  }
  return { connectors, tasks }
}
