/**
 * A small LRU cache from an input schema to the schema an SMT derived from it (Java's SynchronizedCache over an
 * LRUCache of 16). Lookups go by identity first, then by Java's schema equality, so that converters that build an
 * equal schema for every record still hit.
 */
import { type Schema, schemasEqual } from '../../data/schema.ts'

/** Java's per-transform cache size. */
export const SCHEMA_CACHE_SIZE = 16

/** A bounded map of schemas to derived schemas, least recently used evicted first. */
export class SchemaCache<V = Schema> {
  readonly #max: number
  readonly #entries = new Map<Schema, V>()

  constructor(max = SCHEMA_CACHE_SIZE) {
    this.#max = max
  }

  /** The value for the schema, or undefined. */
  get(schema: Schema): V | undefined {
    let key: Schema | undefined = this.#entries.has(schema) ? schema : undefined
    if (key === undefined) {
      for (const k of this.#entries.keys()) {
        if (schemasEqual(k, schema)) {
          key = k
          break
        }
      }
    }
    if (key === undefined) return undefined
    const value = this.#entries.get(key) as V
    // Re-inserting makes this the most recently used entry.
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }

  /** Stores a value, evicting the least recently used entry beyond the bound. */
  put(schema: Schema, value: V): void {
    this.#entries.delete(schema)
    this.#entries.set(schema, value)
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as Schema
      this.#entries.delete(oldest)
    }
  }

  /** The cached value, computed and stored on a miss. */
  getOrCompute(schema: Schema, compute: (schema: Schema) => V): V {
    const hit = this.get(schema)
    if (hit !== undefined) return hit
    const value = compute(schema)
    this.put(schema, value)
    return value
  }

  /** How many entries are cached. */
  get size(): number {
    return this.#entries.size
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear()
  }
}
