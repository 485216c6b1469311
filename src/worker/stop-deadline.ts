/**
 * One deadline shared by a batch of graceful stops (Java's Worker.stopAndAwaitTasks computes one `now + timeout`
 * and waits on every task with what is left of it): the stops are asked for at once and the batch takes at most
 * task.shutdown.graceful.timeout.ms, however many stops are slow.
 */
import type { Clock } from '../util/clock.ts'

/** A deadline `ms` from now on `clock`, as an AbortSignal. */
export class StopDeadline {
  readonly ms: number
  readonly signal: AbortSignal
  /** Cancels the deadline's timer (once every stop it was for ended). */
  readonly cancel: () => void

  constructor(ms: number, clock: Clock) {
    this.ms = Math.max(0, ms)
    const controller = new AbortController()
    this.signal = controller.signal
    // Unref'd: a deadline nobody waits on any more must not keep the process alive.
    this.cancel = clock.setTimer(this.ms, () => controller.abort(new Error(`the ${this.ms} ms stop deadline passed`)), {
      unref: true,
    })
  }

  /** Resolves with `work`'s value, or with false once the deadline passed first. */
  race(work: Promise<boolean>): Promise<boolean> {
    if (this.signal.aborted) return Promise.resolve(false)
    return new Promise<boolean>((resolve) => {
      const onDeadline = () => resolve(false)
      this.signal.addEventListener('abort', onDeadline, { once: true })
      work.then(
        (value) => {
          this.signal.removeEventListener('abort', onDeadline)
          resolve(value)
        },
        () => {
          this.signal.removeEventListener('abort', onDeadline)
          resolve(true)
        },
      )
    })
  }
}
