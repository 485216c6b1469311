/**
 * The life of a worker command (connect-distributed, connect-standalone): start it, wait for SIGTERM or SIGINT,
 * stop it gracefully; a second signal exits at once. Signals are handled from the start: one that arrives while
 * the worker starts stops it once it has started.
 *
 * Start-up failures become exit codes here: a command may map its own errors first (`onStartError`); then a
 * ConfigError prints the key at fault and exits 1, as does any other failure (logged as fatal).
 */
import { ConfigError } from '../errors.ts'
import type { Logger } from '../util/log.ts'
import { releaseYoungGeneration } from './startup-heap.ts'

/** What a started worker offers the command. */
export interface StartedWorker {
  readonly url: string
  stop(): Promise<void>
}

/** How one command runs its worker. */
export interface RunWorkerOptions<W extends StartedWorker> {
  log: Logger
  /** For the start-up log line, e.g. 'distributed'. */
  kind: string
  start(): Promise<W>
  /** Handles a start-up error the command knows (printing what it must) and returns its exit code, or undefined. */
  onStartError?(error: unknown): number | undefined
}

/** Runs the worker until a signal; resolves with the process exit code. */
export async function runUntilSignalled<W extends StartedWorker>(opts: RunWorkerOptions<W>): Promise<number> {
  const { log } = opts
  const started = performance.now()
  let signalled = false
  let wakeOnSignal: (() => void) | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'Second signal: exiting without waiting for a graceful stop')
      process.exit(130)
    }
    signalled = true
    log.info({ signal }, 'Stopping the worker')
    wakeOnSignal?.()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  try {
    let worker: W
    try {
      worker = await opts.start()
    } catch (e) {
      releaseYoungGeneration()
      const code = opts.onStartError?.(e)
      if (code !== undefined) return code
      if (e instanceof ConfigError) {
        process.stderr.write(`Invalid worker configuration${e.key ? ` (${e.key})` : ''}: ${e.message}\n`)
        log.error({ key: e.key }, e.message)
        return 1
      }
      log.fatal({ err: e }, 'Failed to start the worker')
      return 1
    }
    releaseYoungGeneration()
    log.info(
      { url: worker.url, startMs: Math.round(performance.now() - started) },
      `Kafka Connect ${opts.kind} worker started`,
    )
    if (!signalled) {
      await new Promise<void>((resolve) => {
        wakeOnSignal = resolve
      })
    }
    try {
      await worker.stop()
      return 0
    } catch (err) {
      log.error({ err }, 'The worker did not stop cleanly')
      return 1
    }
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}
