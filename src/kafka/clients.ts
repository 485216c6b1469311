/**
 * Client factories: Java-style properties in, @platformatic/kafka clients out.
 *
 * This folder is the only one that imports @platformatic/kafka (its code through library.ts). Every producer uses the Java-compatible
 * partitioner (`compatibilityPartitioner`): the library's default treats negative murmur2 hashes differently, which
 * would put keyed records (and so the records of the config, offset and status topics) on other partitions than
 * Java's clients do.
 */
import type { Admin, Consumer, Producer } from '@platformatic/kafka'
import type { Logger } from '../util/log.ts'
import { kafkaLibrary } from './library.ts'
import { type ClientProperties, type ClientRole, type ClientSettings, parseClientProperties } from './properties.ts'

/** What the factories take besides the properties. */
export interface ClientFactoryOptions {
  /** Receives one warning per ignored or unknown property. */
  logger?: Pick<Logger, 'warn'>
}

function settingsFor(props: ClientProperties, role: ClientRole, opts: ClientFactoryOptions): ClientSettings {
  const settings = parseClientProperties(props, role)
  for (const warning of settings.warnings) opts.logger?.warn({ clientId: settings.base.clientId }, warning)
  return settings
}

/**
 * Java's transactional producer retries AddPartitionsToTxn after CONCURRENT_TRANSACTIONS within 20 ms: the error
 * only means the previous transaction's markers are still being written, which takes a few milliseconds. With
 * retry.backoff.ms (100 ms) instead, back-to-back transactions (one per poll) would each wait that long.
 */
const CONCURRENT_TRANSACTIONS_BACKOFF_MS = 20
/** Attempts for a transactional producer when `retries` is not set: enough to outlast a busy coordinator. */
const TRANSACTIONAL_RETRIES = 100

function transactionalRetries(base: ClientSettings['base'], explicitRetries: boolean) {
  const backoff = base.retryDelay ?? 100
  return {
    retries: explicitRetries ? (base.retries ?? 3) : TRANSACTIONAL_RETRIES,
    // Markers usually land within a few milliseconds: ask again soon, then back off up to Java's 20 ms.
    retryDelay: (_client: unknown, _operation: string, attempt: number, _retries: number, error: Error) =>
      kafkaLibrary.findErrorBy(error, 'apiId', 'CONCURRENT_TRANSACTIONS')
        ? Math.min(CONCURRENT_TRANSACTIONS_BACKOFF_MS, 2 ** attempt)
        : backoff,
  }
}

/** The version of AddPartitionsToTxn that clients send (KIP-890: versions 4 and later are for brokers only). */
const CLIENT_ADD_PARTITIONS_TO_TXN_VERSION = 3

type GetApi = (name: string, callback: (error: Error | null, api?: { version: number }) => void) => void

/**
 * Holds a transactional producer to AddPartitionsToTxn v3, as Java's producer is held. The library sends the highest
 * version the broker offers (v5 on Kafka 4), but Kafka serves v4 and later only to brokers: an authorizing broker
 * answers a client's v4+ request with CLUSTER_AUTHORIZATION_FAILED unless its principal may ClusterAction, so every
 * transaction (exactly-once source tasks, the leader's fenced config-topic writes) failed on a secured cluster.
 */
function holdToClientTxnVersion(producer: Producer): Producer {
  const kGetApi = kafkaLibrary.kGetApi as unknown as symbol
  const v3 = (kafkaLibrary as unknown as { addPartitionsToTxnV3?: { api: { version: number } } }).addPartitionsToTxnV3
  const target = producer as unknown as Record<symbol, GetApi>
  const original = target[kGetApi]
  if (typeof original !== 'function' || v3 === undefined) return producer
  const getApi = original.bind(producer)
  target[kGetApi] = (name, callback) =>
    getApi(name, (error, api) =>
      callback(
        error,
        name === 'AddPartitionsToTxn' && api !== undefined && api.version > CLIENT_ADD_PARTITIONS_TO_TXN_VERSION
          ? v3.api
          : api,
      ),
    )
  return producer
}

/** A producer of raw bytes (Connect converts before producing), idempotent with acks=all unless told otherwise. */
export function createProducer(props: ClientProperties, opts: ClientFactoryOptions = {}): Producer {
  const s = settingsFor(props, 'producer', opts)
  const producer = new kafkaLibrary.Producer({
    ...s.base,
    ...(s.producer.transactionalId ? transactionalRetries(s.base, props.retries !== undefined) : {}),
    acks: s.producer.acks,
    compression: s.producer.compression,
    // Idempotence needs acks=all, as in Java; a user who lowers acks gets a plain producer.
    idempotent: s.producer.idempotent && s.producer.acks === -1,
    ...(s.producer.transactionalId ? { transactionalId: s.producer.transactionalId } : {}),
    partitioner: kafkaLibrary.compatibilityPartitioner,
    autocreateTopics: false,
  })
  return s.producer.transactionalId ? holdToClientTxnVersion(producer) : producer
}

/**
 * A consumer used as a fetch client: `fetch` and `listOffsets` without joining a group (what KafkaBasedLog needs).
 * The library requires a group id even then; without group.id one is made up and never joined.
 */
export function createFetchClient(props: ClientProperties, opts: ClientFactoryOptions = {}): Consumer {
  const s = settingsFor(props, 'consumer', opts)
  return new kafkaLibrary.Consumer({
    ...s.base,
    groupId: s.consumer.groupId ?? `${s.base.clientId}-unjoined`,
    isolationLevel: s.consumer.isolationLevel,
    ...(s.consumer.minBytes !== undefined ? { minBytes: s.consumer.minBytes } : {}),
    ...(s.consumer.maxBytes !== undefined ? { maxBytes: s.consumer.maxBytes } : {}),
    ...(s.consumer.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: s.consumer.maxBytesPerPartition } : {}),
    ...(s.consumer.maxWaitTime !== undefined ? { maxWaitTime: s.consumer.maxWaitTime } : {}),
    autocreateTopics: false,
  })
}

/** An admin client (topics, configs, groups, offsets). */
export function createAdmin(props: ClientProperties, opts: ClientFactoryOptions = {}): Admin {
  const s = settingsFor(props, 'admin', opts)
  return new kafkaLibrary.Admin({ ...s.base, autocreateTopics: false })
}
