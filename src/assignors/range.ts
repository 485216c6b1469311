/**
 * The range assignor of consumer-protocol groups (Java's RangeAssignor), which sink tasks' consumer groups use:
 * per topic, the members subscribed to it, sorted by member id, take consecutive ranges of its partitions; the first
 * `count % members` members take one partition more. Pure: subscriptions and partition counts in, assignment out.
 */

/** A member's partitions, by topic. */
export type PartitionsByTopic = Map<string, number[]>

/** Assigns each topic's partitions in ranges; every member gets an entry, possibly empty. */
export function rangeAssign(
  subscriptions: ReadonlyMap<string, readonly string[]>,
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, PartitionsByTopic> {
  const out = new Map<string, PartitionsByTopic>()
  for (const member of subscriptions.keys()) out.set(member, new Map())
  for (const [topic, count] of partitionCounts) {
    const members = [...subscriptions].filter(([, topics]) => topics.includes(topic)).map(([m]) => m)
    members.sort()
    const per = Math.floor(count / Math.max(1, members.length))
    const extra = count % Math.max(1, members.length)
    let next = 0
    members.forEach((member, i) => {
      const n = per + (i < extra ? 1 : 0)
      if (n === 0) return
      const partitions = Array.from({ length: n }, (_, j) => next + j)
      next += n
      out.get(member)?.set(topic, partitions)
    })
  }
  return out
}
