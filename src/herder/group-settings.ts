/**
 * The group settings where tsconnect's defaults differ from Java Connect's, derived from the worker config: a key
 * left unset gets tsconnect's behaviour, a key set (even to Java's default) gets Java's (docs/failover.md).
 */
import { type LostWorkPolicy, reassignAtOncePolicy, scheduledDelayPolicy } from '../assignors/lost-work.ts'
import type { WorkerConfig } from '../config/connect/worker-config.ts'

/**
 * scheduled.rebalance.max.delay.ms set explicitly: Java's scheduled delay, exactly. Not set: tsconnect's default,
 * lost work reassigned at once (docs/failover.md).
 */
export function lostWorkPolicyOf(config: WorkerConfig): LostWorkPolicy {
  return config.isSet('scheduled.rebalance.max.delay.ms') ? scheduledDelayPolicy : reassignAtOncePolicy
}

/** Java Connect's default heartbeat.interval.ms. */
const JAVA_HEARTBEAT_INTERVAL_MS = 3_000

/**
 * How long the coordinator may stay unreachable before this worker stops its work: heartbeat.interval.ms as in Java
 * when set; else Java's default interval, so that tsconnect's shorter default heartbeat does not make a worker give
 * its work up sooner while a broker fails over.
 */
export function coordinatorUnreachableMsOf(config: WorkerConfig): number {
  return config.isSet('heartbeat.interval.ms') ? config.number('heartbeat.interval.ms') : JAVA_HEARTBEAT_INTERVAL_MS
}
