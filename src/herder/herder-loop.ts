/**
 * The herder's one loop (design habit 5): every change of herder state happens in a job run here, one at a time,
 * in the order they were queued. REST requests, rebalance outcomes, config-topic updates, worker events and timers
 * all become jobs; callers enqueue and await the job's promise.
 *
 * The loop names what it is doing (habit 6): each job carries a description, the current one is the herder's
 * stage, and a REST request that times out says what the herder was busy with.
 */

import { WorkerShuttingDownError } from '../errors.ts'
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'
import type { HerderStage } from './herder.ts'

interface Job {
  readonly description: string
  /** Runs the job; answers how to tell its caller, called once the stage is marked completed. */
  readonly run: () => Promise<() => void>
  /** Called instead of run when the loop stops first. */
  readonly cancel: (error: Error) => void
}

/** A queue of jobs run one at a time. */
export class HerderLoop {
  readonly #jobs: Job[] = []
  readonly #clock: Clock
  readonly #log: Logger
  /** The cancels of the pending schedule() timers. */
  readonly #timers = new Set<() => void>()
  #wake: (() => void) | null = null
  #running: Promise<void> | null = null
  #stopping = false
  #stage: HerderStage | undefined
  readonly #jobListeners = new Set<(stage: Required<HerderStage>) => void>()

  constructor(clock: Clock, log: Logger) {
    this.#clock = clock
    this.#log = log
  }

  /** What the loop is doing now, or last did. */
  get stage(): HerderStage | undefined {
    return this.#stage
  }

  /**
   * Calls `listener` with each job's stage once it completed, so that how long the loop was held is observable
   * (the load test checks that no job waits on a task); answers how to stop listening.
   */
  onJobDone(listener: (stage: Required<HerderStage>) => void): () => void {
    this.#jobListeners.add(listener)
    return () => this.#jobListeners.delete(listener)
  }

  /** Starts running jobs. */
  start(): void {
    this.#running ??= this.#run()
  }

  /**
   * Queues `fn` and resolves with its result once the loop has run it.
   * @throws WorkerShuttingDownError once stop() was called
   */
  submit<T>(description: string, fn: () => Promise<T> | T): Promise<T> {
    return this.#submit(description, fn, false)
  }

  /**
   * Like submit, but ahead of every queued job: for the herder's start, which REST requests that came earlier must
   * wait for (REST listens before the herder starts).
   */
  submitFirst<T>(description: string, fn: () => Promise<T> | T): Promise<T> {
    return this.#submit(description, fn, true)
  }

  #submit<T>(description: string, fn: () => Promise<T> | T, first: boolean): Promise<T> {
    if (this.#stopping) return Promise.reject(new WorkerShuttingDownError())
    return new Promise<T>((resolve, reject) => {
      this.#push(
        {
          description,
          run: async () => {
            try {
              const value = await fn()
              return () => resolve(value)
            } catch (error) {
              return () => reject(error)
            }
          },
          cancel: reject,
        },
        first,
      )
    })
  }

  /** Queues `fn` without waiting for it; a failure is logged. For events (config updates, worker callbacks). */
  post(description: string, fn: () => Promise<void> | void): void {
    if (this.#stopping) return
    this.#push({
      description,
      run: async () => {
        try {
          await fn()
        } catch (err) {
          this.#log.error({ err, job: description }, 'Herder job failed')
        }
        return () => {}
      },
      cancel: () => {},
    })
  }

  /**
   * Posts `fn` after `delayMs` on the loop's clock; the timer is cancelled by stop(), and never keeps the process
   * alive on its own.
   */
  schedule(description: string, delayMs: number, fn: () => Promise<void> | void): void {
    const cancel = this.#clock.setTimer(
      delayMs,
      () => {
        this.#timers.delete(cancel)
        this.post(description, fn)
      },
      { unref: true },
    )
    this.#timers.add(cancel)
  }

  /** Refuses new jobs, fails queued ones with "Worker is shutting down", and waits for the job in progress. */
  async stop(): Promise<void> {
    this.#stopping = true
    for (const cancel of this.#timers) cancel()
    this.#timers.clear()
    const wake = this.#wake
    this.#wake = null
    wake?.()
    await this.#running
  }

  #push(job: Job, first = false): void {
    if (first) this.#jobs.unshift(job)
    else this.#jobs.push(job)
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  async #run(): Promise<void> {
    for (;;) {
      const job = this.#jobs.shift()
      if (job === undefined) {
        if (this.#stopping) return
        await new Promise<void>((resolve) => {
          this.#wake = resolve
        })
        continue
      }
      if (this.#stopping) {
        // Queued requests fail as Java's do when the herder stops; queued events are dropped.
        job.cancel(new WorkerShuttingDownError())
        continue
      }
      this.#stage = { description: job.description, started: this.#clock.now() }
      const settle = await job.run()
      const done = { ...this.#stage, completed: this.#clock.now() }
      this.#stage = done
      for (const listener of this.#jobListeners) listener(done)
      settle()
    }
  }
}
