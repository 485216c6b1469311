/**
 * Broker error codes, mapped once (design habit 11): the codes group membership tells apart, and the conversion of
 * @platformatic/kafka's errors into tsconnect's KafkaError.
 *
 * A KafkaError carries the broker's numeric code in `kafkaCode` when the broker answered with one; a lost
 * connection or a request timeout has no code and is retriable (the caller finds the broker again).
 */
import type { GenericError } from '@platformatic/kafka'
import { KafkaError, toError } from '../errors.ts'
import { kafkaLibrary } from './library.ts'

const { findErrorBy, protocolErrors, protocolErrorsCodesById } = kafkaLibrary

/** The broker error codes that tsconnect handles by name (Kafka's `Errors`). */
export const BROKER_ERROR = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  NETWORK_EXCEPTION: 13,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  SASL_AUTHENTICATION_FAILED: 58,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_REPLICATION_FACTOR: 38,
  FENCED_LEADER_EPOCH: 74,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
} as const

/** The name Kafka gives a broker error code (e.g. 25 → UNKNOWN_MEMBER_ID). */
export function brokerErrorName(code: number): string {
  return (protocolErrorsCodesById as Record<string, string>)[String(code)] ?? `UNKNOWN_CODE_${code}`
}

/** Whether Kafka's clients retry an operation that failed with this code. */
export function isRetriableBrokerError(code: number): boolean {
  const name = brokerErrorName(code)
  return (protocolErrors as Record<string, { canRetry: boolean } | undefined>)[name]?.canRetry ?? false
}

/** A KafkaError for a broker error code (used where a response carries the code without raising). */
export function brokerError(code: number, what: string, message?: string | null): KafkaError {
  const name = brokerErrorName(code)
  return new KafkaError(isRetriableBrokerError(code), `${what} failed: ${name}${message ? ` (${message})` : ''}`, code)
}

/** The first error in a chain (causes and the errors of aggregates, depth first) that `test` accepts. */
function inChain(error: unknown, test: (e: Error) => boolean, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 10) return undefined
  if (test(error)) return error
  for (const next of [...((error as { errors?: unknown[] }).errors ?? []), error.cause]) {
    const found = inChain(next, test, depth + 1)
    if (found) return found
  }
  return undefined
}

/**
 * Turns whatever the client library raised into a KafkaError: the first broker error code in the error's chain if
 * there is one, otherwise a retriable KafkaError without a code for network failures and timeouts, and a fatal one
 * for anything else.
 */
export function toKafkaError(err: unknown, what: string): KafkaError {
  if (err instanceof KafkaError) return err
  const error = toError(err)
  // A refused login comes wrapped as a lost connection; retrying it cannot succeed until the credentials change.
  const authentication = inChain(error, (e) => (e as { code?: unknown }).code === 'PLT_KFK_AUTHENTICATION')
  if (authentication) {
    const answer = inChain(
      authentication.cause,
      (e) => typeof (e as { serverErrorMessage?: unknown }).serverErrorMessage === 'string',
    )
    const words = (answer as { serverErrorMessage?: string } | undefined)?.serverErrorMessage
    const detail = words ? ` (${words})` : ''
    return new KafkaError(
      false,
      `${what} failed: ${authentication.message}${detail}`,
      BROKER_ERROR.SASL_AUTHENTICATION_FAILED,
      { cause: err },
    )
  }
  const protocol = findErrorBy(error, 'code', 'PLT_KFK_PROTOCOL') as (GenericError & { apiCode?: number }) | null
  if (protocol && typeof protocol.apiCode === 'number') {
    const serverMessage = (protocol as { serverErrorMessage?: string | null }).serverErrorMessage
    const k = brokerError(protocol.apiCode, what, serverMessage)
    return new KafkaError(k.retriable, k.message, k.kafkaCode, { cause: err })
  }
  if (findErrorBy(error, 'code', 'PLT_KFK_NETWORK') || findErrorBy(error, 'code', 'PLT_KFK_TIMEOUT')) {
    return new KafkaError(true, `${what} failed: ${error.message}`, undefined, { cause: err })
  }
  return new KafkaError(false, `${what} failed: ${error.message}`, undefined, { cause: err })
}
