/**
 * OffsetStorageReader over the offset store: every read first catches up with the offsets topic (a task that moved
 * here must see what its previous owner committed), then looks the key up by its exact bytes, falling back to the
 * store's order-independent form (offset-store.ts explains why).
 */
import type { OffsetStorageReader, SourcePartitionOffset } from '../api/contexts.ts'
import type { SourceOffset, SourcePartition } from '../api/records.ts'
import { decodeOffsetValue, type OffsetMap } from '../protocol/offset-records.ts'
import type { OffsetStore } from '../stores/offset-store.ts'

/** What reading offsets needs: the worker's store, or a connector's own layered over it (ConnectorOffsetStore). */
export type OffsetLookup = Pick<OffsetStore, 'get' | 'lookup'>

/** A connector's reader of committed source offsets. */
export class StoreOffsetReader implements OffsetStorageReader {
  readonly #store: OffsetLookup
  readonly #connector: string

  constructor(store: OffsetLookup, connector: string) {
    this.#store = store
    this.#connector = connector
  }

  async offset(partition: SourcePartition): Promise<SourceOffset | null> {
    const [found] = await this.offsets([partition])
    return found?.offset ?? null
  }

  async offsets(partitions: readonly SourcePartition[]): Promise<SourcePartitionOffset[]> {
    // get() of no keys reads the topic(s) to their end.
    await this.#store.get([])
    const out: SourcePartitionOffset[] = []
    for (const partition of partitions) {
      const value = this.#store.lookup(this.#connector, partition as OffsetMap)
      if (value) out.push({ partition, offset: decodeOffsetValue(value) as SourceOffset })
    }
    return out
  }
}
