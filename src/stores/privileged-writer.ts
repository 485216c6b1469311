/**
 * How the leader writes its privileged config records (connector and task configs, commits, session keys,
 * restart requests, task-count records).
 *
 * Without exactly-once source support they go through the config log's own producer. With it (`preparing` or
 * `enabled`), each privileged write is a transaction of a producer whose transactional id is the cluster's
 * (`connect-cluster-<group.id>`): claiming it on becoming leader fences any older leader that still believes it
 * leads, so a zombie leader's config writes fail instead of interleaving with ours.
 */
import { ConnectError } from '../errors.ts'
import type { RecordToSend } from '../kafka/topic-log.ts'
import type { TransactionalTopicWriter } from '../kafka/transactional-writer.ts'

/** A privileged write failed; write privileges were given up and must be claimed again. */
export class PrivilegedWriteError extends ConnectError {
  override name = 'PrivilegedWriteError'

  constructor(message: string, options?: { cause?: unknown }) {
    super('KAFKA_FATAL', message, options)
  }
}

/** Writes privileged records. */
export interface PrivilegedWriter {
  /** Prepares writes; for a transactional writer this fences out older leaders. */
  claim(): Promise<void>
  /** Writes the records, in order, and resolves once they are acknowledged. */
  write(records: readonly RecordToSend[]): Promise<void>
  /** Gives up write privileges (closes a transactional producer). */
  relinquish(): Promise<void>
}

/** Privileged writes through the log's own producer: nothing to claim. */
export class PlainPrivilegedWriter implements PrivilegedWriter {
  readonly #send: (records: readonly RecordToSend[]) => Promise<void>

  constructor(send: (records: readonly RecordToSend[]) => Promise<void>) {
    this.#send = send
  }

  async claim(): Promise<void> {}

  write(records: readonly RecordToSend[]): Promise<void> {
    return this.#send(records)
  }

  async relinquish(): Promise<void> {}
}

/** Privileged writes in transactions of a fencing producer, created on claim and closed on any failure. */
export class TransactionalPrivilegedWriter implements PrivilegedWriter {
  readonly #create: () => TransactionalTopicWriter
  #writer: TransactionalTopicWriter | undefined

  constructor(create: () => TransactionalTopicWriter) {
    this.#create = create
  }

  async claim(): Promise<void> {
    if (this.#writer) return
    const writer = this.#create()
    this.#writer = writer
    try {
      await writer.claim()
    } catch (error) {
      await this.relinquish()
      // Java's message, with the cause's, so that a REST answer names what the broker refused.
      throw new ConnectError(
        'KAFKA_FATAL',
        `Failed to create and initialize fencable producer for config topic: ${(error as Error).message}`,
        { cause: error },
      )
    }
  }

  /**
   * Writes in one transaction. Privileges given up after a failure (or never won) are claimed again first, so a
   * leader recovers once the cause is gone, and until then each write fails with the claim's own error (e.g. the
   * transactional id that the principal may not use) rather than a generic one.
   */
  async write(records: readonly RecordToSend[]): Promise<void> {
    if (!this.#writer) await this.claim()
    const writer = this.#writer
    if (!writer) {
      throw new PrivilegedWriteError('Cannot produce to config topic without claiming write privileges first')
    }
    try {
      await writer.sendInTransaction(records)
    } catch (error) {
      await this.relinquish()
      throw new PrivilegedWriteError(`Failed to perform fencable send to config topic: ${(error as Error).message}`, {
        cause: error,
      })
    }
  }

  async relinquish(): Promise<void> {
    const writer = this.#writer
    this.#writer = undefined
    await writer?.close().catch(() => {})
  }
}
