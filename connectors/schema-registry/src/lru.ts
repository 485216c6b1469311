/**
 * A bounded map that forgets the least recently used entry, as Kafka's LRUCache (which Confluent's converters use
 * for their schema caches).
 */
export class Lru<K, V> {
  readonly #max: number
  readonly #map = new Map<K, V>()

  constructor(max: number) {
    this.#max = Math.max(1, max)
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const v = this.#map.get(key)
    if (v !== undefined && this.#map.size > 1) {
      this.#map.delete(key)
      this.#map.set(key, v)
    }
    return v
  }

  /** Sets the value, forgetting the least recently used entry beyond the bound. */
  set(key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K)
  }

  /** Forgets the key. */
  delete(key: K): void {
    this.#map.delete(key)
  }
}
