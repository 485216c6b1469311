/**
 * The decision about lost work: connectors and tasks that the previous round assigned but that no member reports
 * now (their worker died or left without handing them back). This is the one seam where a faster failover policy
 * can replace Java's; the cooperative assignor calls a LostWorkPolicy and does nothing else about lost work.
 *
 * Java's policy (`IncrementalCooperativeAssignor.handleLostAssignments`), `scheduledDelayPolicy`:
 * a. nothing lost and no revocation last round: cancel any scheduled delay;
 * b. no delay running and every member of the last round is still here: reassign at once (the work was probably
 *    never delivered, not lost with a worker);
 * c. scheduled.rebalance.max.delay.ms = 0: reassign at once;
 * d. the delay ran out: give the work to the "candidate workers" (members that had nothing while the delay ran:
 *    most likely the departed worker, back) round-robin, or else to the pool of new work; then cancel the delay;
 * e. otherwise start or keep waiting: the work stays unassigned, and members with an empty load become candidates.
 *
 * tsconnect's policy when scheduled.rebalance.max.delay.ms is not set, `reassignAtOncePolicy`: lost work goes back
 * to the pool in the round that finds it lost. The session timeout already was the grace period for a worker that
 * comes back (docs/failover.md says why that is safe). Work a departed worker released on a clean stop never reaches
 * a policy: the assignor hands it out at once under either (cooperative.ts, `isReleased`).
 */
import type { ConnectorsAndTasks, ConnectorTaskId } from '../protocol/connector-assignments.ts'
import { isEmptyWork } from './work-sets.ts'

/** The delay-related part of the cooperative assignor's state. */
export interface DelayState {
  /** When the scheduled rebalance is due (Clock ms), or 0 when none is scheduled. */
  readonly scheduledRebalance: number
  /** The delay members are told to wait before rejoining; 0 for none. */
  readonly delay: number
  /** Members that had no work while the delay ran, in the order they were found. */
  readonly candidateWorkers: readonly string[]
  /** Whether the previous round revoked work to balance the load. */
  readonly revokedInPrevious: boolean
}

/** A member's load as the assignor sees it at the time of the decision. */
export interface WorkerLoadView {
  readonly worker: string
  readonly load: ConnectorsAndTasks
}

/** What a LostWorkPolicy is given. */
export interface LostWorkInput {
  /** The lost work, sorted (connectors by name, tasks by connector then number). */
  readonly lost: ConnectorsAndTasks
  /** Every member of this round with its load (deleted and duplicated work already taken out), sorted by id. */
  readonly workers: readonly WorkerLoadView[]
  /** The members of the previous round. */
  readonly previousMembers: readonly string[]
  readonly now: number
  /** scheduled.rebalance.max.delay.ms */
  readonly maxDelay: number
  readonly state: DelayState
}

/** What a LostWorkPolicy decides. */
export interface LostWorkDecision {
  /** Lost work to hand out together with newly created work (water-filling over all members). */
  readonly toPool: ConnectorsAndTasks
  /** Lost work given to particular members. */
  readonly toWorkers: ReadonlyMap<string, ConnectorsAndTasks>
  readonly state: DelayState
}

/** Decides what happens to lost work this round. */
export type LostWorkPolicy = (input: LostWorkInput) => LostWorkDecision

const NOTHING: ConnectorsAndTasks = { connectors: [], tasks: [] }

function reset(state: DelayState): DelayState {
  return { ...state, scheduledRebalance: 0, delay: 0, candidateWorkers: [] }
}

/** Java's policy: wait up to scheduled.rebalance.max.delay.ms for the departed worker to come back. */
export const scheduledDelayPolicy: LostWorkPolicy = (input) => {
  const { lost, workers, previousMembers, now, maxDelay, state } = input
  if (isEmptyWork(lost) && !state.revokedInPrevious) {
    return { toPool: NOTHING, toWorkers: new Map(), state: reset(state) }
  }
  const present = new Set(workers.map((w) => w.worker))
  if (state.scheduledRebalance <= 0 && previousMembers.every((m) => present.has(m))) {
    return { toPool: lost, toWorkers: new Map(), state }
  }
  if (maxDelay === 0) {
    return { toPool: lost, toWorkers: new Map(), state }
  }
  if (state.scheduledRebalance > 0 && now >= state.scheduledRebalance) {
    const candidates = state.candidateWorkers.filter((c) => present.has(c))
    const after: DelayState = { ...reset(state), revokedInPrevious: false }
    if (candidates.length === 0) return { toPool: lost, toWorkers: new Map(), state: after }
    const given = new Map(candidates.map((c) => [c, { connectors: [] as string[], tasks: [] as ConnectorTaskId[] }]))
    // Connectors and tasks each start again from the first candidate, as Java does.
    lost.connectors.forEach((c, i) => {
      given.get(candidates[i % candidates.length] as string)?.connectors.push(c)
    })
    lost.tasks.forEach((t, i) => {
      given.get(candidates[i % candidates.length] as string)?.tasks.push(t)
    })
    return { toPool: NOTHING, toWorkers: given, state: after }
  }
  const candidateWorkers = [...state.candidateWorkers]
  for (const w of workers) {
    if (isEmptyWork(w.load) && !candidateWorkers.includes(w.worker)) candidateWorkers.push(w.worker)
  }
  let delay: number
  if (now < state.scheduledRebalance) {
    delay = Math.min(state.scheduledRebalance - now, maxDelay)
  } else {
    delay = maxDelay
  }
  return {
    toPool: NOTHING,
    toWorkers: new Map(),
    state: { ...state, candidateWorkers, delay, scheduledRebalance: now + delay },
  }
}

/**
 * tsconnect's default: lost work is reassigned in the round that finds it lost, and any delay still scheduled (from
 * a round that ran under another leader's policy) is cancelled.
 */
export const reassignAtOncePolicy: LostWorkPolicy = (input) => ({
  toPool: input.lost,
  toWorkers: new Map(),
  state: reset(input.state),
})
