/**
 * Reads a Connect cluster's status topic directly: every state change either runtime makes is a record there, in
 * the same bytes (key status-task-<connector>-<id> or status-connector-<connector>, value JSON with state and
 * worker_id). Cheaper than polling thousands of REST status calls, and it sees transitions that polling misses.
 */
import { createFetchClient } from '../../src/kafka/clients.ts'
import { fetchPartition } from '../../src/kafka/fetch.ts'
import type { BenchContext } from './harness.ts'

/** One record of the status topic. */
export interface StatusRecord {
  key: string
  state?: string
  workerId?: string
}

/** An incremental reader of one status topic. */
export class StatusTopicReader {
  readonly topic: string
  /** The latest state of each key ("status-task-c-0" → record). */
  readonly latest = new Map<string, StatusRecord>()
  readonly #consumer: ReturnType<typeof createFetchClient>
  #positions = new Map<number, bigint>()

  constructor(ctx: BenchContext, topic: string) {
    this.topic = topic
    this.#consumer = createFetchClient({ 'bootstrap.servers': ctx.bootstrap, 'client.id': 'bench-status-reader' })
  }

  /** The topic's current end offsets. */
  async ends(): Promise<Map<number, bigint>> {
    const metadata = await this.#consumer.metadata({ topics: [this.topic], forceUpdate: true })
    const count = metadata.topics.get(this.topic)?.partitionsCount ?? 1
    const partitions = Array.from({ length: count }, (_, i) => i)
    const answer = await this.#consumer.listOffsets({
      topics: [this.topic],
      partitions: { [this.topic]: partitions },
      timestamp: -1n,
    })
    const ends = answer.get(this.topic) ?? []
    return new Map(partitions.map((p) => [p, ends[p] ?? 0n]))
  }

  /** Skips everything written so far: the next read starts at the current end. */
  async skipToEnd(): Promise<void> {
    this.#positions = await this.ends()
  }

  /** Reads what was written since the last read, up to the current end; answers those records. */
  async read(): Promise<StatusRecord[]> {
    const ends = await this.ends()
    const out: StatusRecord[] = []
    for (const [p, end] of ends) {
      let offset = this.#positions.get(p) ?? 0n
      while (offset < end) {
        const batch = await fetchPartition(this.#consumer, this.topic, p, offset, {
          maxWaitMs: 100,
          maxBytes: 4 * 1024 * 1024,
        })
        let next = batch.nextOffset
        for (const r of batch.records) {
          // Records past the end noted above are left for the next read (the batch may run beyond it).
          if (r.offset >= end) {
            next = BigInt(r.offset)
            break
          }
          const record: StatusRecord = { key: r.key?.toString() ?? '' }
          try {
            const value = r.value ? (JSON.parse(r.value.toString()) as { state?: string; worker_id?: string }) : {}
            if (value.state) record.state = value.state
            if (value.worker_id) record.workerId = value.worker_id
          } catch {}
          out.push(record)
          this.latest.set(record.key, record)
        }
        if (next <= offset) break
        offset = next
      }
      this.#positions.set(p, offset)
    }
    return out
  }

  /** How many tasks are RUNNING, by their latest status. */
  tasksRunning(): number {
    let n = 0
    for (const [key, r] of this.latest) if (key.startsWith('status-task-') && r.state === 'RUNNING') n++
    return n
  }

  close(): Promise<void> {
    return this.#consumer.close()
  }
}
