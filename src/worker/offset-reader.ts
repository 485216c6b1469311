/**
 * OffsetStorageReader over the offset store: every read first catches up with the offsets topic (a task that moved
 * here must see what its previous owner committed), then looks the key up by its exact bytes, falling back to the
 * store's order-independent form (offset-store.ts explains why).
 */
import type { OffsetStorageReader, SourcePartitionOffset } from '../api/contexts.ts'
import type { SourceOffset, SourcePartition } from '../api/records.ts'
import { decodeOffsetValue, type OffsetMap } from '../protocol/offset-records.ts'
import type { OffsetStore } from '../stores/offset-store.ts'

/** A connector's reader of committed source offsets. */
export class StoreOffsetReader implements OffsetStorageReader {
  readonly #store: OffsetStore
  readonly #connector: string

  constructor(store: OffsetStore, connector: string) {
    this.#store = store
    this.#connector = connector
  }

  async offset(partition: SourcePartition): Promise<SourceOffset | null> {
    const [found] = await this.offsets([partition])
    return found?.offset ?? null
  }

  async offsets(partitions: readonly SourcePartition[]): Promise<SourcePartitionOffset[]> {
    await this.#store.refresh()
    const out: SourcePartitionOffset[] = []
    for (const partition of partitions) {
      const value = this.#store.lookup(this.#connector, partition as OffsetMap)
      if (value) out.push({ partition, offset: decodeOffsetValue(value) as SourceOffset })
    }
    return out
  }
}
