/**
 * What a worker does about config offsets once a rebalance completes (Java's
 * `DistributedHerder.handleRebalanceCompleted`). Pure decisions; the herder carries them out.
 *
 * Work may start only from the exact config state the leader assigned from: the assignment names the offset, and a
 * worker behind it reads the config topic to the end first. A worker that then finds itself past the offset (more
 * configs arrived meanwhile) must not start work computed from an older state: it asks for another rebalance.
 */
import { ASSIGNMENT_ERROR } from '../protocol/connect-assignment.ts'

/** The next step after a rebalance. */
export type AfterRebalance =
  /** The config state matches: start the assigned work. */
  | { readonly action: 'start' }
  /** This worker is behind the assignment's offset: read the config topic to the end, then check again. */
  | { readonly action: 'read-to-end' }
  /** CONFIG_MISMATCH and this worker may hold stale configs: read to the end, then rejoin. */
  | { readonly action: 'read-to-end-then-rejoin' }
  /** CONFIG_MISMATCH caused by another member (the leader is behind): rejoin at once. */
  | { readonly action: 'rejoin' }

/** What the decision needs to know. */
export interface RebalanceOutcome {
  readonly error: number
  /** The config offset in the assignment. */
  readonly assignmentOffset: bigint
  /** The offset this worker's config snapshot is at. */
  readonly localOffset: bigint
  readonly isLeader: boolean
}

/** Decides the step after a rebalance. */
export function afterRebalance(o: RebalanceOutcome): AfterRebalance {
  if (o.error !== ASSIGNMENT_ERROR.NO_ERROR) {
    return o.isLeader || o.localOffset < o.assignmentOffset
      ? { action: 'read-to-end-then-rejoin' }
      : { action: 'rejoin' }
  }
  return o.localOffset < o.assignmentOffset ? { action: 'read-to-end' } : { action: 'start' }
}

/** After reading to the end: start only at exactly the assignment's offset; past it, the assignment is stale. */
export function afterConfigRead(assignmentOffset: bigint, localOffset: bigint): 'start' | 'rejoin' | 'read-to-end' {
  if (localOffset === assignmentOffset) return 'start'
  return localOffset > assignmentOffset ? 'rejoin' : 'read-to-end'
}
