/**
 * The incremental cooperative assignor (Java's `IncrementalCooperativeAssignor.performTaskAssignment`, KIP-415),
 * used when the group chose the `compatible` or `sessioned` sub-protocol. A pure function: the previous state,
 * the members' current work, the config snapshot and the time come in; each member's increment (work to start,
 * work to stop), the delay before the next rebalance and the next state go out.
 *
 * One round (Java's IncrementalCooperativeAssignor.performTaskAssignment, KIP-415):
 * 1. forget the previous assignment if the previous round's generation is not the last completed one (the leader
 *    changed or a sync was lost);
 * 2. configured = the snapshot's connectors and tasks; active = the union of what members report running;
 * 3. if work revoked last round is still active, the revocation did not take: previous := active;
 * 4. deleted = previous − configured; duplicated = run by more than one member;
 *    lost = previous − active − deleted; created = configured − previous − active;
 * 5. revoke deleted and duplicated work from whoever runs it;
 * 6. lost work its departed owner released (stopped cleanly, `isReleased`) goes to the pool at once; ask the
 *    LostWorkPolicy (lost-work.ts) what to do with the rest;
 * 7. with no delay pending, revoke from members above their fair share (connectors and tasks separately), unless
 *    the previous round revoked too: then wait out an exponential backoff (1 ms ×40 per round, capped at the max
 *    delay) first;
 * 8. water-fill created (and released lost) work over the least-loaded members;
 * 9. remember: previous = every member's next load − revoked + lost (lost work stays "previous" until reassigned).
 *
 * Where Java iterates a HashMap (members, candidate workers), this iterates members sorted by id, so equal inputs
 * give equal outputs.
 */
import type { ConnectorsAndTasks, ConnectorTaskId } from '../protocol/connector-assignments.ts'
import { type DelayState, type LostWorkPolicy, scheduledDelayPolicy } from './lost-work.ts'
import type { ConfigSnapshot, MemberAssignment } from './types.ts'
import { configuredWork, intersect, isEmptyWork, sortedDiff, WorkSet } from './work-sets.ts'

/** What the leader remembers between rounds. */
export interface CooperativeState extends DelayState {
  /** Everything assigned after the previous round (minus revoked, plus still-lost work). */
  readonly previousAssignment: ConnectorsAndTasks
  /** What the previous round revoked. */
  readonly previousRevocation: ConnectorsAndTasks
  /** The generation of the previous round, -1 before the first. */
  readonly previousGenerationId: number
  /** The members of the previous round. */
  readonly previousMembers: readonly string[]
  /** Consecutive rounds with load-balancing revocations (drives the revocation backoff). */
  readonly successiveRevokingRounds: number
}

/** The state of a leader that has not assigned yet. */
export const INITIAL_COOPERATIVE_STATE: CooperativeState = Object.freeze({
  previousAssignment: { connectors: [], tasks: [] },
  previousRevocation: { connectors: [], tasks: [] },
  previousGenerationId: -1,
  previousMembers: [],
  successiveRevokingRounds: 0,
  scheduledRebalance: 0,
  delay: 0,
  candidateWorkers: [],
  revokedInPrevious: false,
})

/** The inputs of one round. */
export interface CooperativeInput {
  readonly snapshot: ConfigSnapshot
  /** Each member's current work, as it reported it in its metadata (its allocation). */
  readonly members: ReadonlyMap<string, ConnectorsAndTasks>
  /** The generation of the last round this leader completed (synced), -1 for none. */
  readonly lastCompletedGenerationId: number
  /** The generation being assigned. */
  readonly generationId: number
  /** Clock ms. */
  readonly now: number
  /** scheduled.rebalance.max.delay.ms */
  readonly maxDelay: number
  /** What to do with lost work; Java's scheduled delay by default. */
  readonly lostWorkPolicy?: LostWorkPolicy
  /**
   * Whether a lost connector or task was released by a worker that left (it stopped the work before leaving), so
   * that it is reassigned at once instead of going through the policy. None is, by default.
   */
  readonly isReleased?: (work: string | ConnectorTaskId) => boolean
}

/** The outputs of one round. */
export interface CooperativeResult {
  /** Per member: the work to start and the work to stop. */
  readonly assignments: Map<string, MemberAssignment>
  /** Per member: everything it runs once this round is applied (who owns what, for forwarding). */
  readonly loads: Map<string, ConnectorsAndTasks>
  /** ms after which members should rejoin; 0 for none. */
  readonly delay: number
  readonly state: CooperativeState
}

/** Java's ExponentialBackoff(maxDelay == 0 ? 0 : 1, 40, maxDelay, no jitter) for consecutive revoking rounds. */
export function revocationBackoff(attempts: number, maxDelay: number): number {
  const initial = Math.min(maxDelay, maxDelay === 0 ? 0 : 1)
  const expMax = maxDelay > initial ? Math.log(maxDelay / Math.max(initial, 1)) / Math.log(40) : 0
  if (expMax === 0) return initial
  return Math.min(Math.floor(initial * 40 ** Math.min(attempts, expMax)), maxDelay)
}

interface Load {
  worker: string
  work: WorkSet
}

/** Which items to take from each worker so that none holds more than its fair share (step 7 above; Java's performTaskRevocation). */
function balancingRevocations<T>(total: number, workers: readonly Load[], items: (w: Load) => T[]): Map<string, T[]> {
  const result = new Map<string, T[]>()
  const min = Math.floor(total / workers.length)
  const extra = total % workers.length
  const sizes = workers.map((w) => items(w).length)
  const atMin = sizes.filter((n) => n === min).length
  const atMinPlusOne = sizes.filter((n) => n === min + 1).length
  if (atMinPlusOne === extra && atMin + atMinPlusOne === workers.length) return result
  let extrasGiven = 0
  for (const w of workers) {
    const held = items(w)
    if (held.length <= min) continue
    let keep = min
    if (extrasGiven < extra) {
      extrasGiven++
      if (held.length === min + 1) continue
      keep = min + 1
    }
    result.set(w.worker, held.slice(0, held.length - keep))
  }
  return result
}

function loadBalancingRevocations(configured: ConnectorsAndTasks, workers: readonly Load[]): Map<string, WorkSet> {
  const result = new Map<string, WorkSet>()
  if (workers.every((w) => w.work.isEmpty()) || isEmptyWork(configured)) return result
  const at = (worker: string) => {
    const existing = result.get(worker)
    if (existing) return existing
    const created = new WorkSet()
    result.set(worker, created)
    return created
  }
  for (const [worker, cs] of balancingRevocations(configured.connectors.length, workers, (w) => [
    ...w.work.connectors,
  ])) {
    for (const c of cs) at(worker).addConnector(c)
  }
  for (const [worker, ts] of balancingRevocations(configured.tasks.length, workers, (w) => w.work.tasks)) {
    for (const t of ts) at(worker).addTask(t)
  }
  return result
}

/** Gives items one at a time to the least-loaded workers (ties by worker id), levelling them up like water. */
function waterFill<T>(
  workers: Load[],
  pool: readonly T[],
  size: (w: Load) => number,
  give: (w: Load, item: T) => void,
) {
  if (workers.length === 0 || pool.length === 0) return
  workers.sort((a, b) => size(a) - size(b) || (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0))
  const first = workers[0] as Load
  let next = 0
  while (next < pool.length) {
    const level = size(first)
    let upTo = workers.findIndex((w) => size(w) > level)
    if (upTo < 0) upTo = workers.length
    for (let i = 0; i < upTo && next < pool.length; i++) give(workers[i] as Load, pool[next++] as T)
  }
}

/** One round of incremental cooperative assignment. */
export function cooperativeAssign(input: CooperativeInput, state: CooperativeState): CooperativeResult {
  const policy = input.lostWorkPolicy ?? scheduledDelayPolicy
  const memberIds = [...input.members.keys()].sort()
  let previous = state.previousGenerationId === input.lastCompletedGenerationId ? state.previousAssignment : null
  previous ??= { connectors: [], tasks: [] }

  const configured = configuredWork(input.snapshot.connectorTasks)
  const activeSet = new WorkSet()
  for (const id of memberIds) activeSet.addAll(input.members.get(id) as ConnectorsAndTasks)
  const active = activeSet.toWork()

  const prevRevoked = state.previousRevocation
  if (
    prevRevoked.connectors.some((c) => activeSet.hasConnector(c)) ||
    prevRevoked.tasks.some((t) => activeSet.hasTask(t))
  ) {
    previous = active
  }

  const deleted = sortedDiff(previous, configured)
  const duplicated = duplicatedWork(memberIds.map((id) => input.members.get(id) as ConnectorsAndTasks))
  const missing = sortedDiff(previous, active, deleted)
  const isReleased = input.isReleased ?? (() => false)
  const released: ConnectorsAndTasks = {
    connectors: missing.connectors.filter((c) => isReleased(c)),
    tasks: missing.tasks.filter((t) => isReleased(t)),
  }
  const lost = sortedDiff(missing, released)
  const created = sortedDiff(configured, previous, active)

  // What each member runs now, minus deleted work: the base that increments are computed against.
  const current = new Map(memberIds.map((id) => [id, new WorkSet(input.members.get(id)).removeAll(deleted)]))
  const toRevoke = new Map<string, WorkSet>(memberIds.map((id) => [id, new WorkSet()]))
  const next: Load[] = memberIds.map((id) => ({ worker: id, work: new WorkSet(input.members.get(id)) }))
  for (const load of next) {
    const own = load.work.toWork()
    const revoke = toRevoke.get(load.worker) as WorkSet
    revoke.addAll(intersect(own, deleted)).addAll(intersect(own, duplicated))
    load.work.removeAll(revoke.toWork())
  }

  const decision = policy({
    lost,
    workers: next.map((l) => ({ worker: l.worker, load: l.work.toWork() })),
    previousMembers: state.previousMembers,
    now: input.now,
    maxDelay: input.maxDelay,
    state,
  })
  for (const load of next) {
    const given = decision.toWorkers.get(load.worker)
    if (given) load.work.addAll(given)
  }
  let { delay, scheduledRebalance, revokedInPrevious } = decision.state
  let successiveRevokingRounds = state.successiveRevokingRounds

  if (delay === 0) {
    const balancing = loadBalancingRevocations(configured, next)
    const revokeNow = () => {
      for (const load of next) {
        const r = balancing.get(load.worker)
        if (!r) continue
        toRevoke.get(load.worker)?.addAll(r.toWork())
        load.work.removeAll(r.toWork())
      }
    }
    if (revokedInPrevious && balancing.size > 0) {
      successiveRevokingRounds++
      delay = revocationBackoff(successiveRevokingRounds, input.maxDelay)
      if (delay !== 0) scheduledRebalance = input.now + delay
      else revokeNow()
    } else if (balancing.size > 0) {
      revokeNow()
      revokedInPrevious = true
    } else if (revokedInPrevious) {
      // The load converged: the next revoking round starts the backoff afresh.
      revokedInPrevious = false
      successiveRevokingRounds = 0
    }
  } else {
    revokedInPrevious = false
  }

  // Invariant 3 (no task runs on two workers of one generation): the pool holds only work that no member reports
  // running (created and lost exclude everything active), and duplicated work was revoked from every holder above.
  const pool = new WorkSet(created).addAll(released).addAll(decision.toPool).toWork()
  waterFill(
    next,
    pool.connectors,
    (w) => w.work.connectorCount,
    (w, c) => w.work.addConnector(c),
  )
  waterFill(
    next,
    pool.tasks,
    (w) => w.work.taskCount,
    (w, t: ConnectorTaskId) => w.work.addTask(t),
  )

  const assignments = new Map<string, { assigned: ConnectorsAndTasks; revoked: ConnectorsAndTasks }>()
  const loads = new Map<string, ConnectorsAndTasks>()
  const nextPrevious = new WorkSet()
  const revokedAll = new WorkSet()
  for (const load of [...next].sort((a, b) => (a.worker < b.worker ? -1 : 1))) {
    const now = load.work.toWork()
    const base = current.get(load.worker) as WorkSet
    const revoked = (toRevoke.get(load.worker) as WorkSet).toWork()
    assignments.set(load.worker, {
      assigned: {
        connectors: now.connectors.filter((c) => !base.hasConnector(c)),
        tasks: now.tasks.filter((t) => !base.hasTask(t)),
      },
      revoked,
    })
    loads.set(load.worker, new WorkSet(now).removeAll(revoked).toWork())
    nextPrevious.addAll(now)
    revokedAll.addAll(revoked)
  }
  nextPrevious.removeAll(revokedAll.toWork()).addAll(lost)

  return {
    assignments,
    loads,
    delay,
    state: {
      previousAssignment: nextPrevious.toWork(),
      previousRevocation: revokedAll.toWork(),
      previousGenerationId: input.generationId,
      previousMembers: memberIds,
      successiveRevokingRounds,
      scheduledRebalance,
      delay,
      candidateWorkers: decision.state.candidateWorkers,
      revokedInPrevious,
    },
  }
}

function duplicatedWork(allocations: readonly ConnectorsAndTasks[]): ConnectorsAndTasks {
  const seen = new WorkSet()
  const dup = new WorkSet()
  for (const a of allocations) {
    // A member listing an item twice is not a duplicate across workers.
    const own = new WorkSet(a)
    for (const c of own.connectors) (seen.hasConnector(c) ? dup : seen).addConnector(c)
    for (const t of own.tasks) (seen.hasTask(t) ? dup : seen).addTask(t)
  }
  return dup.toWork()
}
