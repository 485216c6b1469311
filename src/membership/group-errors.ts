/**
 * What a member does about a failed group call: one table for JoinGroup, SyncGroup and Heartbeat, as Kafka's
 * AbstractCoordinator response handlers decide.
 */
import type { KafkaError } from '../errors.ts'
import { BROKER_ERROR } from '../kafka/broker-errors.ts'

/** The member's reaction to a failed group call. */
export type GroupErrorAction =
  /** UNKNOWN_MEMBER_ID: forget member id and generation, join again at once. */
  | 'forget-member'
  /** ILLEGAL_GENERATION: forget the generation, keep the member id, join again at once. */
  | 'forget-generation'
  /** REBALANCE_IN_PROGRESS: join again at once. */
  | 'rejoin'
  /** NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a lost connection or a timeout: find the coordinator again. */
  | 'find-coordinator'
  /** COORDINATOR_LOAD_IN_PROGRESS and other retriable errors: try again after a backoff. */
  | 'back-off'
  /** FENCED_INSTANCE_ID, INCONSISTENT_GROUP_PROTOCOL, authorization, ...: the member stops. */
  | 'fatal'

const FATAL = new Set<number>([
  BROKER_ERROR.FENCED_INSTANCE_ID,
  BROKER_ERROR.INCONSISTENT_GROUP_PROTOCOL,
  BROKER_ERROR.INVALID_SESSION_TIMEOUT,
  BROKER_ERROR.INVALID_GROUP_ID,
  BROKER_ERROR.GROUP_AUTHORIZATION_FAILED,
  BROKER_ERROR.GROUP_MAX_SIZE_REACHED,
  BROKER_ERROR.UNSUPPORTED_VERSION,
])

/** Decides the reaction to a failed JoinGroup, SyncGroup or Heartbeat. */
export function groupErrorAction(error: KafkaError): GroupErrorAction {
  const code = error.kafkaCode
  if (code === undefined) return error.retriable ? 'find-coordinator' : 'fatal'
  if (FATAL.has(code)) return 'fatal'
  switch (code) {
    case BROKER_ERROR.UNKNOWN_MEMBER_ID:
      return 'forget-member'
    case BROKER_ERROR.ILLEGAL_GENERATION:
      return 'forget-generation'
    case BROKER_ERROR.REBALANCE_IN_PROGRESS:
      return 'rejoin'
    case BROKER_ERROR.NOT_COORDINATOR:
    case BROKER_ERROR.COORDINATOR_NOT_AVAILABLE:
      return 'find-coordinator'
    case BROKER_ERROR.COORDINATOR_LOAD_IN_PROGRESS:
      return 'back-off'
    default:
      return error.retriable ? 'back-off' : 'fatal'
  }
}

/**
 * Whether a failed FindCoordinator stops the member: GROUP_AUTHORIZATION_FAILED does (Java's AbstractCoordinator
 * raises GroupAuthorizationException), since asking again cannot succeed until an operator adds the ACL; anything
 * else is retried.
 */
export function findCoordinatorIsFatal(error: unknown): boolean {
  return (error as Partial<KafkaError> | undefined)?.kafkaCode === BROKER_ERROR.GROUP_AUTHORIZATION_FAILED
}
