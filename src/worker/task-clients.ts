/**
 * The clients a task opens, as a seam: the worker builds tasks through a TaskClients so that unit tests run
 * whole tasks on in-memory senders and consumers, and the real worker on Kafka (KafkaTaskClients).
 */
import { createProducer } from '../kafka/clients.ts'
import { ConsumerGroupClient, type GroupOffset, GroupOffsetsAdmin } from '../kafka/consumer-group.ts'
import { KafkaGroupCalls } from '../kafka/group-calls.ts'
import { type ClientProperties, parseClientProperties } from '../kafka/properties.ts'
import { KafkaTopicAdmin, type TopicAdminClient } from '../kafka/topic-admin.ts'
import type { ConfigMap } from '../stores/config-store.ts'
import { withoutNulls } from '../util/config-map.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'
import {
  KafkaRecordSender,
  KafkaTransactionalRecordSender,
  type RecordSender,
  type TransactionalRecordSender,
} from './record-sender.ts'
import { GroupSinkConsumer, type SinkConsumer } from './sink-consumer.ts'

/** How a sink task's consumer subscribes. */
export interface SinkSubscription {
  groupId: string
  topics: readonly string[] | RegExp
}

/** A consumer group's offsets, for the REST offsets endpoints of sink connectors. */
export interface GroupOffsetsClient {
  list(groupId: string): Promise<GroupOffset[]>
  alter(groupId: string, offsets: readonly { topic: string; partition: number; offset: number | null }[]): Promise<void>
  deleteGroup(groupId: string): Promise<void>
  close(): Promise<void>
}

/** Opens a task's clients from their (Java-style) properties. */
export interface TaskClients {
  sender(props: ConfigMap): RecordSender
  /** A transactional producer (props carry transactional.id); absent where exactly-once source is not supported. */
  transactionalSender?(props: ConfigMap): TransactionalRecordSender
  admin(props: ConfigMap): TopicAdminClient
  sinkConsumer(props: ConfigMap, subscription: SinkSubscription, log: Logger): SinkConsumer
  groupOffsets(props: ConfigMap): GroupOffsetsClient
}

/** Java-style properties without the null values a ConfigMap may hold. */
export function clientProperties(config: ConfigMap): ClientProperties {
  return withoutNulls(config)
}

const clientLog = componentLogger('worker.clients')

/** The real clients, on the broker the properties name. */
export class KafkaTaskClients implements TaskClients {
  sender(props: ConfigMap): RecordSender {
    // Unknown or ineffective producer.* / producer.override.* keys are reported, never dropped silently.
    return new KafkaRecordSender(createProducer(clientProperties(props), { logger: clientLog }))
  }

  transactionalSender(props: ConfigMap): TransactionalRecordSender {
    // Transactions need idempotence and acks=all; Java forces both for exactly-once source tasks.
    const p = { ...clientProperties(props), acks: 'all', 'enable.idempotence': 'true' }
    return new KafkaTransactionalRecordSender(createProducer(p, { logger: clientLog }))
  }

  admin(props: ConfigMap): TopicAdminClient {
    return KafkaTopicAdmin.fromProperties(clientProperties(props))
  }

  groupOffsets(props: ConfigMap): GroupOffsetsClient {
    return new GroupOffsetsAdmin(clientProperties(props))
  }

  sinkConsumer(props: ConfigMap, subscription: SinkSubscription, log: Logger): SinkConsumer {
    const p = clientProperties(props)
    // The consumer keys as the client parser reads them (kafka/properties.ts), so that both agree on every value.
    const { base, consumer } = parseClientProperties(p, 'consumer')
    return new GroupSinkConsumer({
      groupId: subscription.groupId,
      topics: subscription.topics,
      client: new ConsumerGroupClient(p),
      calls: new KafkaGroupCalls(p),
      // Java's Worker sets auto.offset.reset=earliest for sink tasks unless the worker or connector says otherwise.
      autoOffsetReset: p['auto.offset.reset'] === undefined ? 'earliest' : consumer.autoOffsetReset,
      ...(consumer.sessionTimeout !== undefined ? { sessionTimeoutMs: consumer.sessionTimeout } : {}),
      ...(consumer.heartbeatInterval !== undefined ? { heartbeatIntervalMs: consumer.heartbeatInterval } : {}),
      ...(consumer.rebalanceTimeout !== undefined ? { rebalanceTimeoutMs: consumer.rebalanceTimeout } : {}),
      ...(consumer.maxWaitTime !== undefined ? { fetchMaxWaitMs: consumer.maxWaitTime } : {}),
      ...(consumer.maxBytesPerPartition !== undefined ? { fetchMaxBytes: consumer.maxBytesPerPartition } : {}),
      ...(base.metadataMaxAge !== undefined ? { metadataMaxAgeMs: base.metadataMaxAge } : {}),
      log,
    })
  }
}
