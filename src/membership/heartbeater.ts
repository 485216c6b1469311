/**
 * Heartbeats of one generation, on their own timer: what keeps a stable member in its group.
 *
 * The heartbeater owns no membership state. It reads the current coordinator through a getter, and posts what it
 * learns (rejoin, reset, coordinator lost) to the member's loop, which alone changes state. It stops by itself after
 * any answer that ends its generation, and when its signal aborts.
 *
 * As in Kafka's AbstractCoordinator: REBALANCE_IN_PROGRESS asks for a rejoin; ILLEGAL_GENERATION and
 * UNKNOWN_MEMBER_ID end the generation (the latter the member id too); NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE,
 * a lost connection, or no successful answer for a whole session timeout mark the coordinator unknown, and
 * heartbeats resume with the same generation once the member finds it again.
 *
 * Beyond Java: for one interval after a join, heartbeats come every `settleIntervalMs` instead. A rebalance is often
 * followed at once by another (the cooperative follow-up after revocations, workers that started together), and a
 * member learns of it only from a heartbeat; this lets the follow-up complete in a fraction of a second instead of
 * a whole heartbeat interval, for a handful of extra heartbeats per rebalance.
 */
import type { KafkaError } from '../errors.ts'
import { brokerErrorName } from '../kafka/broker-errors.ts'
import type { CoordinatorNode, GroupCalls, MemberRef } from '../kafka/group-calls.ts'
import { isAborted } from '../util/abort.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { groupErrorAction } from './group-errors.ts'

/** What a heartbeater reports to the member's loop. Each names the generation it is about. */
export type HeartbeatEvent =
  | { readonly kind: 'rejoin'; readonly generationId: number; readonly reason: string }
  | { readonly kind: 'reset'; readonly generationId: number; readonly reason: string; readonly forgetMemberId: boolean }
  | { readonly kind: 'coordinator-lost'; readonly generationId: number; readonly reason: string }
  | { readonly kind: 'coordinator-ok'; readonly generationId: number }
  | { readonly kind: 'fatal'; readonly generationId: number; readonly error: KafkaError }

/** Settings of a heartbeater. */
export interface HeartbeaterOptions {
  readonly calls: GroupCalls
  readonly member: MemberRef
  readonly coordinator: () => CoordinatorNode | null
  readonly post: (event: HeartbeatEvent) => void
  readonly clock: Clock
  readonly logger: Logger
  readonly intervalMs: number
  /** The heartbeat interval right after a join (see above); 0 or ≥ intervalMs disables it. */
  readonly settleIntervalMs: number
  readonly sessionTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly signal: AbortSignal
  /** Told how long each answered heartbeat took. */
  readonly onAnswer?: (ms: number) => void
}

/** Sends heartbeats until its generation ends or its signal aborts; never rejects. */
export async function runHeartbeats(o: HeartbeaterOptions): Promise<void> {
  const generationId = o.member.generationId
  const started = o.clock.now()
  let lastAnswer = started
  let failing = false
  const settling = o.settleIntervalMs > 0 && o.settleIntervalMs < o.intervalMs
  try {
    for (;;) {
      const fast = settling && o.clock.now() - started < o.intervalMs
      await o.clock.sleep(fast ? o.settleIntervalMs : o.intervalMs, o.signal)
      const node = o.coordinator()
      if (!node) continue // the member is looking for the coordinator; the session clock keeps running
      if (o.clock.now() - lastAnswer > o.sessionTimeoutMs) {
        lastAnswer = o.clock.now()
        o.post({ kind: 'coordinator-lost', generationId, reason: 'no heartbeat answer within the session timeout' })
        continue
      }
      try {
        const sent = o.clock.now()
        await o.calls.heartbeat(node, o.member, Math.min(o.requestTimeoutMs, o.sessionTimeoutMs))
        lastAnswer = o.clock.now()
        o.onAnswer?.(lastAnswer - sent)
        if (failing) o.post({ kind: 'coordinator-ok', generationId })
        failing = false
      } catch (err) {
        if (o.signal.aborted) return
        failing = true
        const e = err as KafkaError
        const reason = `heartbeat: ${e.kafkaCode === undefined ? e.message : brokerErrorName(e.kafkaCode)}`
        o.logger.debug({ generationId, error: e.message }, 'heartbeat failed')
        switch (groupErrorAction(e)) {
          case 'rejoin':
            o.post({ kind: 'rejoin', generationId, reason: 'the group is rebalancing (heartbeat)' })
            return
          case 'forget-generation':
            o.post({ kind: 'reset', generationId, reason, forgetMemberId: false })
            return
          case 'forget-member':
            o.post({ kind: 'reset', generationId, reason, forgetMemberId: true })
            return
          case 'fatal':
            o.post({ kind: 'fatal', generationId, error: e })
            return
          case 'find-coordinator':
            o.post({ kind: 'coordinator-lost', generationId, reason })
            continue
          case 'back-off':
            continue
        }
      }
    }
  } catch (err) {
    if (!isAborted(err, o.signal)) o.logger.error({ err }, 'heartbeats stopped unexpectedly')
  }
}
