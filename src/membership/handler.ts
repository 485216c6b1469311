/**
 * What a group member asks of the protocol it serves (design habit 3): membership knows nothing of Connect; the
 * Connect part (or a consumer-protocol part) is an object of this shape. Kafka's AbstractCoordinator calls the
 * same hooks metadata(), onLeaderElected(), onJoinPrepare() and onJoinComplete().
 *
 * The member awaits each hook on its own loop, so a hook that takes long delays the next join step (heartbeats run
 * on their own timer meanwhile). Hooks should hand heavy work (stopping tasks) to their owner and return.
 */
import type { JoinedMember, OfferedProtocol } from '../kafka/group-calls.ts'

/** What the leader gets to compute the assignments of a round. */
export interface LeaderRound {
  readonly generationId: number
  readonly memberId: string
  readonly leaderId: string
  /** The protocol the broker chose among the offered ones. */
  readonly protocol: string
  /** Every member's metadata for the chosen protocol, the leader's own included. */
  readonly members: readonly JoinedMember[]
  /** Set by brokers for static members that rejoin; Connect does not support it. */
  readonly skipAssignment: boolean
}

/** What every member gets once its SyncGroup succeeded. */
export interface AssignedRound {
  readonly generationId: number
  readonly memberId: string
  readonly leaderId: string
  readonly protocol: string
  /** This member's assignment bytes (the protocol parses them). */
  readonly assignment: Buffer
}

/** Why the member is about to (re)join. */
export interface JoinPrepare {
  /** The generation being left, -1 if none. */
  readonly generationId: number
  readonly memberId: string
  readonly reason: string
}

/** The protocol-specific side of a group member. */
export interface GroupProtocolHandler {
  /** The group protocol type, e.g. "connect" or "consumer". */
  readonly protocolType: string
  /** The protocols to offer in the next JoinGroup, most preferred first, each with its metadata. */
  protocols(): readonly OfferedProtocol[] | Promise<readonly OfferedProtocol[]>
  /** Leader only: one assignment per member (members missing from the map get empty bytes). */
  assign(round: LeaderRound): ReadonlyMap<string, Buffer> | Promise<ReadonlyMap<string, Buffer>>
  /** Before the first JoinGroup of a rejoin (an eager protocol revokes everything here). */
  onJoinPrepare?(prepare: JoinPrepare): void | Promise<void>
  /** After a successful SyncGroup. */
  onAssignment(round: AssignedRound): void | Promise<void>
  /**
   * The coordinator could not be found for `unreachableMs` (heartbeat.interval.ms for Connect): the member may no
   * longer be in the group, so work should stop. The member rejoins once it finds the coordinator again.
   */
  onCoordinatorUnreachable?(info: { readonly unreachableMs: number }): void | Promise<void>
  /** The member gave up for good (e.g. FENCED_INSTANCE_ID, authorization); it has stopped. */
  onFailed?(error: Error): void
}
