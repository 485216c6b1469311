/**
 * REST's view of statuses (Java's AbstractHerder.connectorStatus and taskStatus): read straight from the status
 * store, without queueing on the herder's loop, as Java does, so status reads stay fast during long herder jobs.
 *
 * tsconnect adds one field, `auto_restart`, to a connector or task whose automatic restarts (auto-restart.ts) this
 * worker tracks: the status topic carries Java's bytes only, so the worker that runs the work is the one that knows.
 */
import { NotFoundError } from '../errors.ts'
import type { ClusterConfigSnapshot } from '../stores/config-store.ts'
import type { StatusStore, StatusValue } from '../stores/status-store.ts'
import type { ConnectorKind } from '../worker/worker-api.ts'
import type { AutoRestartInfo, RestartTarget } from './auto-restart.ts'
import type { AutoRestartState, ConnectorState, ConnectorStateInfo, ConnectorTaskId, TaskState } from './herder.ts'

/** The automatic restarts this worker tracks, for the work whose status it wrote. */
export interface LocalRestarts {
  readonly workerId: string
  info(target: RestartTarget): AutoRestartInfo | undefined
}

function autoRestart(target: RestartTarget, s: StatusValue, local: LocalRestarts | undefined) {
  const info = local && s.workerId === local.workerId ? local.info(target) : undefined
  if (info === undefined) return {}
  const state: AutoRestartState = {
    restarts: info.attempts,
    max_restarts: info.maxAttempts,
    next_restart: info.nextAttemptAt === null ? null : new Date(info.nextAttemptAt).toISOString(),
    last_error: info.lastError,
  }
  return { auto_restart: state }
}

/** trace and version, left out when empty (Java's JsonInclude NON_EMPTY). */
function optional(s: StatusValue): { trace?: string; version?: string } {
  return { ...(s.trace ? { trace: s.trace } : {}), ...(s.version ? { version: s.version } : {}) }
}

function connectorState(name: string, s: StatusValue, local?: LocalRestarts): ConnectorState {
  return {
    state: s.state,
    worker_id: s.workerId,
    ...optional(s),
    ...autoRestart(name, s, local),
  }
}

function taskState(id: ConnectorTaskId, s: StatusValue, local?: LocalRestarts): TaskState {
  return {
    id: id.task,
    state: s.state,
    worker_id: s.workerId,
    ...optional(s),
    ...autoRestart(id, s, local),
  }
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
  local?: LocalRestarts,
): ConnectorStateInfo {
  const status = statuses.connector(name)
  if (status === undefined) throw new NotFoundError(`No status found for connector ${name}`)
  const tasks: TaskState[] = []
  for (const t of snapshot.tasks(name)) {
    const s = statuses.task(name, t.task)
    if (s !== undefined) tasks.push(taskState({ connector: name, task: t.task }, s, local))
  }
  tasks.sort((a, b) => a.id - b.id)
  return { name, connector: connectorState(name, status, local), tasks, type: kind }
}

/** @throws NotFoundError "No status found for task c-0" */
export function taskStatusInfo(id: ConnectorTaskId, statuses: StatusStore, local?: LocalRestarts): TaskState {
  const s = statuses.task(id.connector, id.task)
  if (s === undefined) throw new NotFoundError(`No status found for task ${id.connector}-${id.task}`)
  return taskState(id, s, local)
}
