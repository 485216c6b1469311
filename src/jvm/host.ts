/**
 * The JVM plugin host as the worker sees it: one child process (java -cp <host build> dev.tsconnect.host.Main),
 * requests and responses over its stdin/stdout in frames (frames.ts), its stderr read into the worker's log with
 * the Java logger names.
 *
 * Requests are matched to responses by id, so many are in flight at once; the host runs each on the thread of the
 * instance it names, so a Java plugin that blocks holds only its own requests, never the worker's event loop.
 *
 * When the process dies, every pending request fails with the reason, every hosted instance is told (its task or
 * connector fails, and the worker's automatic restart brings it back), and the host is started again with
 * exponential backoff. Instances belong to one run of the process (`generation`): a proxy created in an earlier
 * run fails at once instead of talking to a host that never heard of it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { ConnectError } from '../errors.ts'
import { exponentialBackoff } from '../util/backoff.ts'
import type { Logger } from '../util/log.ts'
import { encodeFrame, FrameDecoder } from './frames.ts'
import type { JavaConfigKey } from './java-config.ts'

/** A Java error as the host reports it. */
export interface JavaErrorInfo {
  class: string
  message: string
  trace: string
  retriable: boolean
}

/**
 * An error raised by Java code in the host: its message is Java's, its stack is Java's stack trace, so a FAILED
 * status shows the trace Java Connect would show.
 */
export class JavaPluginError extends ConnectError {
  override name = 'JavaPluginError'
  /** The Java exception's class. */
  readonly javaClass: string

  constructor(info: JavaErrorInfo) {
    super(info.retriable ? 'RETRIABLE' : 'UNKNOWN', info.message)
    this.javaClass = info.class
    this.stack = info.trace.trimEnd()
  }
}

/** The host process died or is not running; what it hosted is gone. */
export class JvmHostDiedError extends ConnectError {
  override name = 'JvmHostDiedError'

  constructor(message: string) {
    super('UNKNOWN', message)
  }
}

/** A plugin as the host's discovery lists it. */
export interface JavaPluginInfo {
  class: string
  type: 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate'
  version: string
  location: string
  taskClass?: string
  config?: JavaConfigKey[]
  error?: JavaErrorInfo
}

/** What a hosted instance handles: the host's events and requests about it, and the host's death. */
export interface InstanceHandler {
  event?(name: string, message: Record<string, unknown>): void
  request?(op: string, message: Record<string, unknown>): Promise<unknown>
  hostDied?(error: JvmHostDiedError): void
}

/** How to start the host. */
export interface JvmHostOptions {
  readonly javaCommand: string
  /** -Xmx, e.g. 512m. */
  readonly maxHeap: string
  readonly jvmOptions: readonly string[]
  readonly classpath: string
  /** plugin.path and plugin.discovery, for Kafka's Plugins. */
  readonly pluginProps: Readonly<Record<string, string>>
  readonly log: Logger
  /** Restart backoff after a crash. */
  readonly restartInitialMs?: number
  readonly restartMaxMs?: number
}

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

const LEVELS: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
}

/** The host process and its protocol; see the file comment. */
export class JvmHost {
  readonly #o: JvmHostOptions
  #child: ChildProcessWithoutNullStreams | undefined
  #ready: Promise<JavaPluginInfo[]> | undefined
  #generation = 0
  #nextId = 0
  #nextInstance = 0
  #failures = 0
  #stopping = false
  #restartTimer: NodeJS.Timeout | undefined
  readonly #pending = new Map<number, Pending>()
  readonly #handlers = new Map<number, InstanceHandler>()

  constructor(options: JvmHostOptions) {
    this.#o = options
  }

  /** The current run of the process; instances of an earlier run are gone. */
  get generation(): number {
    return this.#generation
  }

  /** The process id, while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid
  }

  /** Starts the process and discovers plugin.path's plugins; resolves with what it found. */
  start(): Promise<JavaPluginInfo[]> {
    this.#ready = this.#spawn()
    return this.#ready
  }

  async #spawn(): Promise<JavaPluginInfo[]> {
    const o = this.#o
    const args = [`-Xmx${o.maxHeap}`, ...o.jvmOptions, '-cp', o.classpath, 'dev.tsconnect.host.Main']
    const child = spawn(o.javaCommand, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    this.#child = child
    const generation = ++this.#generation
    const decoder = new FrameDecoder()
    child.stdout.on('data', (chunk: Buffer) => {
      for (const message of decoder.push(chunk)) this.#receive(message as Record<string, unknown>)
    })
    this.#readLog(child)
    child.stdin.on('error', () => {})
    const exited = new Promise<never>((_, reject) => {
      child.on('error', (e) =>
        reject(new JvmHostDiedError(`Could not start the JVM plugin host (${o.javaCommand}): ${e.message}`)),
      )
      child.on('exit', (code, signal) => {
        const error = new JvmHostDiedError(
          `The JVM plugin host (pid ${child.pid}) exited with ${signal === null ? `code ${code}` : `signal ${signal}`}`,
        )
        reject(error)
        this.#died(generation, error)
      })
    })
    exited.catch(() => {})
    const init = this.#send('init', { props: o.pluginProps }) as Promise<{ plugins: JavaPluginInfo[] }>
    const { plugins } = await Promise.race([init, exited])
    this.#failures = 0
    o.log.info({ hostPid: child.pid, plugins: plugins.length }, 'The JVM plugin host is running')
    return plugins
  }

  #readLog(child: ChildProcessWithoutNullStreams): void {
    const lines = createInterface({ input: child.stderr })
    let level: (typeof LEVELS)[string] = 'info'
    let logger = 'jvm-host'
    lines.on('line', (line) => {
      const m = /^@@(TRACE|DEBUG|INFO|WARN|ERROR|FATAL) (\S+) (.*)$/.exec(line)
      if (m) {
        level = LEVELS[m[1] as string] ?? 'info'
        logger = m[2] as string
        this.#o.log[level]({ logger }, m[3] as string)
      } else if (line.trim() !== '') {
        // A stack trace line of the event before, or a plugin's own print to stdout/stderr.
        this.#o.log[level]({ logger }, line)
      }
    })
  }

  #died(generation: number, error: JvmHostDiedError): void {
    if (generation !== this.#generation) return
    this.#child = undefined
    for (const p of this.#pending.values()) p.reject(error)
    this.#pending.clear()
    const handlers = [...this.#handlers.values()]
    this.#handlers.clear()
    if (this.#stopping) return
    this.#o.log.error({ err: error }, 'The JVM plugin host died; what it hosted fails and is restarted')
    for (const h of handlers) h.hostDied?.(error)
    this.#failures++
    const delay = exponentialBackoff(this.#failures, this.#o.restartInitialMs ?? 1000, this.#o.restartMaxMs ?? 30_000)
    // Calls made meanwhile wait for the restarted host.
    let restart!: () => void
    const waited = new Promise<void>((resolve) => {
      restart = resolve
    })
    this.#ready = waited.then(() => this.#spawn())
    this.#ready.catch((e: unknown) => this.#o.log.error({ err: e }, 'Restarting the JVM plugin host failed'))
    this.#restartTimer = setTimeout(restart, delay)
  }

  #receive(m: Record<string, unknown>): void {
    if ('re' in m) {
      const p = this.#pending.get(m.re as number)
      if (p === undefined) return
      this.#pending.delete(m.re as number)
      if (m.ok) p.resolve(m.result)
      else p.reject(new JavaPluginError(m.error as JavaErrorInfo))
      return
    }
    const handler = this.#handlers.get(m.instance as number)
    if ('event' in m) {
      handler?.event?.(m.event as string, m)
      return
    }
    // A request from the host (committed offsets, an errant record): answer it, whatever happens.
    const reply = (body: Record<string, unknown>) => this.#child?.stdin.write(encodeFrame({ re: m.id, ...body }))
    const answer = handler?.request?.(m.op as string, m) ?? Promise.reject(new Error(`No handler for ${String(m.op)}`))
    answer.then(
      (result) => reply({ ok: true, result: result ?? null }),
      (e: unknown) => reply({ ok: false, error: { message: e instanceof Error ? e.message : String(e) } }),
    )
  }

  #send(op: string, body: Record<string, unknown>): Promise<unknown> {
    const child = this.#child
    if (child === undefined) return Promise.reject(new JvmHostDiedError('The JVM plugin host is not running'))
    const id = ++this.#nextId
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      child.stdin.write(encodeFrame({ id, op, ...body }))
    })
  }

  /** Waits for the host to run (after a restart), then sends a request. */
  async call(op: string, body: Record<string, unknown> = {}): Promise<unknown> {
    if (this.#ready === undefined) throw new JvmHostDiedError('The JVM plugin host was not started')
    await this.#ready
    return this.#send(op, body)
  }

  /** Sends a request about an instance of `generation`; fails at once if the host has restarted since. */
  callInstance(generation: number, op: string, body: Record<string, unknown>): Promise<unknown> {
    if (generation !== this.#generation || this.#child === undefined) {
      return Promise.reject(new JvmHostDiedError('The JVM plugin host restarted; this instance is gone'))
    }
    return this.#send(op, body)
  }

  /** Creates an instance on the host (connector.new or task.new); returns its id and generation. */
  async newInstance(
    op: 'connector.new' | 'task.new',
    body: Record<string, unknown>,
    handler: InstanceHandler,
  ): Promise<{ id: number; generation: number; result: unknown }> {
    await this.#ready
    const id = ++this.#nextInstance
    const generation = this.#generation
    this.#handlers.set(id, handler)
    try {
      const result = await this.#send(op, { instance: id, ...body })
      return { id, generation, result }
    } catch (error) {
      this.#handlers.delete(id)
      this.#send('release', { instance: id }).catch(() => {})
      throw error
    }
  }

  /** Forgets an instance (after its stop). */
  async release(id: number, generation: number): Promise<void> {
    this.#handlers.delete(id)
    if (generation === this.#generation)
      await this.callInstance(generation, 'release', { instance: id }).catch(() => {})
  }

  /** Stops the host: closes its stdin (it exits), then kills it if it has not gone within `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.#stopping = true
    clearTimeout(this.#restartTimer)
    const child = this.#child
    if (child === undefined || child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.stdin.end()
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    await exited
    clearTimeout(timer)
  }
}
