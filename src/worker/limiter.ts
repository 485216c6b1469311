/**
 * A counting semaphore: at most `limit` starts or stops of connectors and tasks run at once (the worker-api
 * contract); further callers wait in arrival order.
 */

/** Bounds how many async operations run at once. */
export class Limiter {
  readonly #limit: number
  #running = 0
  readonly #waiting: (() => void)[] = []

  constructor(limit: number) {
    this.#limit = Math.max(1, limit)
  }

  /** Runs `op` once a slot is free; the slot is released when it settles. */
  async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#running++
    try {
      return await op()
    } finally {
      // Hand the slot straight to the next waiter, so the count never dips and lets a newcomer jump the queue.
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }
}
