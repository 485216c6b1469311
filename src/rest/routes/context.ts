/**
 * What every resource module gets: the herder, the request handler that awaits it (deadline, rebalance waits,
 * forwarding), the settings routes depend on, and a logger.
 */
import type { Herder } from '../../herder/herder.ts'
import type { Clock } from '../../util/clock.ts'
import type { Logger } from '../../util/log.ts'
import type { RequestHandler } from '../request-handler.ts'

/** The dependencies of the route modules. */
export interface RouteContext {
  herder: Herder
  handler: RequestHandler
  /** topic.tracking.enable */
  topicTrackingEnabled: boolean
  /** topic.tracking.allow.reset */
  topicTrackingResetEnabled: boolean
  /** The health check's own timeout (Java: 10 s). */
  healthCheckTimeoutMs: number
  /** The worker's version and commit, for GET /. */
  version: string
  commit: string
  /** The clock of the routes' own timeouts (the health check). */
  clock: Clock
  log: Logger
}
