/**
 * The eager assignor (Java's `EagerAssignor`), used when the group chose the `default` sub-protocol.
 *
 * Every member stopped all its work before joining, so the leader hands out everything afresh: connectors sorted
 * by name go round-robin over the members sorted by id; then, continuing with the same turn, each connector's tasks
 * (by task number, connectors in the same order) go round-robin too. Continuing the turn rather than restarting it
 * keeps one-task connectors from piling their connector and task on the same members.
 */
import type { ConnectorsAndTasks, ConnectorTaskId } from '../protocol/connector-assignments.ts'
import type { ConfigSnapshot } from './types.ts'
import { configuredWork } from './work-sets.ts'

/** Assigns all configured work round-robin; every member gets an entry, possibly empty. */
export function eagerAssign(snapshot: ConfigSnapshot, memberIds: readonly string[]): Map<string, ConnectorsAndTasks> {
  const members = [...memberIds].sort()
  const connectors = new Map<string, string[]>(members.map((m) => [m, []]))
  const tasks = new Map<string, ConnectorTaskId[]>(members.map((m) => [m, []]))
  if (members.length === 0) return new Map()
  let turn = 0
  const next = () => members[turn++ % members.length] as string
  const configured = configuredWork(snapshot.connectorTasks)
  for (const c of configured.connectors) connectors.get(next())?.push(c)
  // configuredWork lists tasks by connector name, then task number: the order Java walks them.
  for (const t of configured.tasks) tasks.get(next())?.push(t)
  return new Map(members.map((m) => [m, { connectors: connectors.get(m) ?? [], tasks: tasks.get(m) ?? [] }]))
}
