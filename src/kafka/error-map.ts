/**
 * Errors of @platformatic/kafka turned into tsconnect's KafkaError, once, here.
 *
 * The library reports broker errors as ProtocolError (with the numeric `apiCode` and a `canRetry` flag), often
 * wrapped in a MultipleErrors/ResponseError, and connection trouble as NetworkError or its TimeoutError. Callers
 * outside kafka/ only see KafkaError: `kafkaCode` is the broker's error code (compare with BROKER_ERRORS) and
 * `retriable` says whether a later try may pass.
 */
import { KafkaError } from '../errors.ts'

/** Broker error codes that tsconnect code tells apart. */
export const BROKER_ERRORS = {
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  TOPIC_AUTHORIZATION_FAILED: 29,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_CONFIG: 40,
  INVALID_PRODUCER_EPOCH: 47,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  PRODUCER_FENCED: 90,
} as const

/** Broker codes that the library marks final but that pass on a later try with fresh metadata. */
const RETRIABLE_CODES = new Set<number>([
  BROKER_ERRORS.UNKNOWN_TOPIC_OR_PARTITION,
  BROKER_ERRORS.LEADER_NOT_AVAILABLE,
  BROKER_ERRORS.NOT_LEADER_OR_FOLLOWER,
  BROKER_ERRORS.REQUEST_TIMED_OUT,
  BROKER_ERRORS.FENCED_LEADER_EPOCH,
  BROKER_ERRORS.UNKNOWN_LEADER_EPOCH,
])

interface LibraryError {
  code?: string
  apiCode?: number
  apiId?: string
  canRetry?: boolean
  errors?: unknown[]
  message?: string
}

function firstProtocolError(error: unknown, depth = 0): LibraryError | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined
  const e = error as LibraryError
  if (typeof e.apiCode === 'number') return e
  for (const inner of e.errors ?? []) {
    const found = firstProtocolError(inner, depth + 1)
    if (found) return found
  }
  return undefined
}

function isNetworkError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false
  const e = error as LibraryError
  if (e.code === 'PLT_KFK_NETWORK' || e.code === 'PLT_KFK_TIMEOUT') return true
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(String(e.code))) return true
  return (e.errors ?? []).some((inner) => isNetworkError(inner, depth + 1))
}

/** A KafkaError for any error the library raised while doing `what` (a KafkaError passes through unchanged). */
export function toKafkaError(error: unknown, what: string): KafkaError {
  if (error instanceof KafkaError) return error
  const protocol = firstProtocolError(error)
  const message = `${what} failed: ${(error as Error)?.message ?? String(error)}`
  if (protocol?.apiCode !== undefined) {
    const retriable = protocol.canRetry === true || RETRIABLE_CODES.has(protocol.apiCode)
    const detail = protocol.apiId ? ` (${protocol.apiId})` : ''
    return new KafkaError(retriable, `${message}${detail}`, protocol.apiCode, { cause: error })
  }
  return new KafkaError(isNetworkError(error), message, undefined, { cause: error })
}

/** A KafkaError for a broker error code found in a response (not thrown by the library). */
export function brokerError(code: number, what: string): KafkaError {
  return new KafkaError(RETRIABLE_CODES.has(code), `${what} failed with broker error code ${code}`, code)
}
