/**
 * Why a sink task's partitions are paused, and the consumer kept in line with it. Three reasons: the task paused
 * some partitions (context.pause()); a redelivery after a retriable put() failure holds all of them until
 * context.timeout() passed; a PAUSED target state holds all of them. A partition reads again only when no reason
 * holds it, so resuming one reason never undoes another.
 */
import type { TopicPartition } from '../api/contexts.ts'
import type { SinkConsumer } from './sink-consumer.ts'

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`

/** The pause reasons of one sink task; see the file comment. Owned by the sink loop. */
export class PauseReasons {
  readonly #consumer: Pick<SinkConsumer, 'assignment' | 'pause' | 'resume'>
  /** Partitions the task paused itself. */
  readonly #byTask = new Set<string>()
  #redelivery = false
  #target = false

  constructor(consumer: Pick<SinkConsumer, 'assignment' | 'pause' | 'resume'>) {
    this.#consumer = consumer
  }

  /** Whether a redelivery holds every partition. */
  get redelivering(): boolean {
    return this.#redelivery
  }

  /** Whether the PAUSED target state holds every partition. */
  get targetPaused(): boolean {
    return this.#target
  }

  /** context.pause(): the task holds these partitions. */
  pauseByTask(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#byTask.add(key(p))
    this.#consumer.pause(partitions)
  }

  /** context.resume(): the task lets these go; they read again unless every partition is held. */
  resumeByTask(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#byTask.delete(key(p))
    if (!this.#holdsAll()) this.#consumer.resume(partitions)
  }

  /** A redelivery starts (true) or ends (false). */
  setRedelivery(on: boolean): void {
    if (on === this.#redelivery) return
    this.#redelivery = on
    this.#apply(on)
  }

  /** The target state becomes PAUSED (true) or STARTED (false). */
  setTargetPaused(paused: boolean): void {
    if (paused === this.#target) return
    this.#target = paused
    this.#apply(paused)
  }

  /** Newly assigned partitions are held too while every partition is. */
  assigned(partitions: readonly TopicPartition[]): void {
    if (this.#holdsAll()) this.#consumer.pause(partitions)
  }

  /** Revoked partitions are forgotten. */
  revoked(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#byTask.delete(key(p))
  }

  #holdsAll(): boolean {
    return this.#redelivery || this.#target
  }

  #apply(pausing: boolean): void {
    const all = this.#consumer.assignment()
    if (pausing) this.#consumer.pause(all)
    else if (!this.#holdsAll()) this.#consumer.resume(all.filter((p) => !this.#byTask.has(key(p))))
  }
}
