/**
 * GET /metrics: the worker's metrics in the Prometheus text format, on the REST listeners (behind basic
 * authentication when it is on) and on tsconnect.metrics.listeners when set. The rendering is the caller's
 * (cli/ wires metrics/prometheus.ts), so rest/ knows no metric names.
 */
import type { FastifyInstance } from 'fastify'

/** What GET /metrics serves. */
export interface MetricsSource {
  /** The Content-Type of the rendering. */
  readonly contentType: string
  /** The current metrics, rendered. */
  render(): string
}

/** Registers GET /metrics. */
export function metricsRoutes(app: FastifyInstance, source: MetricsSource): void {
  app.get('/metrics', async (_request, reply) => reply.header('Content-Type', source.contentType).send(source.render()))
}
