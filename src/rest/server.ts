/**
 * The REST server: fastify apps with the resources of Java Connect's REST API, served on every `listeners` entry
 * (HTTP or HTTPS), admin endpoints on `admin.listeners` when set, plus CORS, response headers and basic
 * authentication as configured.
 *
 * The apps are built once and can be exercised in-process with `inject()` (tests) or served on real sockets with
 * `start()`. One node server per listener hands its requests to the app (`app.routing`), so an HTTP and an HTTPS
 * listener serve the same routes.
 */
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { ConfigError } from '../errors.ts'
import type { Herder } from '../herder/herder.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import { type Logger, logger } from '../util/log.ts'
import { CONNECT_API_VERSION, TSCONNECT_COMMIT } from '../util/version.ts'
import { authenticate, authorize, type Credentials, isInternalRequest, loadCredentials } from './auth.ts'
import { RestClient } from './client.ts'
import { DEFAULT_HEALTH_CHECK_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, type RestConfig } from './config.ts'
import { corsHook } from './cors.ts'
import { errorHandler, unmatchedRequests } from './errors.ts'
import { advertisedUrl, type Listener } from './listeners.ts'
import { installJsonParser } from './raw-body.ts'
import { type Backoff, RequestHandler } from './request-handler.ts'
import { responseHeadersHook } from './response-headers.ts'
import { connectorRoutes } from './routes/connectors.ts'
import type { RouteContext } from './routes/context.ts'
import { internalRoutes } from './routes/internal.ts'
import { loggerRoutes } from './routes/loggers.ts'
import { type MetricsSource, metricsRoutes } from './routes/metrics.ts'
import { offsetRoutes } from './routes/offsets.ts'
import { pluginRoutes } from './routes/plugins.ts'
import { rootRoutes } from './routes/root.ts'
import { taskRoutes } from './routes/tasks.ts'
import { topicRoutes } from './routes/topics.ts'
import { uiRoutes } from './routes/ui.ts'
import { clientTlsOptions, type ServerTlsOptions, serverTlsOptions } from './tls.ts'

/** What the REST server is built from. */
export interface RestServerOptions {
  herder: Herder
  config: RestConfig
  /** Shown by GET /; Java shows its Kafka version (default: the Connect API level, CONNECT_API_VERSION). */
  version?: string
  /** Shown by GET / (default: tsconnect and its version, TSCONNECT_COMMIT). */
  commit?: string
  /** How long a request may take, rebalance waits included (Java: 90 s). */
  requestTimeoutMs?: number
  /** How long GET /health waits for the herder (Java: 10 s). */
  healthCheckTimeoutMs?: number
  /** Backoff between calls while a rebalance is under way. */
  backoff?: Backoff
  /** The client for forwarded requests; by default one with the listeners' TLS settings. */
  client?: RestClient
  /** Basic authentication; by default read from rest.basic.auth.file when set. */
  credentials?: Credentials
  /** What GET /metrics serves (no /metrics without it). */
  metrics?: MetricsSource
  /** The clock of request deadlines, rebalance waits and the health check (the real one by default). */
  clock?: Clock
  log?: Logger
}

/** One route: a method and a URL pattern such as `/connectors/:connector/config`. */
export interface RestRoute {
  method: string
  url: string
  /** Served by the admin app (admin.listeners) rather than the main one. */
  admin: boolean
}

/** Which app a listener serves: the main one, the admin endpoints, or the metrics alone. */
type ListenerRole = 'main' | 'admin' | 'metrics'

const LISTENER_KEYS: Readonly<Record<ListenerRole, string>> = {
  main: 'listeners',
  admin: 'admin.listeners',
  metrics: 'tsconnect.metrics.listeners',
}

const METHOD_NOT_ALLOWED_BODY = JSON.stringify({ error_code: 405, message: 'HTTP 405 Method Not Allowed' })
const METHOD_NOT_ALLOWED =
  'HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nConnection: close\r\n' +
  `Content-Length: ${Buffer.byteLength(METHOD_NOT_ALLOWED_BODY)}\r\n\r\n${METHOD_NOT_ALLOWED_BODY}`

/** The default wait between calls during a rebalance: short at first, as most rebalances settle in well under 1 s. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 50, maxMs: 1000 }

/** The REST API of one worker. */
export class RestServer {
  /** The app of the main listeners (with the admin endpoints unless admin.listeners is set). */
  readonly app: FastifyInstance
  /** The app of admin.listeners, when those are set and not empty. */
  readonly adminApp: FastifyInstance | undefined
  /** The app of tsconnect.metrics.listeners (GET /metrics alone), when set and metrics are on. */
  readonly metricsApp: FastifyInstance | undefined
  /** Every route served (main and admin apps), as registered: what security and fuzz tests go through. */
  readonly routes: RestRoute[] = []
  readonly #config: RestConfig
  readonly #log: Logger
  readonly #servers: Array<{ server: http.Server | https.Server; role: ListenerRole }> = []
  readonly #tls: ServerTlsOptions | undefined
  readonly #adminTls: ServerTlsOptions | undefined
  #advertisedUrl: string | undefined

  constructor(options: RestServerOptions) {
    const { config } = options
    this.#config = config
    this.#log = options.log ?? logger('rest')
    // TLS material is read now, so that a bad keystore stops the worker before it joins the group.
    const anyHttps = (listeners: Listener[] | undefined) => listeners?.some((l) => l.protocol === 'https') ?? false
    this.#tls = anyHttps(config.listeners) ? serverTlsOptions(config.ssl) : undefined
    this.#adminTls = anyHttps(config.adminListeners) ? serverTlsOptions(config.adminSsl) : undefined
    const client = options.client ?? new RestClient({ tls: clientTlsOptions(config.ssl), log: this.#log })
    const clock = options.clock ?? systemClock
    const ctx: RouteContext = {
      herder: options.herder,
      handler: new RequestHandler({
        herder: options.herder,
        client,
        timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        backoff: options.backoff ?? DEFAULT_BACKOFF,
        clock,
        log: this.#log,
      }),
      topicTrackingEnabled: config.topicTrackingEnabled,
      topicTrackingResetEnabled: config.topicTrackingResetEnabled,
      healthCheckTimeoutMs: options.healthCheckTimeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
      version: options.version ?? CONNECT_API_VERSION,
      commit: options.commit ?? TSCONNECT_COMMIT,
      clock,
      log: this.#log,
    }
    const credentials =
      options.credentials ?? (config.basicAuthFile ? loadCredentials(config.basicAuthFile, this.#log) : undefined)
    const separateAdmin = config.adminListeners !== undefined
    this.app = this.#build(credentials, false, (app) => {
      rootRoutes(app, ctx)
      connectorRoutes(app, ctx)
      taskRoutes(app, ctx)
      offsetRoutes(app, ctx)
      topicRoutes(app, ctx)
      pluginRoutes(app, ctx)
      internalRoutes(app, ctx)
      uiRoutes(app)
      if (!separateAdmin) loggerRoutes(app, ctx)
      if (options.metrics) metricsRoutes(app, options.metrics)
    })
    this.adminApp =
      separateAdmin && (config.adminListeners?.length ?? 0) > 0
        ? this.#build(credentials, true, (app) => loggerRoutes(app, ctx))
        : undefined
    const metrics = options.metrics
    this.metricsApp =
      metrics && config.metricsListeners.length > 0
        ? this.#build(credentials, false, (app) => metricsRoutes(app, metrics))
        : undefined
  }

  /** Listens on every listener (and admin listener); resolves once all are bound. */
  async start(): Promise<void> {
    await this.app.ready()
    const bound: Listener[] = []
    for (const listener of this.#config.listeners) {
      bound.push(await this.#listen(this.app, listener, 'main'))
    }
    if (this.adminApp !== undefined) {
      await this.adminApp.ready()
      for (const listener of this.#config.adminListeners ?? []) await this.#listen(this.adminApp, listener, 'admin')
    }
    if (this.metricsApp !== undefined) {
      await this.metricsApp.ready()
      for (const listener of this.#config.metricsListeners) await this.#listen(this.metricsApp, listener, 'metrics')
    }
    this.#advertisedUrl = await advertisedUrl({
      rawListeners: this.#config.rawListeners,
      bound,
      advertisedListener: this.#config.advertisedListener,
      advertisedHostName: this.#config.advertisedHostName,
      advertisedPort: this.#config.advertisedPort,
    })
    this.#log.info({ advertisedUrl: this.#advertisedUrl }, 'REST server listening')
  }

  /** The URL other workers and clients are given, e.g. `http://10.0.0.5:8083`; known once started. */
  advertisedUrl(): string {
    if (this.#advertisedUrl === undefined) throw new Error('The REST server has not been started')
    return this.#advertisedUrl
  }

  /** The listeners as bound, with actual ports (port 0 resolved). */
  boundListeners(): Array<Listener & { admin: boolean; metrics: boolean }> {
    return this.#servers.map(({ server, role }) => {
      const address = server.address() as AddressInfo
      return {
        protocol: server instanceof https.Server ? 'https' : 'http',
        host: address.address,
        port: address.port,
        admin: role === 'admin',
        metrics: role === 'metrics',
      }
    })
  }

  /** Stops listening; requests in flight get `graceMs` to finish before their connections are cut. */
  async stop(graceMs = 5000): Promise<void> {
    await Promise.all(
      this.#servers.map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs)
            server.close(() => {
              clearTimeout(timer)
              resolve()
            })
            server.closeIdleConnections()
          }),
      ),
    )
    this.#servers.length = 0
    await this.app.close()
    await this.adminApp?.close()
    await this.metricsApp?.close()
  }

  #build(
    credentials: Credentials | undefined,
    admin: boolean,
    routes: (app: FastifyInstance) => void,
  ): FastifyInstance {
    const app = Fastify({
      logger: false,
      // Task configs of a large connector, sent to the leader in one request, can pass fastify's 1 MiB default.
      bodyLimit: 64 * 1024 * 1024,
      // Connector names are path segments; Java puts no limit on their length.
      routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    })
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) this.routes.push({ method, url: route.url, admin })
    })
    installJsonParser(app)
    app.setErrorHandler(errorHandler(this.#log))
    app.setNotFoundHandler(unmatchedRequests(app))
    const cors = corsHook(this.#config.allowedOrigins, this.#config.allowedMethods)
    if (cors) app.addHook('onRequest', cors)
    if (credentials) app.addHook('onRequest', basicAuthHook(credentials))
    const headers = responseHeadersHook(this.#config.responseHeaders)
    if (headers) app.addHook('onSend', headers)
    app.addHook('onResponse', async (request, reply) => {
      this.#log.debug(
        { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'REST request',
      )
    })
    routes(app)
    return app
  }

  async #listen(app: FastifyInstance, listener: Listener, role: ListenerRole): Promise<Listener> {
    const admin = role === 'admin'
    const tls = admin ? this.#adminTls : this.#tls
    const server =
      listener.protocol === 'https' ? https.createServer(tls ?? {}, app.routing) : http.createServer(app.routing)
    // Node hands CONNECT to a 'connect' listener and, without one, drops the connection unanswered: refuse it.
    server.on('connect', (_request: http.IncomingMessage, socket: Duplex) => {
      socket.end(METHOD_NOT_ALLOWED)
    })
    if (tls?.requestCert && !tls.rejectUnauthorized) {
      // ssl.client.auth=requested: a client may come without a certificate, but one it presents must be trusted, as
      // Java's SSLEngine with wantClientAuth fails the handshake. Node lets an untrusted certificate through here.
      server.on('secureConnection', (socket: TLSSocket) => {
        if (!socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0) {
          this.#log.warn(
            { listener: `${listener.protocol}://${listener.host}:${listener.port}`, reason: socket.authorizationError },
            'REST client certificate refused',
          )
          socket.destroy()
        }
      })
    }
    const where = `${listener.protocol}://${listener.host}:${listener.port}`
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: Error) =>
        reject(new ConfigError(`Cannot listen on ${where}: ${error.message}`, LISTENER_KEYS[role])),
      )
      server.listen(listener.port, listener.host === '' ? undefined : listener.host, () => {
        server.removeAllListeners('error')
        resolve()
      })
    })
    this.#servers.push({ server, role })
    const port = (server.address() as AddressInfo).port
    this.#log.info({ listener: `${listener.protocol}://${listener.host}:${port}`, role }, 'REST listener bound')
    return { ...listener, port }
  }
}

/**
 * Refuses requests without valid basic credentials, except the signed internal ones, and requests the user's role
 * does not allow. Exemptions are decided on the route that matched, not on the raw URL, so that no spelling of a
 * path (trailing slash, doubled slash, encoded characters) reaches another route without credentials.
 */
function basicAuthHook(credentials: Credentials) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.routeOptions.url ?? request.url.split('?', 1)[0] ?? ''
    if (isInternalRequest(request.method, path)) return
    void reply.header('WWW-Authenticate', 'Basic realm="Kafka Connect"')
    const header = request.headers.authorization
    const { user, role } = await authenticate(credentials, typeof header === 'string' ? header : undefined)
    reply.removeHeader('WWW-Authenticate')
    authorize(user, role, request.method, path)
  }
}
