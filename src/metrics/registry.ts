/**
 * The metrics model (Java's Metrics, MetricName and ConnectMetrics.MetricGroup): a registry of groups, each named
 * by a JMX-style domain, a type and ordered tags (`kafka.connect`, `source-task-metrics`, connector=…, task=…),
 * holding attributes: measurables (stats fed by sensors, or gauges read when collected) and string infos.
 *
 * The model knows nothing of any output format: a renderer (prometheus.ts) turns collected samples into names.
 * Recording goes through a Sensor (one call per batch on the record path, never per record, and no allocation);
 * collecting reads every group and may allocate.
 */
import { type Clock, systemClock } from '../util/clock.ts'
import { DEFAULT_SAMPLES, type Measurable, type SampleConfig, type Stat } from './stats.ts'

/** Ordered tags of a group, in JMX key order. */
export type Tags = readonly (readonly [string, string])[]

/** One attribute's value at collection time. */
export interface MetricSample {
  readonly domain: string
  /** The JMX `type=` of the group, e.g. `connect-worker-metrics`. */
  readonly type: string
  readonly tags: Tags
  /** Java's attribute name, e.g. `source-record-poll-total`. */
  readonly attribute: string
  /** A number (NaN and ±Infinity included), or a string for info attributes. */
  readonly value: number | string
}

type Attribute = { readonly measurable: Measurable } | { readonly info: () => string | null }

/** A set of attributes sharing domain, type and tags; see the file comment. */
export class MetricGroup {
  readonly domain: string
  readonly type: string
  readonly tags: Tags
  readonly #registry: MetricsRegistry
  readonly #attributes = new Map<string, Attribute>()

  constructor(registry: MetricsRegistry, domain: string, type: string, tags: Tags) {
    this.#registry = registry
    this.domain = domain
    this.type = type
    this.tags = tags
  }

  /** A new sensor whose stats record with this group's registry clock and sampling. */
  sensor(): Sensor {
    return new Sensor(this, this.#registry.clock)
  }

  /** The sampling of windowed stats in this registry. */
  get sampleConfig(): SampleConfig {
    return this.#registry.sampleConfig
  }

  /** Adds a measurable attribute (a stat a sensor feeds, or any measurable). */
  add(attribute: string, measurable: Measurable): this {
    this.#attributes.set(attribute, { measurable })
    return this
  }

  /** Adds an attribute read when collected (Java's Gauge / addValueMetric). */
  gauge(attribute: string, read: (now: number) => number): this {
    return this.add(attribute, { measure: read })
  }

  /** Adds a string attribute (null omits it from the collection). */
  info(attribute: string, read: () => string | null): this {
    this.#attributes.set(attribute, { info: read })
    return this
  }

  /** Removes the group from its registry (its sensors may still record; nothing reads them). */
  close(): void {
    this.#registry.remove(this)
  }

  /** Appends this group's samples at `now`. */
  collectInto(out: MetricSample[], now: number): void {
    for (const [attribute, a] of this.#attributes) {
      let value: number | string | null
      if ('measurable' in a) value = a.measurable.measure(now)
      else value = a.info()
      if (value === null) continue
      out.push({ domain: this.domain, type: this.type, tags: this.tags, attribute, value })
    }
  }
}

/** Java's Sensor: one record() call feeds every stat added to it. */
export class Sensor {
  readonly #group: MetricGroup
  readonly #clock: Clock
  readonly #stats: Stat[] = []

  constructor(group: MetricGroup, clock: Clock) {
    this.#group = group
    this.#clock = clock
  }

  /** Feeds `stat` from this sensor and adds it to the group as `attribute`. */
  add(attribute: string, stat: Stat): this {
    this.#stats.push(stat)
    this.#group.add(attribute, stat)
    return this
  }

  /** Feeds `stat` from this sensor without naming it (its parts are added to the group by the caller). */
  feed(stat: Stat): this {
    this.#stats.push(stat)
    return this
  }

  /** Records one value (1 by default) at `now` (the registry clock's time by default). */
  record(value = 1, now: number = this.#clock.now()): void {
    const stats = this.#stats
    for (let i = 0; i < stats.length; i++) (stats[i] as Stat).record(value, now)
  }
}

/** Options of a registry. */
export interface MetricsRegistryOptions {
  clock?: Clock
  /** Sampling of windowed stats (Java's metrics.num.samples and metrics.sample.window.ms). */
  sampleConfig?: SampleConfig
}

const groupKey = (domain: string, type: string, tags: Tags) =>
  `${domain}\u0000${type}\u0000${tags.map(([k, v]) => `${k}=${v}`).join('\u0000')}`

/** All groups of one worker; see the file comment. */
export class MetricsRegistry {
  readonly clock: Clock
  readonly sampleConfig: SampleConfig
  readonly #groups = new Map<string, MetricGroup>()
  readonly #sources: ((out: MetricSample[], now: number) => void)[] = []

  constructor(o: MetricsRegistryOptions = {}) {
    this.clock = o.clock ?? systemClock
    this.sampleConfig = o.sampleConfig ?? DEFAULT_SAMPLES
  }

  /**
   * A new group; one with the same domain, type and tags is replaced (a restarted task's group replaces the old
   * instance's, whose later close() then leaves the new one alone).
   */
  group(domain: string, type: string, tags: Tags = []): MetricGroup {
    const g = new MetricGroup(this, domain, type, tags)
    this.#groups.set(groupKey(domain, type, tags), g)
    return g
  }

  /** Removes `group` if it is still the registered one. */
  remove(group: MetricGroup): void {
    const k = groupKey(group.domain, group.type, group.tags)
    if (this.#groups.get(k) === group) this.#groups.delete(k)
  }

  /**
   * Adds samples made when collected, for groups that come and go with things the registry does not own (Java's
   * MetricsReporter view of client metrics): e.g. one group per Kafka client seen.
   */
  addSource(source: (out: MetricSample[], now: number) => void): void {
    this.#sources.push(source)
  }

  /** Every attribute of every group, measured now. */
  collect(): MetricSample[] {
    const now = this.clock.now()
    const out: MetricSample[] = []
    for (const g of this.#groups.values()) g.collectInto(out, now)
    for (const source of this.#sources) source(out, now)
    return out
  }
}
