/**
 * The leader's whole assignment step for a Connect group: decode nothing, check config offsets, then run the
 * assignor the chosen sub-protocol names (the step both of Java's assignors, EagerAssignor and IncrementalCooperativeAssignor, begin performAssignment with).
 *
 * The assignment is computed at the largest config offset any member reported. A leader behind that offset takes
 * a fresh snapshot; if it is still behind, it cannot know the connectors those members already see, so every member
 * gets CONFIG_MISMATCH (with the max offset, empty work and no delay): all read the config topic to the end and
 * rejoin. A fresh snapshot that is ahead of everyone is used at its own offset.
 */
import { ASSIGNMENT_ERROR, type ConnectAssignment } from '../protocol/connect-assignment.ts'
import type { WorkerMetadata } from '../protocol/connect-metadata.ts'
import { type ConnectSubprotocol, SUBPROTOCOL_VERSION } from '../protocol/connect-protocol.ts'
import { type ConnectorTaskId, NO_WORK } from '../protocol/connector-assignments.ts'
import { type CooperativeState, cooperativeAssign } from './cooperative.ts'
import { eagerAssign } from './eager.ts'
import type { LostWorkPolicy } from './lost-work.ts'
import type { ConfigSnapshot } from './types.ts'

/** Everything the leader's step takes. */
export interface LeaderInput {
  readonly protocol: ConnectSubprotocol
  readonly leaderId: string
  /** Every member's decoded metadata (the leader included). */
  readonly members: ReadonlyMap<string, WorkerMetadata>
  /** The snapshot the leader announced in its own metadata. */
  readonly snapshot: ConfigSnapshot
  /** Reads the latest snapshot, for when the leader is behind. */
  readonly freshSnapshot: () => ConfigSnapshot
  readonly generationId: number
  readonly lastCompletedGenerationId: number
  readonly now: number
  /** scheduled.rebalance.max.delay.ms */
  readonly maxDelay: number
  readonly state: CooperativeState
  readonly lostWorkPolicy?: LostWorkPolicy
  /**
   * Members given their whole load in `assigned` instead of the increment (static members, which the broker hands
   * their last assignment back to when they restart without a rebalance). The increment applied to what they run
   * gives the same result, so they apply both alike.
   */
  readonly fullAssignments?: ReadonlySet<string>
  /** Lost work that its departed owner released (cooperative.ts); none by default. */
  readonly isReleased?: (work: string | ConnectorTaskId) => boolean
}

/** What the leader's step decides. */
export interface LeaderResult {
  /** One assignment per member, in the sub-protocol's version. */
  readonly assignments: Map<string, ConnectAssignment>
  /** The cooperative assignor's next state (unchanged on CONFIG_MISMATCH and under eager). */
  readonly state: CooperativeState
  /** The snapshot the assignment was computed from (the fresh one if the leader had to catch up). */
  readonly snapshot: ConfigSnapshot
  /** Who runs what once this round is applied; empty on CONFIG_MISMATCH. */
  readonly owners: Map<string, { connectors: readonly string[]; tasks: readonly { connector: string; task: number }[] }>
  /** true when the leader was behind and every member got CONFIG_MISMATCH. */
  readonly configMismatch: boolean
}

/** Runs the leader's assignment for one round. */
export function leaderAssign(input: LeaderInput): LeaderResult {
  const version = SUBPROTOCOL_VERSION[input.protocol]
  const leaderUrl = input.members.get(input.leaderId)?.url ?? ''
  let maxOffset = -1n
  for (const m of input.members.values()) if (m.configOffset > maxOffset) maxOffset = m.configOffset

  let snapshot = input.snapshot
  let offset = maxOffset
  if (snapshot.offset < maxOffset) {
    snapshot = input.freshSnapshot()
    if (snapshot.offset < maxOffset) {
      const assignments = new Map<string, ConnectAssignment>()
      for (const id of input.members.keys()) {
        assignments.set(id, {
          version,
          error: ASSIGNMENT_ERROR.CONFIG_MISMATCH,
          leader: input.leaderId,
          leaderUrl,
          configOffset: maxOffset,
          assigned: NO_WORK,
          revoked: NO_WORK,
          delay: 0,
        })
      }
      return { assignments, state: input.state, snapshot, owners: new Map(), configMismatch: true }
    }
    offset = snapshot.offset
  }

  const base = { version, error: ASSIGNMENT_ERROR.NO_ERROR, leader: input.leaderId, leaderUrl, configOffset: offset }
  const assignments = new Map<string, ConnectAssignment>()
  if (version === 0) {
    const owners = eagerAssign(snapshot, [...input.members.keys()])
    for (const [id, work] of owners) assignments.set(id, { ...base, assigned: work, revoked: NO_WORK, delay: 0 })
    return { assignments, state: input.state, snapshot, owners, configMismatch: false }
  }
  const result = cooperativeAssign(
    {
      snapshot,
      members: new Map([...input.members].map(([id, m]) => [id, m.allocation?.assigned ?? NO_WORK])),
      lastCompletedGenerationId: input.lastCompletedGenerationId,
      generationId: input.generationId,
      now: input.now,
      maxDelay: input.maxDelay,
      ...(input.lostWorkPolicy ? { lostWorkPolicy: input.lostWorkPolicy } : {}),
      ...(input.isReleased ? { isReleased: input.isReleased } : {}),
    },
    input.state,
  )
  for (const [id, a] of result.assignments) {
    const assigned = input.fullAssignments?.has(id) ? (result.loads.get(id) ?? a.assigned) : a.assigned
    assignments.set(id, { ...base, ...a, assigned, delay: result.delay })
  }
  return { assignments, state: result.state, snapshot, owners: result.loads, configMismatch: false }
}
