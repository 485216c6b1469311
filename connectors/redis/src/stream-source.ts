/**
 * RedisStreamSourceConnector (Redis Inc.'s `com.redis.kafka.connect.RedisStreamSourceConnector`): reads a Redis
 * stream through a consumer group and writes one record per entry.
 *
 * Record: key = the entry id (string); value = struct `com.redis.kafka.connect.stream.Value {id, body, stream}`
 * with body a map of string to string; source partition `{}`, offset `{"offset": id}`; timestamp = read time.
 *
 * Delivery (`redis.stream.delivery`): at-least-once by default. An entry read through XREADGROUP stays in the
 * group's pending entries list until it is XACKed; commitRecord() (called once Kafka acknowledged the record)
 * collects its id and commit() (after the worker wrote the source offsets) XACKs them. A task that dies first
 * leaves its entries pending under its consumer name (`consumer-${task}`), and its successor, wherever it runs,
 * reads that consumer's pending entries again before new ones: nothing is lost, entries after the last XACK may
 * arrive twice. `at-most-once` reads with NOACK: an entry counts as delivered when it is read.
 */
import type { Redis } from 'ioredis'
import {
  AbstractConfig,
  type ConfigDef,
  type RecordMetadata,
  RetriableError,
  Schema,
  SchemaBuilder,
  SourceConnector,
  SourceRecord,
  SourceTask,
  Struct,
  Validators,
} from 'tsconnect'
import { connectionConfigDef, connectRedis } from './connection.ts'

const VERSION = '1.0.0'
const GROUP = 'Stream'
// biome-ignore lint/suspicious/noTemplateCurlyInString: Redis Inc.'s placeholder, written as it is
const STREAM_TOKEN = '${stream}'
// biome-ignore lint/suspicious/noTemplateCurlyInString: Redis Inc.'s placeholder, written as it is
const TASK_TOKEN = '${task}'

/** The stream source's keys: connection keys, then Redis Inc.'s stream keys. */
export function streamSourceConfigDef(): ConfigDef {
  let order = 0
  const next = () => ++order
  return connectionConfigDef()
    .define({
      name: 'redis.stream.name',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The stream to read.',
    })
    .define({
      name: 'topic',
      type: 'STRING',
      defaultValue: STREAM_TOKEN,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: `The topic to write to; \`${STREAM_TOKEN}\` is the stream name.`,
    })
    .define({
      name: 'redis.stream.offset',
      type: 'STRING',
      defaultValue: '0-0',
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation:
        'Where a new consumer group starts (XGROUP CREATE): `0-0` for the whole stream, `$` for new entries only, or an entry id. An existing group keeps its position; a committed offset wins over this.',
    })
    .define({
      name: 'redis.stream.delivery',
      type: 'STRING',
      defaultValue: 'at-least-once',
      validator: Validators.in('at-least-once', 'at-most-once'),
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: '`at-least-once` (XACK once the record is in Kafka) or `at-most-once` (read with NOACK).',
    })
    .define({
      name: 'redis.stream.consumer.group',
      type: 'STRING',
      defaultValue: 'kafka-consumer-group',
      validator: Validators.nonEmptyString(),
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'The stream consumer group (created when missing).',
    })
    .define({
      name: 'redis.stream.consumer.name',
      type: 'STRING',
      defaultValue: `consumer-${TASK_TOKEN}`,
      importance: 'MEDIUM',
      group: GROUP,
      orderInGroup: next(),
      documentation: `The consumer name; \`${TASK_TOKEN}\` is the task number. Keep it stable: a restarted task finds its pending entries by it.`,
    })
    .define({
      name: 'redis.stream.block',
      type: 'LONG',
      defaultValue: 100,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Milliseconds one poll waits for new entries (XREADGROUP BLOCK).',
    })
    .define({
      name: 'batch.size',
      type: 'INT',
      defaultValue: 500,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: GROUP,
      orderInGroup: next(),
      documentation: 'Most entries read per poll (XREADGROUP COUNT).',
    })
}

const CONFIG = streamSourceConfigDef()

/** Redis Inc.'s value schema. */
export const STREAM_VALUE_SCHEMA = SchemaBuilder.struct()
  .name('com.redis.kafka.connect.stream.Value')
  .field('id', Schema.STRING_SCHEMA)
  .field('body', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
  .field('stream', Schema.STRING_SCHEMA)
  .build()

/** One stream entry as XREADGROUP answers it: id, then field, value, field, value... (null once deleted). */
export type StreamEntry = [string, string[] | null]

/** The record of one entry (null fields of a deleted entry make an empty body). */
export function streamRecord(stream: string, topic: string, entry: StreamEntry, now: number): SourceRecord {
  const [id, flat] = entry
  const body = new Map<string, string>()
  for (let i = 0; flat !== null && i + 1 < flat.length; i += 2) body.set(flat[i] as string, flat[i + 1] as string)
  return new SourceRecord({
    sourcePartition: {},
    sourceOffset: { offset: id },
    topic: topic.replaceAll(STREAM_TOKEN, stream),
    keySchema: Schema.STRING_SCHEMA,
    key: id,
    valueSchema: STREAM_VALUE_SCHEMA,
    value: new Struct(STREAM_VALUE_SCHEMA).put('id', id).put('body', body).put('stream', stream),
    timestamp: now,
  })
}

/** The connector: one task per stream (a consumer group could share one among several; Redis Inc. runs one). */
export class RedisStreamSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    new AbstractConfig(CONFIG, props)
    this.#props = props
  }

  taskClass() {
    return RedisStreamSourceTask
  }

  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#props, 'task.id': '0' }]
  }

  stop(): void {}
}

/** The task: a reading connection (XREADGROUP blocks it) and one for XACK. */
export class RedisStreamSourceTask extends SourceTask {
  #reader: Redis | null = null
  #acker: Redis | null = null
  #stream = ''
  #topic = ''
  #group = ''
  #consumer = ''
  #blockMs = 100
  #count = 500
  #noAck = false
  /** From '0' while this consumer's pending entries are read again after a start, then '>' for new ones. */
  #position = '0'
  #toAck: string[] = []
  #stopped = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(CONFIG, props)
    this.#stream = config.getString('redis.stream.name') ?? ''
    this.#topic = config.getString('topic') ?? STREAM_TOKEN
    this.#group = config.getString('redis.stream.consumer.group') ?? 'kafka-consumer-group'
    this.#consumer = (config.getString('redis.stream.consumer.name') ?? `consumer-${TASK_TOKEN}`).replaceAll(
      TASK_TOKEN,
      props['task.id'] ?? '0',
    )
    this.#blockMs = config.getLong('redis.stream.block') ?? 100
    this.#count = config.getInt('batch.size') ?? 500
    this.#noAck = config.getString('redis.stream.delivery') === 'at-most-once'
    const committed = await this.context.offsetStorageReader().offset({})
    const start =
      typeof committed?.offset === 'string' ? committed.offset : (config.getString('redis.stream.offset') ?? '0-0')
    this.#acker = await connectRedis(config)
    this.#reader = await connectRedis(config, { commandTimeout: undefined })
    try {
      await this.#acker.call('XGROUP', 'CREATE', this.#stream, this.#group, start, 'MKSTREAM')
    } catch (error) {
      if (!/BUSYGROUP/.test(String(error))) throw error
    }
  }

  async poll(): Promise<SourceRecord[] | null> {
    const reader = this.#reader
    if (this.#stopped || reader === null) return null
    const reading = this.#position !== '>'
    let answer: unknown
    try {
      answer = await reader.call(
        'XREADGROUP',
        'GROUP',
        this.#group,
        this.#consumer,
        'COUNT',
        this.#count,
        ...(reading ? [] : ['BLOCK', this.#blockMs]),
        ...(this.#noAck ? ['NOACK'] : []),
        'STREAMS',
        this.#stream,
        this.#position,
      )
    } catch (error) {
      if (this.#stopped) return null
      throw new RetriableError(`reading stream ${this.#stream} failed: ${(error as Error).message}`, { cause: error })
    }
    const entries = ((answer as [string, StreamEntry[]][] | null)?.[0]?.[1] ?? []) as StreamEntry[]
    // The pending entries are all read again once an answer from '0' is empty; new ones come from '>'.
    if (reading && entries.length === 0) this.#position = '>'
    const now = Date.now()
    const records: SourceRecord[] = []
    for (const entry of entries) {
      if (entry[1] === null) {
        // Deleted from the stream while pending: nothing to deliver, only to acknowledge.
        this.#toAck.push(entry[0])
        continue
      }
      records.push(streamRecord(this.#stream, this.#topic, entry, now))
    }
    // Pending entries are read by id: the next read goes on after the last one.
    if (reading && entries.length > 0) this.#position = (entries.at(-1) as StreamEntry)[0]
    return records
  }

  override commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    if (this.#noAck) return
    const id = (record.sourceOffset as { offset?: unknown } | null)?.offset
    if (typeof id === 'string') this.#toAck.push(id)
  }

  /** XACKs every entry whose record Kafka acknowledged (Redis Inc.'s at-least-once policy). */
  override async commit(): Promise<void> {
    const acker = this.#acker
    if (acker === null || this.#toAck.length === 0) return
    const ids = this.#toAck.splice(0)
    try {
      await acker.call('XACK', this.#stream, this.#group, ...ids)
    } catch (error) {
      // Acked at the next commit; until then they stay pending and a successor would deliver them again.
      this.#toAck.unshift(...ids)
      throw error
    }
  }

  /**
   * Stops reading, then acknowledges what Kafka already holds: the worker's last offset commit comes after stop(),
   * and an entry left pending would only be delivered again by the next task.
   */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#reader?.disconnect()
    this.#reader = null
    try {
      await this.commit()
    } catch {
      // Left pending: delivered again by the next task (at-least-once).
    } finally {
      this.#acker?.disconnect()
      this.#acker = null
    }
  }
}
