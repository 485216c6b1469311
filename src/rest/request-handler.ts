/**
 * How REST awaits the herder: with a deadline, through rebalances, and forwarding to the leader or owner.
 *
 * Java's HerderRequestHandler answers 409 as soon as the herder says a rebalance is under way or no leader is known.
 * Here such requests wait and call again (backoff doubling from `backoff.initialMs` to `backoff.maxMs`), bounded by
 * the REST request timeout; only when the group has not settled by then does the client get Java's 409. A 409 is
 * otherwise kept for true conflicts: a duplicate connector, or a request that still finds no target after two hops.
 *
 * A leader that refuses connections (it just died) is waited for too, until the herder names the new one.
 *
 * Forwarding (Java's HerderRequestHandler.completeOrForwardRequest): a NotLeaderError or NotAssignedError with a
 * known URL sends the same method and body to `<url><path>?forward=<bool>`: the first receiver (no `forward` query) sends forward=true, a receiver of
 * forward=true sends forward=false, and a receiver of forward=false answers 409. Only Authorization is passed on.
 */
import { ConnectError, NotAssignedError, NotLeaderError } from '../errors.ts'
import type { Herder, HerderStage, SessionKey } from '../herder/herder.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { ForwardingIoError, type InboundResponse, type RestClient } from './client.ts'
import { RestError } from './errors.ts'

/** Java's message when a forwarded request still finds no target. */
export const CONFLICT_MESSAGE = 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)'
/** Java's message when no leader URL is known. */
export const NO_LEADER_MESSAGE =
  'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.'
/** Java's message when a rebalance is expected (stale configuration). */
export const STALE_CONFIG_MESSAGE =
  'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)'

/** Java's message of a herder that stops: a request it answers so never ran there. */
export const SHUTTING_DOWN_MESSAGE = 'Worker is shutting down'

/**
 * The target of a forwarded request answered that it is shutting down: the request never ran there (the target's
 * herder refuses or drops what it had not started), so it is safe to send again once the group names a new target.
 */
class TargetShuttingDownError extends RestError {
  override name = 'TargetShuttingDownError'
}

/** Backoff between calls while waiting for a rebalance. */
export interface Backoff {
  initialMs: number
  maxMs: number
}

/** What the handler needs. */
export interface RequestHandlerOptions {
  herder: Herder
  client: RestClient
  /** The REST request timeout: how long a request may take, waits for rebalances included. */
  timeoutMs: number
  backoff: Backoff
  /** The clock of deadlines and backoffs (the real one by default). */
  clock?: Clock
  log: Logger
}

/** Where and how to forward a request that this worker cannot run. */
export interface ForwardSpec<T> {
  method: string
  /** The path, already URI-encoded, e.g. `/connectors/my%20c/config`. */
  path: string
  /** Extra query parameters passed on (e.g. includeTasks); `forward` is added. */
  query?: Record<string, string>
  /** The JSON body to send, if any. */
  body?: unknown
  /** The `forward` query parameter this request came with. */
  forward: boolean | undefined
  /** The client's Authorization header. */
  authorization: string | undefined
  /** Sign the forwarded request with the session key (internal endpoints). */
  signed?: boolean
  /** The result from the target's answer. */
  translate: (response: InboundResponse) => T
}

/** Runs herder calls for REST routes. */
export class RequestHandler {
  readonly #herder: Herder
  readonly #client: RestClient
  readonly #timeoutMs: number
  readonly #backoff: Backoff
  readonly #log: Logger
  readonly #clock: Clock

  constructor(options: RequestHandlerOptions) {
    this.#clock = options.clock ?? systemClock
    this.#herder = options.herder
    this.#client = options.client
    this.#timeoutMs = options.timeoutMs
    this.#backoff = options.backoff
    this.#log = options.log
  }

  /** Runs a call that is never forwarded (reads, pause, resume, validate), waiting through rebalances. */
  async complete<T>(call: () => Promise<T>): Promise<T> {
    return this.#attempt(call, this.#clock.now() + this.#timeoutMs, (error) => error)
  }

  /** Runs a call that may need the leader or owner, forwarding it there when this worker cannot run it. */
  async completeOrForward<T>(call: () => Promise<T>, spec: ForwardSpec<T>): Promise<T> {
    const deadline = this.#clock.now() + this.#timeoutMs
    return this.#attempt(
      async () => {
        try {
          return await call()
        } catch (error) {
          const target = targetUrl(error)
          if (target === undefined) throw error
          if (spec.forward === false) {
            this.#log.error(
              { method: spec.method, path: spec.path },
              "Request failed because it couldn't find the target Connect worker within two hops (between workers)",
            )
            throw new RestError(409, CONFLICT_MESSAGE)
          }
          return this.#forward(target, spec, deadline)
        }
      },
      deadline,
      (error) => {
        if (error instanceof ConnectError && error.code === 'REBALANCE_IN_PROGRESS') {
          return new RestError(409, STALE_CONFIG_MESSAGE)
        }
        if (isTargetError(error)) return new RestError(409, NO_LEADER_MESSAGE)
        return error
      },
    )
  }

  /**
   * Calls until the call succeeds, fails for good, or the deadline passes. Waits out rebalances (and targets that
   * are unknown or unreachable, which a rebalance is about to settle); `giveUp` turns the last such error into the
   * answer once the deadline has passed.
   */
  async #attempt<T>(call: () => Promise<T>, deadline: number, giveUp: (error: unknown) => unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#withDeadline(call(), deadline)
      } catch (error) {
        if (!isWaitable(error)) throw error
        const left = deadline - this.#clock.now()
        if (left <= 0) throw giveUp(error)
        const delay = exponentialBackoff(attempt, this.#backoff.initialMs, this.#backoff.maxMs)
        // An unreachable target is worth a warning: it may be a worker that just died, or a wrong advertised URL.
        this.#log[error instanceof ForwardingIoError ? 'warn' : 'debug'](
          { attempt, delayMs: Math.min(delay, left), reason: (error as Error).message },
          'REST request waits for the worker group to settle',
        )
        await this.#clock.sleep(Math.min(delay, left))
      }
    }
  }

  /** The call's result, or Java's 500 "Request timed out" with the herder's stage once the deadline passes. */
  async #withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
    let cancel = () => {}
    const timeout = new Promise<never>((_, reject) => {
      cancel = this.#clock.setTimer(deadline - this.#clock.now(), () => {
        void this.#herder
          .stage()
          .catch(() => undefined)
          .then((stage) => reject(new RestError(500, timeoutMessage(stage))))
      })
    })
    try {
      return await Promise.race([promise, timeout])
    } finally {
      cancel()
      timeout.catch(() => {})
    }
  }

  async #forward<T>(baseUrl: string, spec: ForwardSpec<T>, deadline: number): Promise<T> {
    const query = new URLSearchParams({ forward: String(spec.forward === undefined), ...spec.query })
    const url = `${baseUrl.replace(/\/+$/, '')}${spec.path}?${query}`
    let sign: { key: SessionKey; algorithm: string } | undefined
    if (spec.signed) {
      const security = await this.#herder.internalRequestSecurity()
      if (security.required && security.sessionKey !== undefined) {
        sign = { key: security.sessionKey, algorithm: security.signatureAlgorithm }
      }
    }
    try {
      const response = await this.#client.request(url, {
        method: spec.method,
        body: spec.body,
        authorization: spec.authorization,
        sign,
        timeoutMs: Math.max(1, deadline - this.#clock.now()),
      })
      return spec.translate(response)
    } catch (error) {
      // A leader leaving the group fails the requests it held; the next leader will run them (issue 28's load test).
      if (error instanceof RestError && error.status === 500 && error.message === SHUTTING_DOWN_MESSAGE) {
        throw new TargetShuttingDownError(500, `${baseUrl} is shutting down`)
      }
      throw error
    }
  }
}

/** Java's timeout message: "Request timed out." and, when the herder reports one, what it is or was doing. */
export function timeoutMessage(stage: HerderStage | undefined): string {
  return stage === undefined ? 'Request timed out' : `Request timed out. ${stageSummary(stage)}`
}

/** What the herder is or was doing, as Java's Stage.summarize words it. */
export function stageSummary(stage: HerderStage): string {
  if (stage.completed !== undefined) {
    return (
      `The last operation the worker completed was ${stage.description}, which began at ` +
      `${instant(stage.started)} and completed at ${instant(stage.completed)}.`
    )
  }
  return `The worker is currently ${stage.description}, which began at ${instant(stage.started)}.`
}

/** Epoch ms as Java's Instant.toString shows it (no fraction when the millis are zero). */
export function instant(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z')
}

function isTargetError(error: unknown): error is NotLeaderError | NotAssignedError {
  return error instanceof NotLeaderError || error instanceof NotAssignedError
}

function targetUrl(error: unknown): string | undefined {
  if (error instanceof NotLeaderError) return error.leaderUrl
  if (error instanceof NotAssignedError) return error.ownerUrl
  return undefined
}

/**
 * Errors that a settling rebalance may cure: a rebalance, an unknown target, a target that refused the connection
 * (a worker that just died). A request that may have reached its target is not sent again.
 */
function isWaitable(error: unknown): boolean {
  if (error instanceof ConnectError && error.code === 'REBALANCE_IN_PROGRESS') return true
  if (isTargetError(error)) return targetUrl(error) === undefined
  if (error instanceof TargetShuttingDownError) return true
  return error instanceof ForwardingIoError && error.notSent
}
