/**
 * REST servers for tests: a RestServer over a herder, with a silent logger, a short request timeout and a tiny
 * rebalance backoff, so that waits finish in milliseconds. Exercise it with `server.app.inject()`, or `start()` it
 * on a free port of 127.0.0.1 when another server must reach it over HTTP (forwarding).
 */
import { pino } from 'pino'
import type { Herder } from '../../src/herder/herder.ts'
import { restConfigFromProperties } from '../../src/rest/config.ts'
import { RestServer, type RestServerOptions } from '../../src/rest/server.ts'

/** A logger that writes nothing. */
export const silentLog = pino({ level: 'silent' })

/** A REST server over `herder`; `props` are worker properties (listeners defaults to a free local port). */
export function testServer(
  herder: Herder,
  props: Record<string, string> = {},
  options: Partial<RestServerOptions> = {},
): RestServer {
  return new RestServer({
    herder,
    config: restConfigFromProperties({ listeners: 'http://127.0.0.1:0', ...props }),
    requestTimeoutMs: 2000,
    backoff: { initialMs: 1, maxMs: 5 },
    log: silentLog,
    ...options,
  })
}

/** A connector config for the in-memory herder's FileStreamSource plugin. */
export function sourceConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { 'connector.class': 'FileStreamSource', topic: 'lines', file: '/tmp/in.txt', ...extra }
}
