/**
 * A fencing writer: a transactional producer whose every batch of records is one transaction.
 *
 * The leader writes its privileged config-topic records through it when exactly-once source support is
 * `preparing` or `enabled` (transactional.id `connect-cluster-<group.id>`). Initialising the transactional id
 * (claim) bumps its epoch, which fences any older leader still holding it: that writer's next commit fails.
 */
import type { Producer } from '@platformatic/kafka'
import type { Logger } from '../util/log.ts'
import { toKafkaError } from './broker-errors.ts'
import { createProducer } from './clients.ts'
import type { ClientProperties } from './properties.ts'
import type { RecordToSend } from './topic-log.ts'

const FRESH_PRODUCER = { producerId: -1n, producerEpoch: -1 }

/** Writes batches of records to one topic, each batch in a transaction of its own. */
export interface TransactionalTopicWriter {
  /** Initialises the transactional id, fencing out older holders. */
  claim(): Promise<void>
  /** Writes `records` in one transaction and commits it. */
  sendInTransaction(records: readonly RecordToSend[]): Promise<void>
  close(): Promise<void>
}

/** TransactionalTopicWriter on a real cluster. */
export class KafkaTransactionalWriter implements TransactionalTopicWriter {
  readonly #topic: string
  readonly #producer: Producer

  /** `props` must carry transactional.id; idempotence and acks=all are forced, as Java forces them. */
  constructor(topic: string, props: ClientProperties, logger?: Pick<Logger, 'warn'>) {
    if (!props['transactional.id']) throw new TypeError('a transactional writer needs transactional.id')
    this.#topic = topic
    this.#producer = createProducer({ ...props, acks: 'all', 'enable.idempotence': 'true' }, logger ? { logger } : {})
  }

  async claim(): Promise<void> {
    try {
      // Beginning a transaction runs InitProducerId for the transactional id; nothing is sent, so cancel locally.
      // The library would present producer id 0 epoch 0, which the broker takes for a stale producer of an id
      // used before (PRODUCER_FENCED); -1/-1 asks for the id as a new producer, as Java's initTransactions does.
      const transaction = await this.#producer.beginTransaction(FRESH_PRODUCER)
      await transaction.cancel()
    } catch (error) {
      throw toKafkaError(error, `claiming transactional writes to ${this.#topic}`)
    }
  }

  async sendInTransaction(records: readonly RecordToSend[]): Promise<void> {
    const transaction = await this.#producer.beginTransaction(FRESH_PRODUCER).catch((error: unknown) => {
      throw toKafkaError(error, `beginning a transaction on ${this.#topic}`)
    })
    try {
      await transaction.send({
        messages: records.map((r) => ({ topic: this.#topic, key: r.key ?? undefined, value: r.value ?? undefined })),
      })
      await transaction.commit()
    } catch (error) {
      await transaction.abort().catch(() => transaction.cancel().catch(() => {}))
      throw toKafkaError(error, `transactional write to ${this.#topic}`)
    }
  }

  async close(): Promise<void> {
    await this.#producer.close()
  }
}

/**
 * Fences every producer of the given transactional ids (Java's Admin.fenceProducers, which the library lacks):
 * for each id, FindCoordinator then InitProducerId as a new producer, which bumps the id's epoch and aborts the
 * transaction it may have open. A fenced producer's next send, commit or abort fails with PRODUCER_FENCED.
 */
export async function fenceTransactionalIds(
  ids: readonly string[],
  props: ClientProperties,
  logger?: Pick<Logger, 'warn'>,
): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const writer = new KafkaTransactionalWriter('(fencing)', { ...props, 'transactional.id': id }, logger)
      try {
        await writer.claim()
      } catch (error) {
        throw toKafkaError(error, `fencing out producers with transactional id ${id}`)
      } finally {
        await writer.close().catch(() => {})
      }
    }),
  )
}
