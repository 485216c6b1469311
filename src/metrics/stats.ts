/**
 * The statistics a sensor keeps, with the semantics of Kafka's org.apache.kafka.common.metrics.stats: cumulative
 * ones (CumulativeSum, CumulativeCount, Value) and windowed ones (SampledStat: Rate, Avg, Max, Min, Frequencies),
 * which keep `samples` windows of `windowMs` each (Java's metrics.num.samples=2, metrics.sample.window.ms=30000)
 * and forget a window once it is older than samples × windowMs.
 *
 * Recording never allocates: a windowed stat owns a fixed ring of samples, reset in place when it advances.
 */

/** A value a metric reports when measured at `now` (ms). */
export interface Measurable {
  measure(now: number): number
}

/** A statistic a sensor feeds. */
export interface Stat extends Measurable {
  record(value: number, now: number): void
}

/** How windowed stats sample (Java's MetricConfig). */
export interface SampleConfig {
  /** metrics.num.samples (Java's default 2). */
  readonly samples: number
  /** metrics.sample.window.ms (Java's default 30000). */
  readonly windowMs: number
}

/** Java's defaults. */
export const DEFAULT_SAMPLES: SampleConfig = { samples: 2, windowMs: 30_000 }

/** Java's CumulativeSum: the sum of every recorded value. */
export class CumulativeSum implements Stat {
  #total = 0
  record(value: number): void {
    this.#total += value
  }
  measure(): number {
    return this.#total
  }
}

/** Java's CumulativeCount: how many values were recorded. */
export class CumulativeCount implements Stat {
  #count = 0
  record(): void {
    this.#count++
  }
  measure(): number {
    return this.#count
  }
}

/** Java's Value: the last recorded value (0 before any). */
export class LastValue implements Stat {
  #value = 0
  record(value: number): void {
    this.#value = value
  }
  measure(): number {
    return this.#value
  }
}

/** One window of a SampledStat. */
interface Sample {
  value: number
  count: number
  start: number
}

/**
 * Java's SampledStat: a ring of windows; a window is complete once windowMs passed since it started, and
 * measuring first resets windows older than samples × windowMs.
 */
abstract class SampledStat implements Stat {
  protected readonly samples: Sample[]
  protected readonly config: SampleConfig
  #current = 0
  readonly #initial: number

  constructor(initial: number, config: SampleConfig) {
    this.config = config
    this.#initial = initial
    this.samples = []
    // Java grows the ring lazily; a fixed ring with windows started at -Infinity behaves the same once measured.
    for (let i = 0; i < Math.max(1, config.samples); i++) {
      this.samples.push({ value: initial, count: 0, start: i === 0 ? Number.NaN : Number.NEGATIVE_INFINITY })
    }
  }

  record(value: number, now: number): void {
    let s = this.samples[this.#current] as Sample
    if (Number.isNaN(s.start)) s.start = now
    else if (now - s.start >= this.config.windowMs) {
      this.#current = (this.#current + 1) % this.samples.length
      s = this.samples[this.#current] as Sample
      this.#reset(s, now)
    }
    this.update(s, value)
    s.count++
  }

  #reset(s: Sample, now: number): void {
    s.value = this.#initial
    s.count = 0
    s.start = now
  }

  /** Java's purgeObsoleteSamples. */
  protected purge(now: number): void {
    const expireAge = this.samples.length * this.config.windowMs
    for (const s of this.samples) {
      if (Number.isNaN(s.start)) s.start = now
      else if (now - s.start >= expireAge) this.#reset(s, now)
    }
  }

  /** The oldest window's start (Java's SampledStat.oldest). */
  protected oldest(now: number): number {
    let oldest = now
    for (const s of this.samples) if (s.start < oldest && Number.isFinite(s.start)) oldest = s.start
    return oldest
  }

  measure(now: number): number {
    this.purge(now)
    return this.combine(now)
  }

  protected abstract update(sample: Sample, value: number): void
  protected abstract combine(now: number): number
}

/** Java's WindowedSum (the sampled part of Rate). */
class WindowedSum extends SampledStat {
  constructor(config: SampleConfig) {
    super(0, config)
  }
  protected update(s: Sample, value: number): void {
    s.value += value
  }
  protected combine(): number {
    let total = 0
    for (const s of this.samples) total += s.value
    return total
  }
  /** Java's Rate.windowSize: at least samples-1 full windows, never 0. */
  windowMs(now: number): number {
    this.purge(now)
    let elapsed = now - this.oldest(now)
    const full = Math.floor(elapsed / this.config.windowMs)
    const minFull = this.samples.length - 1
    if (full < minFull) elapsed += (minFull - full) * this.config.windowMs
    return elapsed === 0 ? 1 : elapsed
  }
}

/** Java's Rate (per second) over the recorded values (or, with `count`, over the number of records). */
export class Rate implements Stat {
  readonly #sum: WindowedSum
  readonly #count: boolean
  readonly #unitMs: number

  /**
   * A rate per second; `count` counts records instead of summing values (Java's Rate over a WindowedCount), and
   * `unitMs` changes the time unit (3_600_000 for Java's Rate(TimeUnit.HOURS)).
   */
  constructor(config: SampleConfig = DEFAULT_SAMPLES, options: { count?: boolean; unitMs?: number } = {}) {
    this.#sum = new WindowedSum(config)
    this.#count = options.count ?? false
    this.#unitMs = options.unitMs ?? 1000
  }
  record(value: number, now: number): void {
    this.#sum.record(this.#count ? 1 : value, now)
  }
  measure(now: number): number {
    const total = this.#sum.measure(now)
    return total / (this.#sum.windowMs(now) / this.#unitMs)
  }
}

/** Java's Avg: the mean of the values in the live windows (NaN when none). */
export class Avg extends SampledStat {
  constructor(config: SampleConfig = DEFAULT_SAMPLES) {
    super(0, config)
  }
  protected update(s: Sample, value: number): void {
    s.value += value
  }
  protected combine(): number {
    let sum = 0
    let count = 0
    for (const s of this.samples) {
      sum += s.value
      count += s.count
    }
    return count === 0 ? Number.NaN : sum / count
  }
}

/** Java's Max: the largest value in the live windows (NaN when none). */
export class Max extends SampledStat {
  constructor(config: SampleConfig = DEFAULT_SAMPLES) {
    super(Number.NEGATIVE_INFINITY, config)
  }
  protected update(s: Sample, value: number): void {
    if (value > s.value) s.value = value
  }
  protected combine(): number {
    let max = Number.NEGATIVE_INFINITY
    let count = 0
    for (const s of this.samples) {
      if (s.value > max) max = s.value
      count += s.count
    }
    return count === 0 ? Number.NaN : max
  }
}

/** Java's Min: the smallest value in the live windows (NaN when none). */
export class Min extends SampledStat {
  constructor(config: SampleConfig = DEFAULT_SAMPLES) {
    super(Number.POSITIVE_INFINITY, config)
  }
  protected update(s: Sample, value: number): void {
    if (value < s.value) s.value = value
  }
  protected combine(): number {
    let min = Number.POSITIVE_INFINITY
    let count = 0
    for (const s of this.samples) {
      if (s.value < min) min = s.value
      count += s.count
    }
    return count === 0 ? Number.NaN : min
  }
}

/**
 * Java's Frequencies.forBooleanValues: records 1 (true) or 0 (false); `trueRatio` and `falseRatio` measure the
 * share of each in the live windows (0 when nothing was recorded).
 */
export class BooleanFrequencies implements Stat {
  readonly #true: WindowedSum
  readonly #all: WindowedSum
  /** The share of true records. */
  readonly trueRatio: Measurable
  /** The share of false records. */
  readonly falseRatio: Measurable

  constructor(config: SampleConfig = DEFAULT_SAMPLES) {
    this.#true = new WindowedSum(config)
    this.#all = new WindowedSum(config)
    const ratio = (now: number, wanted: boolean): number => {
      const all = this.#all.measure(now)
      if (all === 0) return 0
      const t = this.#true.measure(now)
      return (wanted ? t : all - t) / all
    }
    this.trueRatio = { measure: (now) => ratio(now, true) }
    this.falseRatio = { measure: (now) => ratio(now, false) }
  }
  record(value: number, now: number): void {
    this.#true.record(value === 0 ? 0 : 1, now)
    this.#all.record(1, now)
  }
  measure(now: number): number {
    return this.trueRatio.measure(now)
  }
}
