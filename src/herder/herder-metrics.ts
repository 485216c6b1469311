/**
 * The herder's metric groups, measured where Java measures them: connect-worker-rebalance-metrics (DistributedHerder's
 * HerderMetrics: protocol, leader, epoch, rebalance times) and connect-coordinator-metrics (WorkerCoordinator's
 * assigned-connectors and assigned-tasks, plus AbstractCoordinator's GroupCoordinatorMetrics: join, sync, heartbeat
 * and rebalance sensors, fed by the group member through its observer).
 */
import type { GroupMemberObserver } from '../membership/member.ts'
import type { MetricsRegistry, Sensor } from '../metrics/registry.ts'
import { Avg, CumulativeCount, CumulativeSum, Max, Rate } from '../metrics/stats.ts'
import { CONNECT_DOMAIN } from '../worker/task-metrics.ts'

/** What the groups read from the herder. */
export interface HerderView {
  /** The Connect subprotocol in force (`default` for eager, `compatible`, `sessioned`), once joined. */
  protocol(): string | undefined
  leaderUrl(): string | undefined
  generation(): number
  rebalancing(): boolean
  /** Connectors and tasks assigned to this worker by the last handled rebalance. */
  assigned(): { connectors: number; tasks: number }
}

const HOUR_MS = 3_600_000

/** Java's ConnectProtocolCompatibility name of a subprotocol: eager's is named `default` on the wire. */
function protocolName(protocol: string | undefined): string | null {
  if (protocol === undefined) return null
  return protocol === 'default' ? 'EAGER' : protocol.toUpperCase()
}

/** The herder's groups; see the file comment. */
export class HerderMetrics implements GroupMemberObserver {
  readonly #registry: MetricsRegistry
  readonly #completed: Sensor
  readonly #rebalanceTime: Sensor
  readonly #join: Sensor
  readonly #sync: Sensor
  readonly #heartbeat: Sensor
  readonly #latency: Sensor
  readonly #failed: Sensor
  #memberRebalanceStarted: number | null = null
  #lastCompleted = Number.NaN
  #lastMemberRebalance = Number.NaN
  #lastHeartbeat = Number.NaN

  constructor(registry: MetricsRegistry, view: HerderView, clientId: string) {
    this.#registry = registry
    const r = registry.group(CONNECT_DOMAIN, 'connect-worker-rebalance-metrics')
    const c = r.sampleConfig
    r.info('connect-protocol', () => protocolName(view.protocol()))
      .info('leader-name', () => view.leaderUrl() ?? null)
      .gauge('epoch', () => view.generation())
      .gauge('rebalancing', () => (view.rebalancing() ? 1 : 0))
      .gauge('time-since-last-rebalance-ms', (now) =>
        Number.isNaN(this.#lastCompleted) ? Number.POSITIVE_INFINITY : now - this.#lastCompleted,
      )
    this.#completed = r.sensor().add('completed-rebalances-total', new CumulativeSum())
    this.#rebalanceTime = r.sensor().add('rebalance-max-time-ms', new Max(c)).add('rebalance-avg-time-ms', new Avg(c))

    const g = registry
      .group(CONNECT_DOMAIN, 'connect-coordinator-metrics', [['client-id', clientId]])
      .gauge('assigned-connectors', () => view.assigned().connectors)
      .gauge('assigned-tasks', () => view.assigned().tasks)
      .gauge('last-rebalance-seconds-ago', (now) =>
        Number.isNaN(this.#lastMemberRebalance) ? -1 : Math.floor((now - this.#lastMemberRebalance) / 1000),
      )
      .gauge('last-heartbeat-seconds-ago', (now) =>
        Number.isNaN(this.#lastHeartbeat) ? -1 : Math.floor((now - this.#lastHeartbeat) / 1000),
      )
    const meter = (sensor: Sensor, name: string) =>
      sensor.add(`${name}-rate`, new Rate(c, { count: true })).add(`${name}-total`, new CumulativeCount())
    this.#join = meter(g.sensor(), 'join').add('join-time-avg', new Avg(c)).add('join-time-max', new Max(c))
    this.#sync = meter(g.sensor(), 'sync').add('sync-time-avg', new Avg(c)).add('sync-time-max', new Max(c))
    this.#heartbeat = meter(g.sensor(), 'heartbeat').add('heartbeat-response-time-max', new Max(c))
    this.#latency = g
      .sensor()
      .add('rebalance-latency-avg', new Avg(c))
      .add('rebalance-latency-max', new Max(c))
      .add('rebalance-latency-total', new CumulativeSum())
      .add('rebalance-total', new CumulativeCount())
      .add('rebalance-rate-per-hour', new Rate(c, { count: true, unitMs: HOUR_MS }))
    this.#failed = g
      .sensor()
      .add('failed-rebalance-total', new CumulativeCount())
      .add('failed-rebalance-rate-per-hour', new Rate(c, { count: true, unitMs: HOUR_MS }))
  }

  joined(ms: number): void {
    this.#join.record(ms)
  }

  synced(ms: number): void {
    this.#sync.record(ms)
  }

  heartbeat(ms: number): void {
    this.#heartbeat.record(ms)
    this.#lastHeartbeat = this.#registry.clock.now()
  }

  rebalanced(ms: number): void {
    const now = this.#registry.clock.now()
    this.#latency.record(ms, now)
    this.#lastMemberRebalance = now
    this.#memberRebalanceStarted ??= now - ms
  }

  rebalanceFailed(): void {
    this.#failed.record(1)
  }

  /**
   * The herder handled a rebalance's outcome (Java's rebalanceSucceeded after handleRebalanceCompleted): its time
   * runs from the first JoinGroup of the rounds it took to the outcome's handling.
   */
  rebalanceSucceeded(): void {
    const now = this.#registry.clock.now()
    const started = this.#memberRebalanceStarted ?? now
    this.#memberRebalanceStarted = null
    this.#completed.record(1, now)
    this.#rebalanceTime.record(Math.max(0, now - started), now)
    this.#lastCompleted = now
  }
}
