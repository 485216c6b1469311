/**
 * Waits that stop() cuts short: the tool tasks sleep inside poll() (a throttle, an idle source) and the worker
 * calls stop() while poll() is pending, which must make it return soon (api/task.ts). Once stopped, every sleep
 * returns at once, as Java's ThroughputThrottler does after wakeup().
 */
export class StopAwareSleep {
  #stopped = false
  readonly #wakers = new Set<() => void>()

  /** Whether stop() was called. */
  get stopped(): boolean {
    return this.#stopped
  }

  /** Resolves after `ms` (never, for Infinity) or at stop(), whichever comes first. */
  sleep(ms: number): Promise<void> {
    if (this.#stopped || ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      // setTimeout treats delays past 2^31-1 ms (and Infinity) as 1 ms: a longer wait only ends at stop().
      const timer = Number.isFinite(ms) && ms < 2 ** 31 ? setTimeout(done, ms) : undefined
      const wakers = this.#wakers
      function done(): void {
        clearTimeout(timer)
        wakers.delete(done)
        resolve()
      }
      wakers.add(done)
    })
  }

  /** Ends every pending sleep and makes later ones return at once. */
  stop(): void {
    this.#stopped = true
    for (const wake of [...this.#wakers]) wake()
  }
}
