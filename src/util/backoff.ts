/**
 * Exponential backoff without jitter: `initial × multiplier^(failures-1)`, capped. Deterministic on purpose, so
 * tests with a ManualClock know exactly when the next try happens.
 */

/** The delay before the next try after `failures` consecutive failures (≥ 1). */
export function exponentialBackoff(failures: number, initialMs: number, maxMs: number, multiplier = 2): number {
  if (failures <= 0) return 0
  return Math.min(maxMs, initialMs * multiplier ** Math.min(failures - 1, 30))
}
