/**
 * SequenceSourceConnector: writes start, start + 1, ... to a topic, one record per number, as a struct {seq, name}.
 * Its source offset is the next number, so a restarted task continues where the last committed record left off.
 *
 * Numbers are 64-bit and carried as bigints, in the records and in the offsets (a sequence may start beyond 2^53,
 * where a JS number would round); partition and offset are built with the kit's javaHashMapOrder, as a connector
 * with a Java twin builds them, so that the offsets topic holds the bytes the twin's HashMap would write.
 */
import {
  AbstractConfig,
  ConfigDef,
  ConfigError,
  javaHashMapOrder,
  offsetLong,
  Schema,
  SchemaBuilder,
  SourceConnector,
  SourceRecord,
  SourceTask,
  Struct,
  Validators,
} from 'tsconnect'

const VERSION = '1.0.0'

const CONFIG = new ConfigDef()
  .define({
    name: 'topic',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'The topic to write to.',
  })
  .define({
    name: 'name',
    type: 'STRING',
    defaultValue: 'sequence',
    importance: 'MEDIUM',
    documentation:
      "The sequence name, also its source partition. A worker sets `name` to the connector's name, so in a cluster the sequence is named after its connector.",
  })
  .define({
    name: 'start',
    type: 'STRING',
    defaultValue: '0',
    validator: {
      ensureValid(name: string, value: unknown) {
        if (
          typeof value !== 'string' ||
          !/^-?\d+$/.test(value) ||
          BigInt(value) >= 2n ** 63n ||
          BigInt(value) < -(2n ** 63n)
        ) {
          throw new ConfigError(
            `Invalid value ${String(value)} for configuration ${name}: must be a 64-bit integer`,
            name,
          )
        }
      },
      toString: () => 'a 64-bit integer',
    },
    importance: 'LOW',
    documentation:
      'The first number of a sequence that has no committed offset yet; any 64-bit integer, also beyond 2^53.',
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 10,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    documentation: 'Records per poll.',
  })
  .define({
    name: 'poll.interval.ms',
    type: 'LONG',
    defaultValue: 100,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'Pause between polls.',
  })

export const VALUE_SCHEMA = SchemaBuilder.struct()
  .name('example.Sequence')
  .field('seq', Schema.INT64_SCHEMA)
  .field('name', Schema.STRING_SCHEMA)
  .build()

/** The connector: one task that does the counting. */
export class SequenceSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    new AbstractConfig(CONFIG, props) // fail start() early on a bad config
    this.#props = props
  }

  taskClass() {
    return SequenceSourceTask
  }

  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#props }] // one sequence, so one task whatever tasks.max says
  }

  stop(): void {}
}

/** The task: emits batch.size numbers per poll, resuming from the committed offset. */
export class SequenceSourceTask extends SourceTask {
  #topic = ''
  #name = ''
  #batchSize = 10
  #pollIntervalMs = 100
  #next = 0n
  #start = 0n
  #partition: ReadonlyMap<string, string> = new Map()
  #stopped = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(CONFIG, props)
    this.#topic = config.getString('topic') ?? ''
    this.#name = config.getString('name') ?? 'sequence'
    this.#batchSize = config.getInt('batch.size') ?? 10
    this.#pollIntervalMs = config.getLong('poll.interval.ms') ?? 100
    this.#start = BigInt(config.getString('start') ?? '0')
    this.#partition = javaHashMapOrder([['sequence', this.#name]])
    const offset = await this.context.offsetStorageReader().offset(this.#partition)
    this.#next = offset === null ? this.#start : offsetLong(offset.next, 'next')
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#stopped) return null
    await new Promise((r) => setTimeout(r, this.#pollIntervalMs))
    const records: SourceRecord[] = []
    for (let i = 0; i < this.#batchSize; i++) {
      const seq = this.#next++
      records.push(
        new SourceRecord({
          sourcePartition: this.#partition,
          sourceOffset: javaHashMapOrder([['next', this.#next]]),
          topic: this.#topic,
          keySchema: Schema.STRING_SCHEMA,
          key: this.#name,
          valueSchema: VALUE_SCHEMA,
          value: new Struct(VALUE_SCHEMA).put('seq', seq).put('name', this.#name),
        }),
      )
    }
    return records
  }

  stop(): void {
    this.#stopped = true
  }
}
