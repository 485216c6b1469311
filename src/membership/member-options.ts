/**
 * The settings of a GroupMember and their defaults (the Java client's, for the keys of the same names).
 */
import type { GroupCalls } from '../kafka/group-calls.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import type { GroupProtocolHandler } from './handler.ts'

/** Settings of a group member; the timeouts are the Java client's keys of the same names. */
export interface GroupMemberOptions {
  readonly groupId: string
  readonly calls: GroupCalls
  readonly handler: GroupProtocolHandler
  /** session.timeout.ms (default 10000). */
  readonly sessionTimeoutMs?: number
  /** heartbeat.interval.ms (default 3000). */
  readonly heartbeatIntervalMs?: number
  /** rebalance.timeout.ms (default 60000): how long the coordinator waits for members to rejoin. */
  readonly rebalanceTimeoutMs?: number
  /**
   * The heartbeat interval during the first heartbeat interval after each join (default 200; 0 to heartbeat as
   * Java does): lets follow-up rebalances complete quickly (heartbeater.ts).
   */
  readonly settleHeartbeatMs?: number
  /** request.timeout.ms (default 40000) for every call but JoinGroup and SyncGroup. */
  readonly requestTimeoutMs?: number
  /** retry.backoff.ms (default 100) and retry.backoff.max.ms (default 1000). */
  readonly retryBackoffMs?: number
  readonly retryBackoffMaxMs?: number
  /** How long the coordinator may stay unknown before onCoordinatorUnreachable (default heartbeatIntervalMs). */
  readonly coordinatorUnreachableMs?: number
  /** group.instance.id for static membership; null (default) for a dynamic member, as Connect is. */
  readonly groupInstanceId?: string | null
  readonly clock?: Clock
  readonly logger?: Logger
  /** Told of joins, syncs, heartbeats and rebalances as they complete (for metrics; nothing by default). */
  readonly observer?: GroupMemberObserver
}

/**
 * What the member tells an observer, where Kafka's AbstractCoordinator records its GroupCoordinatorMetrics sensors
 * (join-time, sync-time, heartbeat-response-time, rebalance-latency, failed-rebalance). Each is called once per
 * completed call, never on a record path.
 */
export interface GroupMemberObserver {
  /** A JoinGroup was answered after `ms`. */
  joined(ms: number): void
  /** A SyncGroup was answered after `ms`. */
  synced(ms: number): void
  /** A heartbeat was answered after `ms`. */
  heartbeat(ms: number): void
  /** The member is stable again, `ms` after the rebalance began. */
  rebalanced(ms: number): void
  /** A JoinGroup or SyncGroup failed: the rebalance starts over. */
  rebalanceFailed(): void
}

/** An observer that ignores everything. */
export const NO_OBSERVER: GroupMemberObserver = {
  joined() {},
  synced() {},
  heartbeat() {},
  rebalanced() {},
  rebalanceFailed() {},
}

/** The settings with every default filled in (the logger stays optional). */
export type ResolvedMemberOptions = Required<Omit<GroupMemberOptions, 'logger' | 'groupInstanceId'>> & {
  groupInstanceId: string | null
}

/** Fills in the defaults. */
export function withDefaults(options: GroupMemberOptions): ResolvedMemberOptions {
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000
  return {
    groupId: options.groupId,
    calls: options.calls,
    handler: options.handler,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10000,
    heartbeatIntervalMs,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 60000,
    settleHeartbeatMs: options.settleHeartbeatMs ?? 200,
    requestTimeoutMs: options.requestTimeoutMs ?? 40000,
    retryBackoffMs: options.retryBackoffMs ?? 100,
    retryBackoffMaxMs: options.retryBackoffMaxMs ?? 1000,
    coordinatorUnreachableMs: options.coordinatorUnreachableMs ?? heartbeatIntervalMs,
    groupInstanceId: options.groupInstanceId ?? null,
    clock: options.clock ?? systemClock,
    observer: options.observer ?? NO_OBSERVER,
  }
}
