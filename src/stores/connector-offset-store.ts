/**
 * Offsets of one source connector that has its own offsets topic (connector key offsets.storage.topic), layered
 * over the worker's offsets topic, as Java's ConnectorOffsetBackingStore does:
 * - reads ask both stores; the connector's topic wins where it has a value;
 * - writes go to the connector's topic first, then (best effort, failures only logged) to the worker's, so the
 *   worker's topic stays a usable fallback if the connector's topic is later dropped;
 * - tombstones go to the worker's topic first, then to the connector's, so a reset offset cannot come back from
 *   the fallback.
 */
import type { OffsetMap } from '../protocol/offset-records.ts'
import type { WaitOptions } from '../util/abort.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'
import type { KnownPartition, OffsetEntry, OffsetStore } from './offset-store.ts'

/** The two stores: the connector's own (primary) and the worker's (fallback); at least one must be given. */
export interface ConnectorOffsetStores {
  connector?: OffsetStore
  worker?: OffsetStore
  logger?: Logger
}

/** The offsets one connector reads and writes; see the file comment. Starting and stopping stay with the owners. */
export class ConnectorOffsetStore {
  readonly #primary: OffsetStore
  readonly #secondary: OffsetStore | undefined
  readonly #log: Logger

  constructor(stores: ConnectorOffsetStores) {
    const primary = stores.connector ?? stores.worker
    if (!primary) throw new TypeError('at least one offset store is needed')
    this.#primary = primary
    this.#secondary = stores.connector ? stores.worker : undefined
    this.#log = stores.logger ?? componentLogger('stores.connector-offsets')
  }

  /** Reads both topics to their ends, then answers each key, the connector's topic first. */
  async get(keys: readonly Buffer[], opts: WaitOptions = {}): Promise<(Buffer | null)[]> {
    const [primary, secondary] = await Promise.all([this.#primary.get(keys, opts), this.#secondary?.get(keys, opts)])
    return primary.map((value, i) => value ?? secondary?.[i] ?? null)
  }

  /** The value read so far for a connector's partition, the connector's topic first. */
  lookup(connector: string, partition: OffsetMap | null): Buffer | undefined {
    return this.#primary.lookup(connector, partition) ?? this.#secondary?.lookup(connector, partition)
  }

  /** The partitions with offsets in either topic (the connector's topic's key bytes first). */
  connectorPartitions(connector: string): KnownPartition[] {
    const seen = new Set<string>()
    const all: KnownPartition[] = []
    for (const store of [this.#primary, this.#secondary]) {
      for (const known of store?.connectorPartitions(connector) ?? []) {
        const id = known.key.toString('latin1')
        if (!seen.has(id)) all.push(known)
        seen.add(id)
      }
    }
    return all
  }

  /** Writes offsets in the order described in the file comment. */
  async set(entries: readonly OffsetEntry[], opts: WaitOptions = {}): Promise<void> {
    const secondary = this.#secondary
    const tombstones = entries.filter((e) => e.value === null)
    if (secondary && tombstones.length > 0) await secondary.set(tombstones, opts)
    await this.#primary.set(entries, opts)
    const regular = entries.filter((e) => e.value !== null)
    if (secondary && regular.length > 0) {
      await secondary.set(regular, opts).catch((error: unknown) => {
        this.#log.warn(
          { err: error },
          "writing offsets to the worker's offsets topic failed; the connector's topic has them",
        )
      })
    }
  }
}
