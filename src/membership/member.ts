/**
 * A member of a Kafka consumer-style group with any protocol type: finds the coordinator, joins, syncs, keeps
 * heartbeating, rejoins when told to, and leaves on close (Kafka's AbstractCoordinator, without threads).
 *
 * One loop owns all state (design habit 5). It does one step at a time: find the coordinator, or join and sync,
 * or wait for an event. Heartbeats run on their own timer (heartbeater.ts) and post events to the loop; so do
 * callers of requestRejoin(). close() aborts the loop through an AbortSignal, leaves the group and closes the
 * connections. Every retry carries a reason and a count of consecutive failures, logged with its backoff.
 *
 * Broker errors are handled as Kafka's AbstractCoordinator handles them (group-errors.ts has the table); a
 * MEMBER_ID_REQUIRED answer to the first JoinGroup (KIP-394) is simply a second JoinGroup with the given id.
 */
import { KafkaError } from '../errors.ts'
import { brokerErrorName, toKafkaError } from '../kafka/broker-errors.ts'
import type { CoordinatorNode, GroupCalls, MemberRef } from '../kafka/group-calls.ts'
import { abortable, abortReason, isAborted } from '../util/abort.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'
import { findCoordinatorIsFatal, groupErrorAction } from './group-errors.ts'
import { type HeartbeatEvent, runHeartbeats } from './heartbeater.ts'
import { type GroupMemberOptions, type ResolvedMemberOptions, withDefaults } from './member-options.ts'

export type { GroupMemberObserver, GroupMemberOptions } from './member-options.ts'

/** Where the member is: what its loop does now. */
export type MemberState = 'unjoined' | 'discovering' | 'joining' | 'syncing' | 'stable' | 'closed' | 'failed'

/** The member's generation as last joined. */
export interface Generation {
  readonly generationId: number
  readonly memberId: string
  readonly protocol: string | null
}

/** How to close. */
export interface CloseOptions {
  /** Why (sent in LeaveGroup, logged). */
  readonly reason?: string
  /** false stops without LeaveGroup, as a crashed process would: the group notices after the session timeout. */
  readonly leaveGroup?: boolean
}

/** Java's JOIN_GROUP_TIMEOUT_LAPSE: JoinGroup may take the whole rebalance timeout, plus this. */
const JOIN_TIMEOUT_LAPSE_MS = 5000

type Posted =
  | HeartbeatEvent
  | { readonly kind: 'requested'; readonly reason: string }
  | { readonly kind: 'leave'; readonly reason: string }

/** A generic group member. Create, start(), then close(). */
export class GroupMember {
  readonly #o: ResolvedMemberOptions
  readonly #log: Logger
  readonly #abort = new AbortController()
  #state: MemberState = 'unjoined'
  #coordinator: CoordinatorNode | null = null
  #coordinatorLostAt: number | null = null
  #unreachableReported = false
  #memberId = ''
  #generationId = -1
  #protocol: string | null = null
  /** Why the member must (re)join; null when stable. */
  #rejoinReason: string | null = 'first join'
  #needsJoinPrepare = true
  /** Left on purpose (leave()): no rejoin until requestRejoin(). */
  #paused = false
  #failures = 0
  #events: Posted[] = []
  #wake: (() => void) | null = null
  #loop: Promise<void> | null = null
  #heartbeats: { abort: AbortController; done: Promise<void> } | null = null
  #closing: Promise<void> | null = null
  /** When the current rebalance began (its first JoinGroup), null while stable. */
  #rebalanceStarted: number | null = null
  #failure: Error | null = null

  constructor(options: GroupMemberOptions) {
    this.#o = withDefaults(options)
    this.#log = (options.logger ?? componentLogger('membership.member')).child({ groupId: options.groupId })
  }

  /** What the member is doing now. */
  get state(): MemberState {
    return this.#state
  }

  /** The last joined generation (-1 and '' before the first join). */
  get generation(): Generation {
    return { generationId: this.#generationId, memberId: this.#memberId, protocol: this.#protocol }
  }

  /** The coordinator in use, or null while it is unknown. */
  get coordinator(): CoordinatorNode | null {
    return this.#coordinator
  }

  /** The error the member stopped on, when its state is 'failed'. */
  get failure(): Error | null {
    return this.#failure
  }

  /** Starts the loop; closing `signal` closes the member (with LeaveGroup). */
  start(signal?: AbortSignal): void {
    if (this.#loop) return
    this.#loop = this.#run()
    signal?.addEventListener(
      'abort',
      () => {
        this.close({ reason: 'the owner aborted' }).catch((err: unknown) => {
          this.#log.error({ err }, 'closing on abort failed')
        })
      },
      { once: true },
    )
  }

  /** Asks for a rejoin (a new rebalance); safe to call at any time, from any hook. */
  requestRejoin(reason: string): void {
    this.#post({ kind: 'requested', reason })
  }

  /**
   * Leaves the group but stays open: no heartbeats and no rejoin until requestRejoin(). Java's herder does this
   * (maybeLeaveGroup) when it cannot read the config topic in time, so that its work moves elsewhere meanwhile.
   */
  leave(reason: string): void {
    this.#post({ kind: 'leave', reason })
  }

  /** Stops the loop and heartbeats, leaves the group (unless told not to) and closes the connections. */
  close(options: CloseOptions = {}): Promise<void> {
    this.#closing ??= this.#close(options.reason ?? 'the member is shutting down', options.leaveGroup ?? true)
    return this.#closing
  }

  #post(event: Posted): void {
    this.#events.push(event)
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  async #close(reason: string, leave: boolean): Promise<void> {
    this.#abort.abort(abortReason(reason))
    await this.#stopHeartbeats()
    await this.#loop
    if (leave && this.#state !== 'failed') await this.#sendLeave(reason)
    await this.#o.calls.close()
    if (this.#state !== 'failed') this.#state = 'closed'
  }

  /** LeaveGroup (when there is a member id and a coordinator), then forget member id and generation. */
  async #sendLeave(reason: string): Promise<void> {
    await this.#stopHeartbeats()
    const node = this.#coordinator
    if (node && this.#memberId !== '') {
      // The broker answers one request per connection at a time: a JoinGroup parked there would hold the leave.
      await this.#o.calls.disconnect(node)
      const ref = this.#ref()
      try {
        await this.#o.calls.leaveGroup(node, ref, reason, this.#o.requestTimeoutMs)
        this.#log.info({ memberId: ref.memberId, generationId: ref.generationId, reason }, 'left the group')
      } catch (err) {
        this.#log.warn({ memberId: ref.memberId, error: (err as Error).message }, 'LeaveGroup failed')
      }
    }
    this.#memberId = ''
    this.#generationId = -1
    this.#needsJoinPrepare = true
  }

  #ref(): MemberRef {
    return {
      groupId: this.#o.groupId,
      generationId: this.#generationId,
      memberId: this.#memberId,
      groupInstanceId: this.#o.groupInstanceId,
    }
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal
    while (!signal.aborted) {
      try {
        await this.#applyEvents()
        await this.#reportUnreachable()
        if (!this.#coordinator) await this.#discover(signal)
        else if (this.#rejoinReason !== null && !this.#paused) await this.#joinAndSync(signal)
        else await this.#waitForEvent(signal)
      } catch (err) {
        if (isAborted(err, signal)) break
        // Only the broker can end a membership for good; a hook that throws is retried.
        if (err instanceof KafkaError && !err.retriable) {
          await this.#fail(err)
          return
        }
        // A hook threw (e.g. corrupt metadata from another member): rejoin after a backoff.
        await this.#retryLater(`unexpected error: ${(err as Error).message}`, signal, false).catch(() => {})
      }
    }
  }

  async #fail(error: Error): Promise<void> {
    this.#failure = error
    this.#state = 'failed'
    this.#log.error({ error: error.message }, 'the member stopped for good')
    await this.#stopHeartbeats()
    this.#o.handler.onFailed?.(error)
  }

  async #waitForEvent(signal: AbortSignal): Promise<void> {
    this.#state = this.#paused ? 'unjoined' : 'stable'
    if (this.#events.length > 0) return
    await abortable(
      new Promise<void>((resolve) => {
        this.#wake = resolve
      }),
      signal,
    )
  }

  async #applyEvents(): Promise<void> {
    for (const e of this.#events.splice(0)) {
      if (e.kind === 'requested') {
        this.#paused = false
        this.#rejoinReason ??= e.reason
        continue
      }
      if (e.kind === 'leave') {
        await this.#sendLeave(e.reason)
        this.#paused = true
        this.#rejoinReason = 'rejoining after leaving the group'
        continue
      }
      // An event of a generation the member has left since says nothing about the current one.
      if (e.generationId !== this.#generationId) continue
      switch (e.kind) {
        case 'rejoin':
          this.#rejoinReason ??= e.reason
          break
        case 'reset':
          await this.#resetGeneration(e.reason, e.forgetMemberId)
          break
        case 'coordinator-ok':
          this.#coordinatorLostAt = null
          this.#unreachableReported = false
          break
        case 'coordinator-lost':
          await this.#markCoordinatorUnknown(e.reason)
          break
        case 'fatal':
          throw e.error.retriable
            ? new KafkaError(false, e.error.message, e.error.kafkaCode, { cause: e.error })
            : e.error
      }
    }
  }

  async #resetGeneration(reason: string, forgetMemberId: boolean): Promise<void> {
    this.#log.info({ generationId: this.#generationId, memberId: this.#memberId, reason }, 'generation reset')
    this.#generationId = -1
    if (forgetMemberId) this.#memberId = ''
    this.#rejoinReason = reason
    await this.#stopHeartbeats()
  }

  async #markCoordinatorUnknown(reason: string): Promise<void> {
    const node = this.#coordinator
    if (!node) return
    this.#log.info({ coordinator: node.nodeId, reason }, 'coordinator marked unknown')
    this.#coordinator = null
    this.#coordinatorLostAt ??= this.#o.clock.now()
    await this.#o.calls.disconnect(node)
  }

  async #discover(signal: AbortSignal): Promise<void> {
    this.#state = 'discovering'
    try {
      const node = await abortable(this.#o.calls.findCoordinator(this.#o.groupId, this.#o.requestTimeoutMs), signal)
      // The unreachable clock keeps running until the coordinator answers a group call: FindCoordinator may name
      // a broker that just died.
      this.#coordinator = node
      this.#failures = 0
      this.#log.info({ coordinator: node.nodeId, host: node.host, port: node.port }, 'found the group coordinator')
    } catch (err) {
      if (signal.aborted) throw err
      if (findCoordinatorIsFatal(err)) {
        const code = (err as KafkaError).kafkaCode
        throw new KafkaError(
          false,
          `Not authorized to access group ${this.#o.groupId}: ${(err as Error).message}`,
          code,
          {
            cause: err,
          },
        )
      }
      this.#coordinatorLostAt ??= this.#o.clock.now()
      await this.#retryLater(`FindCoordinator: ${(err as Error).message}`, signal, false)
    }
  }

  async #reportUnreachable(): Promise<void> {
    const since = this.#coordinatorLostAt
    if (since === null || this.#unreachableReported || this.#generationId < 0) return
    const unreachableMs = this.#o.clock.now() - since
    if (unreachableMs < this.#o.coordinatorUnreachableMs) return
    this.#unreachableReported = true
    this.#log.warn({ unreachableMs }, 'coordinator unreachable: the member may have left the group')
    await this.#o.handler.onCoordinatorUnreachable?.({ unreachableMs })
    this.#rejoinReason ??= 'the coordinator was unreachable'
  }

  /** Counts a failure and waits its backoff (0 when `immediate`); the reason is the next rejoin's. */
  async #retryLater(reason: string, signal: AbortSignal, immediate: boolean): Promise<void> {
    this.#failures++
    const backoffMs = immediate
      ? 0
      : exponentialBackoff(this.#failures, this.#o.retryBackoffMs, this.#o.retryBackoffMaxMs)
    if (this.#coordinator) this.#rejoinReason = reason
    this.#log.info({ reason, failures: this.#failures, backoffMs }, 'retrying')
    if (backoffMs > 0) await this.#o.clock.sleep(backoffMs, signal)
  }

  async #stopHeartbeats(): Promise<void> {
    const hb = this.#heartbeats
    this.#heartbeats = null
    if (!hb) return
    hb.abort.abort(abortReason('heartbeats stopped'))
    await hb.done
  }

  #startHeartbeats(): void {
    const abort = new AbortController()
    const done = runHeartbeats({
      calls: this.#o.calls,
      member: this.#ref(),
      coordinator: () => this.#coordinator,
      post: (e) => this.#post(e),
      onAnswer: (ms) => this.#o.observer.heartbeat(ms),
      clock: this.#o.clock,
      logger: this.#log,
      intervalMs: this.#o.heartbeatIntervalMs,
      settleIntervalMs: this.#o.settleHeartbeatMs,
      sessionTimeoutMs: this.#o.sessionTimeoutMs,
      requestTimeoutMs: this.#o.requestTimeoutMs,
      signal: AbortSignal.any([abort.signal, this.#abort.signal]),
    })
    this.#heartbeats = { abort, done }
  }

  async #joinAndSync(signal: AbortSignal): Promise<void> {
    const reason = this.#rejoinReason ?? 'rejoin'
    const handler = this.#o.handler
    if (this.#needsJoinPrepare) {
      await handler.onJoinPrepare?.({ generationId: this.#generationId, memberId: this.#memberId, reason })
      this.#needsJoinPrepare = false
    }
    await this.#stopHeartbeats()
    const node = this.#coordinator as CoordinatorNode
    this.#state = 'joining'
    const protocols = await handler.protocols()
    this.#log.info({ reason, failures: this.#failures, memberId: this.#memberId }, 'joining the group')
    const joinTimeout = Math.max(this.#o.requestTimeoutMs, this.#o.rebalanceTimeoutMs + JOIN_TIMEOUT_LAPSE_MS)
    const clock = this.#o.clock
    const joinSent = clock.now()
    this.#rebalanceStarted ??= joinSent
    let joined: Awaited<ReturnType<GroupCalls['joinGroup']>>
    try {
      joined = await abortable(
        this.#o.calls.joinGroup(
          node,
          {
            groupId: this.#o.groupId,
            sessionTimeoutMs: this.#o.sessionTimeoutMs,
            rebalanceTimeoutMs: this.#o.rebalanceTimeoutMs,
            memberId: this.#memberId,
            groupInstanceId: this.#o.groupInstanceId,
            protocolType: handler.protocolType,
            protocols,
            reason,
          },
          joinTimeout,
        ),
        signal,
      )
    } catch (err) {
      if (!signal.aborted) this.#o.observer.rebalanceFailed()
      await this.#onGroupCallError(err, 'JoinGroup', signal)
      return
    }
    this.#o.observer.joined(clock.now() - joinSent)
    if (joined.kind === 'member-id-required') {
      // KIP-394: join again at once with the id the broker chose; the reason for joining stays the same.
      this.#memberId = joined.memberId
      this.#log.debug({ memberId: joined.memberId }, 'joining again with the assigned member id')
      return
    }
    if (joined.protocolType !== null && joined.protocolType !== handler.protocolType) {
      throw toKafkaError(
        new Error(`the group has protocol type ${joined.protocolType}, not ${handler.protocolType}`),
        'JoinGroup',
      )
    }
    this.#memberId = joined.memberId
    this.#generationId = joined.generationId
    this.#protocol = joined.protocolName
    this.#state = 'syncing'
    const isLeader = joined.leaderId === joined.memberId
    const assignments = isLeader
      ? await handler.assign({
          generationId: joined.generationId,
          memberId: joined.memberId,
          leaderId: joined.leaderId,
          protocol: joined.protocolName,
          members: joined.members,
          skipAssignment: joined.skipAssignment,
        })
      : new Map<string, Buffer>()
    let assignment: Buffer
    const syncSent = clock.now()
    try {
      assignment = await abortable(
        this.#o.calls.syncGroup(
          node,
          {
            groupId: this.#o.groupId,
            generationId: joined.generationId,
            memberId: joined.memberId,
            groupInstanceId: this.#o.groupInstanceId,
            protocolType: handler.protocolType,
            protocolName: joined.protocolName,
            assignments,
          },
          joinTimeout,
        ),
        signal,
      )
    } catch (err) {
      if (!signal.aborted) this.#o.observer.rebalanceFailed()
      await this.#onGroupCallError(err, 'SyncGroup', signal)
      return
    }
    const synced = clock.now()
    this.#o.observer.synced(synced - syncSent)
    this.#o.observer.rebalanced(synced - this.#rebalanceStarted)
    this.#rebalanceStarted = null
    this.#state = 'stable'
    this.#rejoinReason = null
    this.#failures = 0
    this.#coordinatorLostAt = null
    this.#unreachableReported = false
    this.#needsJoinPrepare = true
    this.#startHeartbeats()
    this.#log.info(
      { generationId: joined.generationId, memberId: joined.memberId, leaderId: joined.leaderId, isLeader },
      'joined the group',
    )
    await handler.onAssignment({
      generationId: joined.generationId,
      memberId: joined.memberId,
      leaderId: joined.leaderId,
      protocol: joined.protocolName,
      assignment,
    })
  }

  async #onGroupCallError(err: unknown, call: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw err
    const e = toKafkaError(err, call)
    const why = `${call}: ${e.kafkaCode === undefined ? e.message : brokerErrorName(e.kafkaCode)}`
    switch (groupErrorAction(e)) {
      case 'forget-member':
        await this.#resetGeneration(why, true)
        return this.#retryLater(why, signal, true)
      case 'forget-generation':
        await this.#resetGeneration(why, false)
        return this.#retryLater(why, signal, true)
      case 'rejoin':
        return this.#retryLater(why, signal, true)
      case 'find-coordinator':
        this.#rejoinReason = why
        await this.#markCoordinatorUnknown(why)
        return this.#retryLater(why, signal, false)
      case 'back-off':
        return this.#retryLater(why, signal, false)
      case 'fatal':
        throw e.retriable ? new KafkaError(false, e.message, e.kafkaCode, { cause: e }) : e
    }
  }
}
