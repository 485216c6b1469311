/**
 * The worker's metrics, as both commands wire them (tsconnect.metrics.enable, default on): the registry the worker,
 * its tasks and (distributed) the herder measure into, the Kafka clients' network series, app-info once the worker
 * id is known, and what GET /metrics serves.
 */
import type { WorkerConfig } from '../config/connect/worker-config.ts'
import { ClientConnections } from '../kafka/client-connections.ts'
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../metrics/prometheus.ts'
import { MetricsRegistry } from '../metrics/registry.ts'
import type { MetricsSource } from '../rest/routes/metrics.ts'
import { addClientMetrics } from '../worker/client-metrics.ts'
import { addAppInfo } from '../worker/worker-metrics.ts'

/** A worker's metrics wiring. */
export interface WorkerMetricsWiring {
  readonly registry: MetricsRegistry
  /** What GET /metrics serves. */
  readonly source: MetricsSource
  /** The worker id is known (REST is bound): app-info. */
  started(workerId: string): void
  /** Stops following the Kafka clients. */
  stop(): void
}

/**
 * The metrics of a worker, or undefined with tsconnect.metrics.enable=false. Call it before any Kafka client is
 * made: client connections are followed from then on.
 */
export function workerMetricsWiring(config: WorkerConfig): WorkerMetricsWiring | undefined {
  if (!(config.getBoolean('tsconnect.metrics.enable') ?? true)) return undefined
  const registry = new MetricsRegistry()
  const connections = new ClientConnections()
  connections.start()
  addClientMetrics(registry, connections)
  return {
    registry,
    source: { contentType: PROMETHEUS_CONTENT_TYPE, render: () => renderPrometheus(registry.collect()) },
    started: (workerId) => addAppInfo(registry, workerId),
    stop: () => connections.stop(),
  }
}
