/**
 * Java's org.apache.kafka.server.util.ThroughputThrottler, the pacing of VerifiableSourceTask and SchemaSourceTask,
 * split into its decision (pure, so unit-testable) and the sleep the task does on it.
 *
 *   - targetThroughput < 0: never throttles; but a throttle() call (SchemaSource, once all its messages are sent)
 *     sleeps until woken, as Java's Long.MAX_VALUE sleep time does.
 *   - targetThroughput = 0: throttles as soon as anything was sent, and then sleeps until woken.
 *   - otherwise: each throttle() adds 1/targetThroughput seconds to a sleep deficit, slept off once it reaches 2 ms.
 */

const MIN_SLEEP_MS = 2

/** The pacing of one task: messages per second since `startMs`. */
export class ThroughputThrottler {
  readonly #startMs: number
  readonly #targetThroughput: number
  readonly #sleepTimeMs: number
  #sleepDeficitMs = 0

  /** @param targetThroughput messages per second; negative for unlimited, 0 for "stop after the first". */
  constructor(targetThroughput: number, startMs: number) {
    this.#startMs = startMs
    this.#targetThroughput = targetThroughput
    this.#sleepTimeMs = targetThroughput > 0 ? 1000 / targetThroughput : Number.POSITIVE_INFINITY
  }

  /** Java's shouldThrottle: whether `amountSoFar` messages by `sendStartMs` run faster than the target. */
  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.#targetThroughput < 0) return false
    // Java computes the elapsed seconds as a float.
    const elapsedSec = Math.fround((sendStartMs - this.#startMs) / 1000)
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.#targetThroughput
  }

  /**
   * Java's throttle() as a duration: how long to sleep now (0: not yet, Infinity: until woken). The deficit is
   * cleared by the call that returns it, as Java clears it after its sleep.
   */
  throttleMs(): number {
    if (this.#targetThroughput === 0) return Number.POSITIVE_INFINITY
    this.#sleepDeficitMs += this.#sleepTimeMs
    if (this.#sleepDeficitMs < MIN_SLEEP_MS) return 0
    const ms = this.#sleepDeficitMs
    this.#sleepDeficitMs = 0
    return ms
  }
}
