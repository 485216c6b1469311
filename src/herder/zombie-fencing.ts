/**
 * The leader's round of zombie fencing for an exactly-once source connector (KIP-618; Java's
 * DistributedHerder.doFenceZombieSourceTasks).
 *
 * Each commit of new task configs makes the connector "pending fencing" until a `tasks-fencing-<connector>` record
 * (the task count record) is written after it. Before that record is written, every transactional producer of the
 * previous task generation, `<group.id>-<connector>-0 .. <recorded count - 1>`, is fenced, so that no task of an
 * older generation (a zombie, e.g. on a partitioned worker) can commit once a new generation starts. The round
 * runs on the herder's loop, so two requests for one connector never fence at the same time.
 */
import { ConnectError } from '../errors.ts'
import type { ConfigStore } from '../stores/config-store.ts'
import type { Logger } from '../util/log.ts'

/** A fencing could not complete because the connector's tasks changed meanwhile: answered 409 by REST. */
export class FencingConflictError extends ConnectError {
  override name = 'FencingConflictError'

  constructor(message: string) {
    super('CONFLICT', message)
  }
}

/** What a round of fencing uses. */
export interface ZombieFencingDeps {
  configStore: ConfigStore
  groupId: string
  /** Fences every producer of these transactional ids (FindCoordinator + InitProducerId each). */
  fenceProducers: (transactionalIds: readonly string[]) => Promise<void>
  log: Logger
}

/** The transactional ids of a connector's tasks 0..count-1 (Java's taskTransactionalId). */
export function taskTransactionalIds(groupId: string, connector: string, count: number): string[] {
  return Array.from({ length: count }, (_, task) => `${groupId}-${connector}-${task}`)
}

/** Runs one round for `connector` (the caller checked it is a source connector and that this worker leads). */
export async function fenceZombieSourceTasks(deps: ZombieFencingDeps, connector: string): Promise<void> {
  const store = deps.configStore
  await store.refresh()
  const snapshot = store.snapshot()
  if (!snapshot.pendingFencing(connector)) {
    deps.log.debug({ connector }, 'Skipping zombie fencing: every older task generation is fenced out already')
    return
  }
  const taskCount = snapshot.taskCount(connector)
  const recorded = snapshot.taskCountRecord(connector)
  // No record: no transactional producer was ever started for the connector. One task before and one after:
  // the new task fences its predecessor itself, since both use the id of task 0.
  if (recorded === undefined || (recorded === 1 && taskCount === 1)) {
    deps.log.debug({ connector, taskCount }, 'Skipping the fencing of producers; writing the task count record')
    await store.putTaskCountRecord(connector, taskCount)
    return
  }
  const generation = snapshot.taskConfigGeneration(connector)
  const ids = taskTransactionalIds(deps.groupId, connector, recorded)
  deps.log.info({ connector, transactionalIds: ids }, 'Fencing out the producers of older task generations')
  await deps.fenceProducers(ids)
  await store.refresh()
  if (store.snapshot().taskConfigGeneration(connector) !== generation) {
    throw new FencingConflictError('Fencing failed because new task configurations were generated for the connector')
  }
  await store.putTaskCountRecord(connector, taskCount)
}
