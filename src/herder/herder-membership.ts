/**
 * The herder's place in the worker group: a GroupMember (membership/) driven by a ConnectCoordinator (assignors/),
 * configured from the worker config. The herder reacts through the three hooks; everything it needs of the group
 * (generation, leader, assignment) it reads from the coordinator and the member returned here.
 */
import { ConnectCoordinator, type RebalanceResult } from '../assignors/connect-coordinator.ts'
import type { ConfigSnapshot } from '../assignors/types.ts'
import type { WorkerConfig } from '../config/connect/worker-config.ts'
import { type GroupCalls, KafkaGroupCalls } from '../kafka/group-calls.ts'
import type { GroupProtocolHandler } from '../membership/handler.ts'
import { GroupMember, type GroupMemberObserver } from '../membership/member.ts'
import type { ConnectorsAndTasks } from '../protocol/connector-assignments.ts'
import type { ClusterConfigSnapshot } from '../stores/config-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import { internalClientProperties } from '../stores/topic-settings.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { coordinatorUnreachableMsOf, lostWorkPolicyOf } from './group-settings.ts'

/** What the herder's membership is made from, and the herder's reactions to it. */
export interface HerderMembershipOptions {
  readonly config: WorkerConfig
  /** This worker's advertised REST URL. */
  readonly url: string
  readonly workerId: string
  readonly snapshot: () => ClusterConfigSnapshot
  readonly statusStore: StatusStore
  /** Group calls; by default a Kafka client from the worker properties. */
  readonly groupCalls?: GroupCalls
  /** Told of the member's joins, syncs, heartbeats and rebalances (the coordinator metrics). */
  readonly observer?: GroupMemberObserver
  readonly clock: Clock
  readonly log: Logger
  /** Revoked work must be stopped before this resolves (the member waits for it). */
  onRevoked(revoked: ConnectorsAndTasks): Promise<void>
  onAssigned(result: RebalanceResult): void
  /** The member left the group for good (e.g. not authorized). */
  onFailed(error: Error): void
}

/** How long a join waits for the status topic to be read to its end (onJoinPrepare). */
const JOIN_STATUS_REFRESH_MS = 2_000

/** Makes the coordinator and the member (not started) of a herder. */
export function createHerderMembership(o: HerderMembershipOptions): {
  coordinator: ConnectCoordinator
  member: GroupMember
} {
  const c = o.config
  const coordinator = new ConnectCoordinator({
    mode: c.protocol,
    url: o.url,
    configs: { snapshot: () => assignorSnapshot(o.snapshot()) },
    maxDelayMs: c.number('scheduled.rebalance.max.delay.ms'),
    lostWorkPolicy: lostWorkPolicyOf(c),
    releasedBy: (work, departed) => {
      const s = typeof work === 'string' ? o.statusStore.connector(work) : o.statusStore.task(work.connector, work.task)
      return s?.state === 'UNASSIGNED' && departed.has(s.workerId)
    },
    clock: o.clock,
    listener: {
      onRevoked: (_leader, revoked) => o.onRevoked(revoked),
      onAssigned: (result) => o.onAssigned(result),
    },
  })
  const clientId = c.string('client.id') || `connect-${o.workerId}`
  const member = new GroupMember({
    groupId: c.string('group.id'),
    calls: o.groupCalls ?? new KafkaGroupCalls(internalClientProperties(c.props, clientId)),
    handler: handlerOf(coordinator, o),
    sessionTimeoutMs: c.number('session.timeout.ms'),
    heartbeatIntervalMs: c.number('heartbeat.interval.ms'),
    coordinatorUnreachableMs: coordinatorUnreachableMsOf(c),
    groupInstanceId: c.getString('group.instance.id'),
    rebalanceTimeoutMs: c.number('rebalance.timeout.ms'),
    requestTimeoutMs: c.number('request.timeout.ms'),
    retryBackoffMs: c.number('retry.backoff.ms'),
    retryBackoffMaxMs: c.number('retry.backoff.max.ms'),
    clock: o.clock,
    logger: o.log.child({ part: 'member' }),
    ...(o.observer ? { observer: o.observer } : {}),
  })
  return { coordinator, member }
}

/** The coordinator as the member's handler, plus what the herder does when the member gives up for good. */
function handlerOf(coordinator: ConnectCoordinator, o: HerderMembershipOptions): GroupProtocolHandler {
  return {
    protocolType: coordinator.protocolType,
    protocols: () => coordinator.protocols(),
    assign: (round) => coordinator.assign(round),
    onJoinPrepare: async () => {
      // A worker that stops cleanly writes UNASSIGNED for its work before it leaves; reading the status topic to
      // its end before joining lets the leader see those records in the round that finds the worker gone.
      try {
        await o.statusStore.refresh({ timeoutMs: JOIN_STATUS_REFRESH_MS })
      } catch (err) {
        o.log.debug({ err }, 'The status topic was not read to its end before joining')
      }
      await coordinator.onJoinPrepare()
    },
    onAssignment: (round) => coordinator.onAssignment(round),
    onCoordinatorUnreachable: () => coordinator.onCoordinatorUnreachable(),
    onFailed: (error) => o.onFailed(error),
  }
}

/** The assignors' view of a snapshot: every connector with its consistent task count. */
function assignorSnapshot(s: ClusterConfigSnapshot): ConfigSnapshot {
  return { offset: BigInt(s.offset), connectorTasks: new Map(s.connectors.map((c) => [c, s.tasks(c).length])) }
}
