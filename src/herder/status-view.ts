/**
 * REST's view of statuses (Java's AbstractHerder.connectorStatus and taskStatus): read straight from the status
 * store, without queueing on the herder's loop, as Java does, so status reads stay fast during long herder jobs.
 */
import { NotFoundError } from '../errors.ts'
import type { ClusterConfigSnapshot } from '../stores/config-store.ts'
import type { StatusStore, StatusValue } from '../stores/status-store.ts'
import type { ConnectorKind } from '../worker/worker-api.ts'
import type { ConnectorState, ConnectorStateInfo, ConnectorTaskId, TaskState } from './herder.ts'

function connectorState(s: StatusValue): ConnectorState {
  return { state: s.state, worker_id: s.workerId, ...(s.trace ? { trace: s.trace } : {}) }
}

function taskState(id: number, s: StatusValue): TaskState {
  return { id, state: s.state, worker_id: s.workerId, ...(s.trace ? { trace: s.trace } : {}) }
}

/**
 * A connector's status with its tasks (the tasks of its current task configs that have a status), sorted by id.
 * @throws NotFoundError "No status found for connector c"
 */
export function connectorStatusInfo(
  name: string,
  statuses: StatusStore,
  snapshot: ClusterConfigSnapshot,
  kind: ConnectorKind,
): ConnectorStateInfo {
  const status = statuses.connector(name)
  if (status === undefined) throw new NotFoundError(`No status found for connector ${name}`)
  const tasks: TaskState[] = []
  for (const t of snapshot.tasks(name)) {
    const s = statuses.task(name, t.task)
    if (s !== undefined) tasks.push(taskState(t.task, s))
  }
  tasks.sort((a, b) => a.id - b.id)
  return { name, connector: connectorState(status), tasks, type: kind }
}

/** @throws NotFoundError "No status found for task c-0" */
export function taskStatusInfo(id: ConnectorTaskId, statuses: StatusStore): TaskState {
  const s = statuses.task(id.connector, id.task)
  if (s === undefined) throw new NotFoundError(`No status found for task ${id.connector}-${id.task}`)
  return taskState(id.task, s)
}
