/**
 * tsconnect's errors: one base class and a closed table of codes, each with a retriable flag.
 *
 * Parts throw typed subclasses (NotLeaderError, RebalanceInProgressError, ...) whose `code` comes from this table.
 * Broker error codes are mapped to these once, in kafka/; HTTP statuses are mapped from these once, in rest/.
 * Add a code here, with its retriable flag, when a new kind of failure needs callers to tell it apart.
 */

/** Every error code tsconnect raises, with whether retrying the same operation may succeed. */
export const ERROR_CODES = {
  /** A failure with no more specific code. */
  UNKNOWN: { retriable: false },
  /** A configuration value is missing or invalid. */
  INVALID_CONFIG: { retriable: false },
  /** Bytes that a codec cannot decode (an internal-topic record, a protocol message). */
  CORRUPT_DATA: { retriable: false },
  /** A record or value does not match its schema, or cannot be converted. */
  DATA_ERROR: { retriable: false },
  /** A connector or task failed in a way that may pass on a later try (Java's RetriableException). */
  RETRIABLE: { retriable: true },
  /** A named thing (connector, task, plugin, topic) does not exist. */
  NOT_FOUND: { retriable: false },
  /** The thing to create exists already. */
  ALREADY_EXISTS: { retriable: false },
  /** The request collided with a concurrent change (e.g. zombie fencing overtaken by new task configs). */
  CONFLICT: { retriable: false },
  /** The request needs the group leader, and this worker is not it. */
  NOT_LEADER: { retriable: true },
  /** The request needs the worker that runs a connector or task, and this worker does not run it. */
  NOT_ASSIGNED: { retriable: true },
  /** The request is malformed, or not allowed in the current state (e.g. offsets of a connector that is not stopped). */
  BAD_REQUEST: { retriable: false },
  /** The worker group is rebalancing; the request can be retried once it settles. */
  REBALANCE_IN_PROGRESS: { retriable: true },
  /** A call to Kafka failed in a way that may pass on a later try (leader moved, coordinator loading, timeout). */
  KAFKA_RETRIABLE: { retriable: true },
  /** A call to Kafka failed for good (authorization, invalid request, unsupported version). */
  KAFKA_FATAL: { retriable: false },
  /** An operation did not finish in time. */
  TIMEOUT: { retriable: true },
  /** The operation was cancelled through its AbortSignal (shutdown). */
  ABORTED: { retriable: false },
  /** The worker is shutting down: a request queued on its herder was not run (Java's "Worker is shutting down"). */
  SHUTTING_DOWN: { retriable: false },
} as const satisfies Record<string, { retriable: boolean }>

/** One of the codes of ERROR_CODES. */
export type ErrorCode = keyof typeof ERROR_CODES

/** Options of a ConnectError: the standard `cause`. Whether it is retriable comes from its code alone. */
export interface ConnectErrorOptions {
  cause?: unknown
}

/** The base of every error tsconnect raises on purpose. */
export class ConnectError extends Error {
  override name = 'ConnectError'
  /** The stable code, from ERROR_CODES. */
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: ConnectErrorOptions) {
    super(message, options)
    this.code = code
  }

  /** Whether retrying the same operation may succeed. */
  get retriable(): boolean {
    return ERROR_CODES[this.code].retriable
  }
}

/** A configuration value is missing or invalid; `key` names it. */
export class ConfigError extends ConnectError {
  override name = 'ConfigError'
  /** The config key at fault, when there is one. */
  readonly key: string | undefined

  constructor(message: string, key?: string, options?: ConnectErrorOptions) {
    super('INVALID_CONFIG', message, options)
    this.key = key
  }
}

/** Bytes that cannot be decoded: callers of codecs log and skip such records rather than crash. */
export class CorruptDataError extends ConnectError {
  override name = 'CorruptDataError'

  constructor(message: string, options?: ConnectErrorOptions) {
    super('CORRUPT_DATA', message, options)
  }
}

/** An operation did not finish before its deadline. */
export class TimeoutError extends ConnectError {
  override name = 'TimeoutError'

  constructor(message: string, options?: ConnectErrorOptions) {
    super('TIMEOUT', message, options)
  }
}

/** A call to Kafka failed; `retriable` says whether a later try may pass, `kafkaCode` is the broker's error code. */
export class KafkaError extends ConnectError {
  override name = 'KafkaError'
  /** The broker's numeric error code, when the broker gave one. */
  readonly kafkaCode: number | undefined

  constructor(retriable: boolean, message: string, kafkaCode?: number, options?: ConnectErrorOptions) {
    super(retriable ? 'KAFKA_RETRIABLE' : 'KAFKA_FATAL', message, options)
    this.kafkaCode = kafkaCode
  }
}

/** A named thing (connector, task, plugin, logger) does not exist; the message is the one Java's REST API shows. */
export class NotFoundError extends ConnectError {
  override name = 'NotFoundError'

  constructor(message: string, options?: ConnectErrorOptions) {
    super('NOT_FOUND', message, options)
  }
}

/** The thing to create exists already (e.g. "Connector c already exists"). */
export class AlreadyExistsError extends ConnectError {
  override name = 'AlreadyExistsError'

  constructor(message: string, options?: ConnectErrorOptions) {
    super('ALREADY_EXISTS', message, options)
  }
}

/** The request is malformed or not allowed in the current state; REST answers 400 with the message. */
export class BadRequestError extends ConnectError {
  override name = 'BadRequestError'

  constructor(message: string, options?: ConnectErrorOptions) {
    super('BAD_REQUEST', message, options)
  }
}

/**
 * Only the group leader may do this; `leaderUrl` is the leader's advertised REST URL, or undefined while no leader
 * is known (during a rebalance). REST forwards the request there.
 */
export class NotLeaderError extends ConnectError {
  override name = 'NotLeaderError'
  /** The leader's REST URL, when known. */
  readonly leaderUrl: string | undefined

  constructor(message: string, leaderUrl: string | undefined, options?: ConnectErrorOptions) {
    super('NOT_LEADER', message, options)
    this.leaderUrl = leaderUrl
  }
}

/**
 * Only the worker that runs the connector or task may do this; `ownerUrl` is that worker's REST URL, or undefined
 * while it is not known (during a rebalance). REST forwards the request there.
 */
export class NotAssignedError extends ConnectError {
  override name = 'NotAssignedError'
  /** The owner's REST URL, when known. */
  readonly ownerUrl: string | undefined

  constructor(message: string, ownerUrl: string | undefined, options?: ConnectErrorOptions) {
    super('NOT_ASSIGNED', message, options)
    this.ownerUrl = ownerUrl
  }
}

/**
 * The worker group is rebalancing, or a rebalance is expected (stale configuration): the request cannot run now but
 * may once the group settles. REST waits and retries such requests instead of answering 409 at once.
 */
export class RebalanceInProgressError extends ConnectError {
  override name = 'RebalanceInProgressError'

  constructor(message = 'Request cannot be completed because a rebalance is expected', options?: ConnectErrorOptions) {
    super('REBALANCE_IN_PROGRESS', message, options)
  }
}

/** The herder is stopping: queued and held requests fail with Java's message "Worker is shutting down". */
export class WorkerShuttingDownError extends ConnectError {
  override name = 'WorkerShuttingDownError'

  constructor(options?: ConnectErrorOptions) {
    super('SHUTTING_DOWN', 'Worker is shutting down', options)
  }
}

/**
 * A value does not match its schema, or bytes cannot be converted to or from Connect data (Java's DataException).
 * Converters throw it for bad bytes, with the reason in the message; the worker's error handling decides whether the
 * record is skipped (errors.tolerance=all) or the task fails.
 */
export class DataError extends ConnectError {
  override name = 'DataError'

  constructor(message: string, options?: ConnectErrorOptions) {
    super('DATA_ERROR', message, options)
  }
}

/**
 * A connector or task operation failed but may pass if tried again (Java's RetriableException). A SinkTask throws it
 * from put() to have the same batch redelivered after context.timeout(); a SourceTask throws it from poll() to be
 * polled again. Any other error fails the task.
 */
export class RetriableError extends ConnectError {
  override name = 'RetriableError'

  constructor(message: string, options?: ConnectErrorOptions) {
    super('RETRIABLE', message, options)
  }
}

/** `error` itself when it is an Error, else an Error whose message is its text (for values thrown that are not). */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
