/**
 * What a task's owner (the worker) tells its loop, and how the loop waits for it: pause, resume, and the
 * two-stage stop (design habit 8). The soft stop asks the loop to stop polling, finish what is in flight and commit
 * offsets (Invariant 4: shutdown drains by default); the hard stop, after task.shutdown.graceful.timeout.ms,
 * abandons whatever is still pending. Both stops abort their signal with an ABORTED ConnectError (util/abort.ts).
 */
import { abortReason } from '../util/abort.ts'
import { type Clock, systemClock } from '../util/clock.ts'

/** The signals between a task's owner and its loop. One instance per task run. */
export class TaskControl {
  #paused: boolean
  readonly #soft = new AbortController()
  readonly #hard = new AbortController()
  readonly #clock: Clock
  #wakers: (() => void)[] = []

  /** A control that starts paused or not; waitForChange's timeouts run on `clock`. */
  constructor(paused = false, clock: Clock = systemClock) {
    this.#paused = paused
    this.#clock = clock
  }

  get paused(): boolean {
    return this.#paused
  }

  /** Aborts on the soft stop: stop taking new work. */
  get softSignal(): AbortSignal {
    return this.#soft.signal
  }

  /** Aborts on the hard stop: give up waiting for anything. */
  get hardSignal(): AbortSignal {
    return this.#hard.signal
  }

  get stopping(): boolean {
    return this.#soft.signal.aborted
  }

  pause(): void {
    this.#paused = true
    this.#wake()
  }

  resume(): void {
    this.#paused = false
    this.#wake()
  }

  /** The soft stop. */
  stop(): void {
    this.#soft.abort(abortReason('the task is stopping'))
    this.#wake()
  }

  /** The hard stop (implies the soft one). */
  abandon(): void {
    this.stop()
    this.#hard.abort(abortReason('the task was abandoned'))
  }

  /** Wakes a loop sleeping in waitForChange (e.g. a commit was requested). */
  wake(): void {
    this.#wake()
  }

  /** Resolves on the next pause, resume, stop or wake, or after `timeoutMs` on the control's clock. */
  waitForChange(timeoutMs: number): Promise<void> {
    if (this.stopping) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const done = () => {
        cancel()
        this.#wakers = this.#wakers.filter((w) => w !== done)
        resolve()
      }
      const cancel = this.#clock.setTimer(timeoutMs, done)
      this.#wakers.push(done)
    })
  }

  #wake(): void {
    const wakers = this.#wakers
    this.#wakers = []
    for (const w of wakers) w()
  }
}
