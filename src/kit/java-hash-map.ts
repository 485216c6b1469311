/**
 * Java's `java.util.HashMap` iteration order, for source partitions and offsets that must be written byte for byte
 * as a Java connector writes them.
 *
 * Connect writes the partition and offset maps a task hands over with its JsonConverter, field by field in the
 * map's own iteration order. Debezium, MirrorMaker 2 and the JDBC source build those maps as HashMaps, so the bytes
 * in the offsets topic follow HashMap's buckets, not the order the code put the keys in. A TypeScript twin that
 * wants to read a Java connector's offsets by exact key bytes, or be read by one, has to write the same order.
 *
 * The emulation (JDK 8 and later): a key's hash is `String.hashCode` spread as `h ^ (h >>> 16)`; its bucket is
 * `hash & (capacity - 1)`; the capacity is the next power of two at or above the constructor's initial capacity
 * (16 by default), doubled whenever the size goes above 0.75 of it. Iteration walks the buckets in ascending order
 * and each bucket in insertion order (a resize splits buckets without reordering them). Buckets of eight or more
 * keys that Java turns into trees are out of scope: offset maps hold a handful of keys.
 */

/** Java's `String.hashCode`: the UTF-16 code units folded as `31 * h + c` in 32-bit arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0
  return h
}

/** The bucket HashMap.hash() spreads a key into, for a table of `capacity` (a power of two). */
function bucketOf(key: string, capacity: number): number {
  const h = javaStringHashCode(key)
  return (h ^ (h >>> 16)) & (capacity - 1)
}

/** HashMap.tableSizeFor: the smallest power of two at or above `n` (at least 1, at most 2^30). */
function tableSizeFor(n: number): number {
  let capacity = 1
  while (capacity < n && capacity < 2 ** 30) capacity *= 2
  return capacity
}

/**
 * The entries as a Map whose iteration order is the one a Java `new HashMap<>(initialCapacity)` holding them has
 * after they were put in the given order (a key given twice keeps its first place and takes the last value).
 *
 * Hand the result to a SourceRecord as its source partition or offset: the runtime writes Maps in their own order,
 * so the offsets topic holds the same bytes as a Java connector writes. `initialCapacity` is the constructor's
 * argument: leave it out for `new HashMap<>()`, give 3 for JDBC's `new HashMap<>(3)`.
 */
export function javaHashMapOrder<E extends readonly [string, unknown]>(
  entries: Iterable<E>,
  initialCapacity = 16,
): Map<string, E[1]> {
  if (!Number.isInteger(initialCapacity) || initialCapacity < 0) {
    throw new RangeError(`Illegal initial capacity: ${initialCapacity}`)
  }
  const inserted = new Map<string, E[1]>(entries)
  let capacity = tableSizeFor(initialCapacity)
  while (inserted.size > capacity * 0.75 && capacity < 2 ** 30) capacity *= 2
  // A stable sort by bucket keeps insertion order within a bucket, as HashMap's tail-appended chains do.
  const keys = [...inserted.keys()]
  const buckets = new Map(keys.map((k) => [k, bucketOf(k, capacity)]))
  keys.sort((a, b) => (buckets.get(a) as number) - (buckets.get(b) as number))
  return new Map(keys.map((k) => [k, inserted.get(k)]))
}
