/**
 * In-memory twins of the three stores, for tests and standalone mode: the same store classes, codecs and log loop
 * as on Kafka, over a MemoryCluster. Stores made from one cluster share its topics, like workers of one group.
 */
import { KafkaConfigStore } from './kafka-config-store.ts'
import { MemoryCluster, MemoryTopicAdmin, MemoryTopicLog } from './memory-topic-log.ts'
import { KafkaOffsetStore } from './offset-store.ts'
import { KafkaStatusStore } from './status-store.ts'

/** Topic names of the in-memory stores (defaults: connect-configs, connect-offsets, connect-status). */
export interface MemoryStoreTopics {
  config?: string
  offset?: string
  status?: string
}

/** A config store on an in-memory topic of `cluster`. */
export function createMemoryConfigStore(cluster: MemoryCluster, topic = 'connect-configs'): KafkaConfigStore {
  return new KafkaConfigStore({
    transport: new MemoryTopicLog(cluster, topic),
    admin: new MemoryTopicAdmin(cluster),
    replicationFactor: 1,
    fetchMaxWaitMs: 50,
  })
}

/** An offset store on an in-memory topic of `cluster`. */
export function createMemoryOffsetStore(cluster: MemoryCluster, topic = 'connect-offsets', partitions = 5) {
  return new KafkaOffsetStore({
    transport: new MemoryTopicLog(cluster, topic),
    admin: new MemoryTopicAdmin(cluster),
    partitions,
    replicationFactor: 1,
    fetchMaxWaitMs: 50,
  })
}

/** A status store on an in-memory topic of `cluster`. */
export function createMemoryStatusStore(cluster: MemoryCluster, topic = 'connect-status', partitions = 5) {
  return new KafkaStatusStore({
    transport: new MemoryTopicLog(cluster, topic),
    admin: new MemoryTopicAdmin(cluster),
    partitions,
    replicationFactor: 1,
    fetchMaxWaitMs: 50,
  })
}

export { MemoryCluster }
