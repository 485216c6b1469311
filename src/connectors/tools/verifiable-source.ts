/**
 * VerifiableSourceConnector and its task (Java's org.apache.kafka.connect.tools, in connect-test-plugins), the
 * source that Kafka's Connect system tests drive clusters with.
 *
 * Each task (as many as tasks.max; task i gets `id`=i) sends an endless run of records to `topic`: key `id`
 * (INT32), value the sequence number (INT64), or with `complete.record.data=true` a struct of the printed fields.
 * The source partition is {"id": id} and the offset {"seqno": n}, so a restarted task (on any worker) resumes at
 * the committed seqno + 1, as Java's does. For every record it prints a JSON line when it is polled and another
 * ("committed": true) when Kafka acknowledged it; `throughput` caps records per second (negative: no cap).
 */
import { SourceConnector } from '../../api/connector.ts'
import type { RecordMetadata } from '../../api/contexts.ts'
import { SourceRecord } from '../../api/records.ts'
import { SourceTask } from '../../api/task.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { Schema } from '../../data/schema.ts'
import { SchemaBuilder } from '../../data/schema-builder.ts'
import { Struct } from '../../data/struct.ts'
import { ConnectError } from '../../errors.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { invalidConfiguration, javaParseInt, javaParseLong, requiredTopic, storedSeqno } from './java-props.ts'
import { javaHashMapJson, printLine } from './json-lines.ts'
import { StopAwareSleep } from './stop-aware-sleep.ts'
import { ThroughputThrottler } from './throughput-throttler.ts'

/** The task config keys, as Java's VerifiableSourceTask constants. */
export const VerifiableSourceKeys = Object.freeze({
  NAME_CONFIG: 'name',
  ID_CONFIG: 'id',
  TOPIC_CONFIG: 'topic',
  THROUGHPUT_CONFIG: 'throughput',
  COMPLETE_RECORD_DATA_CONFIG: 'complete.record.data',
})

const ID_FIELD = 'id'
const SEQNO_FIELD = 'seqno'

/** The value schema with complete.record.data=true: the fields of the printed line. */
export const COMPLETE_VALUE_SCHEMA = SchemaBuilder.struct()
  .field('name', Schema.STRING_SCHEMA)
  .field('task', Schema.INT32_SCHEMA)
  .field('topic', Schema.STRING_SCHEMA)
  .field('time_ms', Schema.INT64_SCHEMA)
  .field('seqno', Schema.INT64_SCHEMA)
  .build()

/** What a verifiable source task knows about one record when it prints its line. */
export interface SourceLineFields {
  readonly name: string | null
  readonly task: number
  readonly topic: string | null
  readonly timeMs: number
  readonly seqno: unknown
}

/** The line printed when a record is polled, e.g. {"task":0,"seqno":3,"time_ms":...,"name":"vs","topic":"t"}. */
export function sentLine(f: SourceLineFields): string {
  return javaHashMapJson({ name: f.name, task: f.task, topic: f.topic, time_ms: f.timeMs, seqno: f.seqno })
}

/** The line printed when Kafka acknowledged a record: the sent line's fields and "committed": true. */
export function committedLine(f: SourceLineFields): string {
  return javaHashMapJson({
    name: f.name,
    task: f.task,
    topic: f.topic,
    time_ms: f.timeMs,
    seqno: f.seqno,
    committed: true,
  })
}

/**
 * The seqno a task starts from: one past the committed one, or 0 without a committed offset.
 * @throws ConnectError (DATA_ERROR) for a committed offset without an integer seqno (Java's fails on it too)
 */
export function resumeSeqno(committed: Readonly<Record<string, unknown>> | null): number {
  if (committed === null) return 0
  const last = storedSeqno(committed, SEQNO_FIELD)
  if (last === undefined) {
    throw new ConnectError('DATA_ERROR', `The committed offset ${JSON.stringify(committed)} has no integer "seqno"`)
  }
  return last + 1
}

/** Task configs for tasks.max tasks: copies of the connector's config, task i with `id`=i. */
export function taskConfigsWithIds(
  props: Readonly<Record<string, string>>,
  maxTasks: number,
): Record<string, string>[] {
  return Array.from({ length: maxTasks }, (_, i) => ({ ...props, [VerifiableSourceKeys.ID_CONFIG]: String(i) }))
}

/** A source for system tests: numbered records, each printed when sent and when committed. */
export class VerifiableSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#props = { ...props }
  }

  taskClass(): new () => SourceTask {
    return VerifiableSourceTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return taskConfigsWithIds(this.#props, maxTasks)
  }

  stop(): void {}

  /** No declared keys, as Java's (an empty ConfigDef): the task reads its props raw. */
  config(): ConfigDef {
    return new ConfigDef()
  }
}

/** The task of VerifiableSourceConnector. */
export class VerifiableSourceTask extends SourceTask {
  #name: string | null = null
  #id = 0
  #topic = ''
  #partition: Readonly<Record<string, number>> = {}
  #startingSeqno = 0
  #seqno = 0
  #completeRecordData = false
  #throttler = new ThroughputThrottler(-1, 0)
  readonly #sleep = new StopAwareSleep()

  version(): string {
    return TSCONNECT_VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const k = VerifiableSourceKeys
    this.#name = props[k.NAME_CONFIG] ?? null
    const id = javaParseInt(props[k.ID_CONFIG])
    if (id === undefined) throw invalidConfiguration('VerifiableSourceTask', k.ID_CONFIG, props[k.ID_CONFIG])
    this.#id = id
    this.#topic = requiredTopic('VerifiableSourceTask', props)
    const throughput = javaParseLong(props[k.THROUGHPUT_CONFIG])
    if (throughput === undefined) {
      throw invalidConfiguration('VerifiableSourceTask', k.THROUGHPUT_CONFIG, props[k.THROUGHPUT_CONFIG])
    }
    // One partition object for every record: the worker tracks offsets by partition identity first.
    this.#partition = Object.freeze({ [ID_FIELD]: id })
    this.#seqno = resumeSeqno(await this.context.offsetStorageReader().offset(this.#partition))
    this.#startingSeqno = this.#seqno
    this.#throttler = new ThroughputThrottler(throughput, Date.now())
    this.#completeRecordData = props[k.COMPLETE_RECORD_DATA_CONFIG]?.toLowerCase() === 'true'
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#throttler.shouldThrottle(this.#seqno - this.#startingSeqno, Date.now())) {
      await this.#sleep.sleep(this.#throttler.throttleMs())
    }
    if (this.#sleep.stopped) return null
    const fields: SourceLineFields = {
      name: this.#name,
      task: this.#id,
      topic: this.#topic,
      timeMs: Date.now(),
      seqno: this.#seqno,
    }
    printLine(sentLine(fields))
    const record = new SourceRecord({
      sourcePartition: this.#partition,
      sourceOffset: { [SEQNO_FIELD]: this.#seqno },
      topic: this.#topic,
      keySchema: Schema.INT32_SCHEMA,
      key: this.#id,
      valueSchema: this.#completeRecordData ? COMPLETE_VALUE_SCHEMA : Schema.INT64_SCHEMA,
      value: this.#completeRecordData ? completeValue(fields) : this.#seqno,
    })
    this.#seqno++
    return [record]
  }

  override commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    // Java prints record.value(): the seqno, or with complete.record.data a Struct, which Jackson cannot write, so
    // the line is then its "Bad data" fallback, as Java's.
    const seqno = record.value
    printLine(committedLine({ name: this.#name, task: this.#id, topic: this.#topic, timeMs: Date.now(), seqno }))
  }

  stop(): void {
    this.#sleep.stop()
  }
}

function completeValue(f: SourceLineFields): Struct {
  return new Struct(COMPLETE_VALUE_SCHEMA)
    .put('name', f.name)
    .put('task', f.task)
    .put('topic', f.topic)
    .put('time_ms', f.timeMs)
    .put('seqno', f.seqno)
}
