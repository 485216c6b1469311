/**
 * One running task's lifecycle, whatever its kind: runs its loop in the background, reports its status
 * (RUNNING, PAUSED, FAILED with the trace), and stops it in two stages (design habit 8): the soft stop, then,
 * after task.shutdown.graceful.timeout.ms, abandonment (the task's promise is left to settle on its own).
 */
import { toError } from '../errors.ts'
import type { ConnectState } from '../stores/status-store.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import { StopDeadline } from './stop-deadline.ts'
import type { TaskControl } from './task-control.ts'

/** Java-style stack trace of an error and its causes, for FAILED statuses. */
export function traceOf(error: unknown): string {
  const parts: string[] = []
  let e: unknown = error
  let first = true
  while (e !== undefined && e !== null && parts.length < 10) {
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e)
    parts.push(first ? text : `Caused by: ${text}`)
    first = false
    e = e instanceof Error ? e.cause : undefined
  }
  return parts.join('\n')
}

/** What a runner is given. */
export interface TaskRunnerOptions {
  control: TaskControl
  /** The loop; resolves on a clean stop, rejects on failure. */
  loop: () => Promise<void>
  /** Releases clients and plugins after the loop ended (or was abandoned). */
  cleanup: () => Promise<void>
  writeStatus: (state: ConnectState, trace: string | null) => Promise<void>
  onFailure: (error: Error) => void
  gracefulTimeoutMs: number
  log: Logger
  /** The clock of the graceful timeout (the real one by default). */
  clock?: Clock
}

/** Runs and stops one task. */
export class TaskRunner {
  readonly #o: TaskRunnerOptions
  #done: Promise<void> | null = null
  #failed = false
  #stopped = false

  constructor(o: TaskRunnerOptions) {
    this.#o = o
  }

  get control(): TaskControl {
    return this.#o.control
  }

  /** Whether the loop ended with a failure. */
  get failed(): boolean {
    return this.#failed
  }

  /** Starts the loop in the background. */
  start(): void {
    this.#done = this.#run()
  }

  async #run(): Promise<void> {
    try {
      await this.#o.loop()
    } catch (error) {
      if (!this.#o.control.hardSignal.aborted) {
        this.#failed = true
        const err = toError(error)
        this.#o.log.error({ err }, 'Task threw an uncaught and unrecoverable exception. Task is being killed')
        await this.#o.writeStatus('FAILED', traceOf(err)).catch(() => {})
        this.#o.onFailure(err)
      }
    } finally {
      this.#stopped = true
      await this.#o.cleanup().catch((err: unknown) => this.#o.log.warn({ err }, 'closing the task failed'))
    }
  }

  /** Pauses or resumes, writing the status. */
  async setPaused(paused: boolean): Promise<void> {
    if (this.#failed) return
    if (paused) this.#o.control.pause()
    else this.#o.control.resume()
    await this.#o.writeStatus(paused ? 'PAUSED' : 'RUNNING', null)
  }

  /**
   * The soft stop, then abandonment once `deadline` aborts (by default task.shutdown.graceful.timeout.ms from now;
   * the worker passes one deadline for a whole batch). Resolves when stopped or abandoned; an abandoned task's loop
   * settles in the background and nobody waits on it again.
   */
  async stop(shared?: AbortSignal): Promise<void> {
    const own =
      shared === undefined ? new StopDeadline(this.#o.gracefulTimeoutMs, this.#o.clock ?? systemClock) : undefined
    try {
      await this.#stop(shared ?? (own as StopDeadline).signal)
    } finally {
      own?.cancel()
    }
  }

  async #stop(deadline: AbortSignal): Promise<void> {
    this.#o.control.stop()
    const done = this.#done ?? Promise.resolve()
    const abandoned = await new Promise<boolean>((resolve) => {
      if (deadline.aborted) return resolve(true)
      const onDeadline = () => resolve(true)
      deadline.addEventListener('abort', onDeadline, { once: true })
      void done.then(() => {
        deadline.removeEventListener('abort', onDeadline)
        resolve(false)
      })
    })
    if (abandoned && !this.#stopped) {
      this.#o.log.error(
        `Graceful stop of task failed: it did not stop within ${this.#o.gracefulTimeoutMs} ms; abandoning it`,
      )
      this.#o.control.abandon()
    }
  }
}
