/**
 * SchemaSourceConnector and its task (Java's org.apache.kafka.connect.tools): a source of fixed struct records,
 * for tests of converters and schema handling. Each task (task i gets `id`=i) sends `num.messages` records to
 * partition `id` of `topic`, key "key" (STRING), value a struct named "record" of version 1, or with
 * `multiple.schema=true` every other record of version 2 (one more field, "string", default "abc"). The field
 * "partitioning" is seqno % `partition.count`. Source partition {"id": id}, offset {"seqno": n}: a restart resumes
 * at the committed seqno + 1, and sends `num.messages` more. It prints {"task": id, "seqno": n} per record.
 */
import { SourceConnector } from '../../api/connector.ts'
import { SourceRecord } from '../../api/records.ts'
import { SourceTask } from '../../api/task.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { Schema } from '../../data/schema.ts'
import { SchemaBuilder } from '../../data/schema-builder.ts'
import { Struct } from '../../data/struct.ts'
import { ConnectError } from '../../errors.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { javaParseBoolean, javaParseInt, javaParseLong, requiredTopic } from './java-props.ts'
import { printLine } from './json-lines.ts'
import { StopAwareSleep } from './stop-aware-sleep.ts'
import { ThroughputThrottler } from './throughput-throttler.ts'
import { resumeSeqno, taskConfigsWithIds } from './verifiable-source.ts'

/** The task config keys, as Java's SchemaSourceTask constants. */
export const SchemaSourceKeys = Object.freeze({
  NAME_CONFIG: 'name',
  ID_CONFIG: 'id',
  TOPIC_CONFIG: 'topic',
  NUM_MSGS_CONFIG: 'num.messages',
  THROUGHPUT_CONFIG: 'throughput',
  MULTIPLE_SCHEMA_CONFIG: 'multiple.schema',
  PARTITION_COUNT_CONFIG: 'partition.count',
})

const ID_FIELD = 'id'
const IDLE_POLL_MS = 100
const SEQNO_FIELD = 'seqno'

/** The value schema of the records, version 1. */
export const VALUE_SCHEMA = SchemaBuilder.struct()
  .version(1)
  .name('record')
  .field('boolean', Schema.BOOLEAN_SCHEMA)
  .field('int', Schema.INT32_SCHEMA)
  .field('long', Schema.INT64_SCHEMA)
  .field('float', Schema.FLOAT32_SCHEMA)
  .field('double', Schema.FLOAT64_SCHEMA)
  .field('partitioning', Schema.INT32_SCHEMA)
  .field('id', Schema.INT32_SCHEMA)
  .field('seqno', Schema.INT64_SCHEMA)
  .build()

/** Version 2, sent for every odd record with multiple.schema=true. */
export const VALUE_SCHEMA_2 = SchemaBuilder.struct()
  .version(2)
  .name('record')
  .field('boolean', Schema.BOOLEAN_SCHEMA)
  .field('int', Schema.INT32_SCHEMA)
  .field('long', Schema.INT64_SCHEMA)
  .field('float', Schema.FLOAT32_SCHEMA)
  .field('double', Schema.FLOAT64_SCHEMA)
  .field('partitioning', Schema.INT32_SCHEMA)
  .field('string', SchemaBuilder.string().defaultValue('abc').build())
  .field('id', Schema.INT32_SCHEMA)
  .field('seqno', Schema.INT64_SCHEMA)
  .build()

/** What one SchemaSource record is made of. */
export interface SchemaRecordSpec {
  readonly id: number
  readonly topic: string
  readonly seqno: number
  /** Records sent since this task started: with multiple.schema, the odd ones get version 2. */
  readonly count: number
  readonly multipleSchema: boolean
  readonly partitionCount: number
}

/** The record the task sends for this seqno. */
export function schemaSourceRecord(spec: SchemaRecordSpec, partition: Readonly<Record<string, number>>): SourceRecord {
  const second = spec.multipleSchema && spec.count % 2 !== 0
  const schema = second ? VALUE_SCHEMA_2 : VALUE_SCHEMA
  const value = new Struct(schema)
    .put('boolean', true)
    .put('int', 12)
    .put('long', 12)
    // 12.2f in Java: the float nearest to 12.2, which JsonConverter prints as 12.2.
    .put('float', Math.fround(12.2))
    .put('double', 12.2)
    .put('partitioning', spec.seqno % spec.partitionCount)
  if (second) value.put('string', 'def')
  value.put('id', spec.id).put('seqno', spec.seqno)
  return new SourceRecord({
    sourcePartition: partition,
    sourceOffset: { [SEQNO_FIELD]: spec.seqno },
    topic: spec.topic,
    kafkaPartition: spec.id,
    keySchema: Schema.STRING_SCHEMA,
    key: 'key',
    valueSchema: schema,
    value,
  })
}

/** The line printed per record; Java writes it by hand, with spaces: {"task": 0, "seqno": 5}. */
export function schemaSourceLine(id: number, seqno: number): string {
  return `{"task": ${id}, "seqno": ${seqno}}`
}

/** A source of num.messages fixed struct records per task. */
export class SchemaSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#props = { ...props }
  }

  taskClass(): new () => SourceTask {
    return SchemaSourceTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return taskConfigsWithIds(this.#props, maxTasks)
  }

  stop(): void {}

  /** No declared keys, as Java's (an empty ConfigDef). */
  config(): ConfigDef {
    return new ConfigDef()
  }
}

/** The task of SchemaSourceConnector. */
export class SchemaSourceTask extends SourceTask {
  #id = 0
  #topic = ''
  #partition: Readonly<Record<string, number>> = {}
  #startingSeqno = 0
  #seqno = 0
  #count = 0
  #maxNumMsgs = 0
  #multipleSchema = false
  #partitionCount = 1
  #throttler = new ThroughputThrottler(-1, 0)
  readonly #sleep = new StopAwareSleep()

  version(): string {
    return TSCONNECT_VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const k = SchemaSourceKeys
    const id = javaParseInt(props[k.ID_CONFIG])
    const maxNumMsgs = javaParseLong(props[k.NUM_MSGS_CONFIG])
    const partitionCount = javaParseInt(props[k.PARTITION_COUNT_CONFIG] ?? '1')
    const throughput = javaParseLong(props[k.THROUGHPUT_CONFIG])
    if (id === undefined || maxNumMsgs === undefined || partitionCount === undefined || throughput === undefined) {
      throw new ConnectError(
        'INVALID_CONFIG',
        `Invalid SchemaSourceTask configuration: ${k.ID_CONFIG}, ${k.NUM_MSGS_CONFIG}, ${k.THROUGHPUT_CONFIG} and ${k.PARTITION_COUNT_CONFIG} (if set) must be integers`,
      )
    }
    this.#id = id
    this.#topic = requiredTopic('SchemaSourceTask', props)
    this.#maxNumMsgs = maxNumMsgs
    this.#multipleSchema = javaParseBoolean(props[k.MULTIPLE_SCHEMA_CONFIG])
    this.#partitionCount = partitionCount
    this.#throttler = new ThroughputThrottler(throughput, Date.now())
    this.#partition = Object.freeze({ [ID_FIELD]: id })
    this.#seqno = resumeSeqno(await this.context.offsetStorageReader().offset(this.#partition))
    this.#startingSeqno = this.#seqno
    this.#count = 0
  }

  async poll(): Promise<SourceRecord[]> {
    if (this.#count >= this.#maxNumMsgs) {
      // All sent: Java's throttle() sleeps until stop() wakes it (unthrottled) or for its deficit; at least a while
      // here, since the worker polls again at once and an empty answer must not spin.
      await this.#sleep.sleep(Math.max(this.#throttler.throttleMs(), IDLE_POLL_MS))
      return []
    }
    if (this.#throttler.shouldThrottle(this.#seqno - this.#startingSeqno, Date.now())) {
      await this.#sleep.sleep(this.#throttler.throttleMs())
    }
    const record = schemaSourceRecord(
      {
        id: this.#id,
        topic: this.#topic,
        seqno: this.#seqno,
        count: this.#count,
        multipleSchema: this.#multipleSchema,
        partitionCount: this.#partitionCount,
      },
      this.#partition,
    )
    printLine(schemaSourceLine(this.#id, this.#seqno))
    this.#seqno++
    this.#count++
    return [record]
  }

  stop(): void {
    this.#sleep.stop()
  }
}
