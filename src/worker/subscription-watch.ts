/**
 * When a sink consumer must rejoin because its subscription's metadata changed (Java's
 * ConsumerCoordinator.rejoinNeededOrPending): a subscribed topic that appears, a new topic matching topics.regex, a
 * partition count that changed. It checks every metadata.max.age.ms, and every few seconds while a subscribed topic
 * is missing (Java waits metadata.max.age.ms there too; a task waiting for its topic should not wait 5 minutes).
 * Its timer runs on the injected clock.
 */
import type { Clock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'

/** What a watch is given. */
export interface SubscriptionWatchOptions {
  /** The subscribed topics now (the list, or the topics matching topics.regex). */
  readonly matchingTopics: () => Promise<string[]>
  /** Partition counts of the topics that exist. */
  readonly partitionCounts: (topics: readonly string[]) => Promise<ReadonlyMap<string, number>>
  /** Called when the metadata differs from what the last join saw. */
  readonly onChange: (reason: string) => void
  /** metadata.max.age.ms. */
  readonly metadataMaxAgeMs: number
  /** The check interval while a subscribed topic does not exist (at most metadataMaxAgeMs). */
  readonly missingTopicsRefreshMs: number
  readonly clock: Clock
  readonly log: Logger
}

/** Watches one consumer's subscription; see the file comment. */
export class SubscriptionWatch {
  readonly #o: SubscriptionWatchOptions
  /** The subscription's partition counts as of the last join ("" for a topic that did not exist). */
  #snapshot = ''
  #missingTopics = false
  /** A check is running (it schedules the next one when done). */
  #checking = false
  #started = false
  #closed = false
  #cancelTimer: () => void = () => {}

  constructor(o: SubscriptionWatchOptions) {
    this.#o = o
  }

  /** Starts the periodic checks. */
  start(): void {
    this.#started = true
    this.#schedule()
  }

  /**
   * The topics to join with, remembered as the snapshot later checks compare with; a failed look-up leaves the
   * snapshot empty rather than failing the join (the next check then asks for a rejoin with a consistent view).
   */
  async topicsForJoin(): Promise<string[]> {
    const topics = await this.#o.matchingTopics()
    this.#snapshot = await this.#describe(topics).catch((err: unknown) => {
      this.#o.log.warn({ err }, "describing the subscription's topics failed")
      this.#missingTopics = true
      return ''
    })
    // A topic is missing: check again in a few seconds, not at the metadata.max.age.ms timer set before.
    if (this.#missingTopics && !this.#checking && this.#started) this.#schedule()
    return topics
  }

  /** Stops checking. */
  close(): void {
    this.#closed = true
    this.#cancelTimer()
  }

  #schedule(): void {
    if (this.#closed) return
    const maxAge = this.#o.metadataMaxAgeMs
    const delay = this.#missingTopics ? Math.min(maxAge, this.#o.missingTopicsRefreshMs) : maxAge
    this.#cancelTimer()
    this.#cancelTimer = this.#o.clock.setTimer(delay, () => void this.#check(), { unref: true })
  }

  async #check(): Promise<void> {
    this.#checking = true
    try {
      const snapshot = await this.#describe(await this.#o.matchingTopics())
      if (snapshot !== this.#snapshot) {
        this.#o.log.info({ was: this.#snapshot, now: snapshot }, "the subscription's metadata changed")
        this.#o.onChange("the subscription's metadata changed")
      }
    } catch (err) {
      this.#o.log.warn({ err }, "refreshing the subscription's metadata failed")
    } finally {
      this.#checking = false
      this.#schedule()
    }
  }

  /** Topics with their partition counts, e.g. "a:3,b:" (b does not exist); notes whether one is missing. */
  async #describe(topics: readonly string[]): Promise<string> {
    const counts = await this.#o.partitionCounts(topics)
    this.#missingTopics = topics.some((t) => !counts.has(t))
    return topics.map((t) => `${t}:${counts.get(t) ?? ''}`).join(',')
  }
}
