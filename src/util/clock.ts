/**
 * Time as a dependency: code that waits, times out or timestamps takes a Clock, so tests drive time by hand instead
 * of sleeping (design habit 12). Every timer of the worker, the herder and REST goes through one.
 *
 * `sleep` resolves after the delay, or rejects with the signal's ABORTED error when the signal aborts first;
 * `setTimer` calls back after the delay unless cancelled. A manual clock runs sleepers and timers only when the test
 * advances it past their deadline, earliest first.
 */
import { signalError } from './abort.ts'

/** Options of Clock.setTimer. */
export interface TimerOptions {
  /**
   * Whether a pending timer may let the process exit (Node's `unref`): for timers that only matter while something
   * else keeps the process alive, such as the herder's scheduled jobs.
   */
  readonly unref?: boolean
}

/** A source of the current time and of cancellable delays. */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences matter). */
  now(): number
  /** Resolves after `ms` milliseconds; rejects with the signal's ABORTED error if the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Calls `fn` once after `ms` milliseconds; the answer cancels it (a no-op once it ran). */
  setTimer(ms: number, fn: () => void, options?: TimerOptions): () => void
}

/** The real clock: Date.now and setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(signalError(signal))
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer)
        reject(signalError(signal as AbortSignal))
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  },
  setTimer(ms, fn, options) {
    const timer = setTimeout(fn, Math.max(0, ms))
    if (options?.unref === true) timer.unref()
    return () => clearTimeout(timer)
  },
}

interface Sleeper {
  at: number
  resolve: () => void
}

/** A clock that moves only when told: for tests of timeouts, backoffs and scheduled delays. */
export class ManualClock implements Clock {
  #now: number
  #sleepers: Sleeper[] = []

  constructor(start = 0) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  /**
   * How many sleeps and timers are pending: lets a test wait until the code under test has started waiting.
   */
  get pendingSleeps(): number {
    return this.#sleepers.length
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signalError(signal))
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper)
        reject(signalError(signal as AbortSignal))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#sleepers.push(sleeper)
    })
  }

  setTimer(ms: number, fn: () => void): () => void {
    const sleeper: Sleeper = { at: this.#now + Math.max(0, ms), resolve: fn }
    this.#sleepers.push(sleeper)
    return () => {
      this.#sleepers = this.#sleepers.filter((s) => s !== sleeper)
    }
  }

  /** Moves time forward by `ms` and wakes every sleeper and timer whose deadline has passed, earliest first. */
  advance(ms: number): void {
    this.#now += ms
    const due = this.#sleepers.filter((s) => s.at <= this.#now).sort((a, b) => a.at - b.at)
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now)
    for (const s of due) s.resolve()
  }
}
