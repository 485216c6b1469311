/**
 * Java connectors and tasks as ordinary tsconnect plugins: classes extending the api/ base classes whose methods
 * are requests to the JVM plugin host, so the worker runs them with its own loops, converters, transforms, offset
 * store, error handling and restarts, exactly as it runs a TypeScript plugin.
 *
 * Batching: a poll or a put is one request for the whole batch; commitRecord acknowledgements are collected and
 * sent with the next poll or commit. Backpressure is the worker's: it polls only when it has room.
 */
import type { ConnectorTransactionBoundaries, ExactlyOnceSupport, SinkOffsetChange } from '../api/connector.ts'
import { SinkConnector, SourceConnector } from '../api/connector.ts'
import type { RecordMetadata, SourcePartitionOffset, TopicPartition, TopicPartitionOffset } from '../api/contexts.ts'
import { type OrderedSourceMap, type SinkRecord, SourceRecord, type TimestampType } from '../api/records.ts'
import { SinkTask, SourceTask } from '../api/task.ts'
import type { ConfigDef, ConfigValue } from '../config/config-def.ts'
import { Header, Headers } from '../data/headers.ts'
import { type JsonValue, toJacksonJson } from '../protocol/jackson-json.ts'
import { decodeValue, encodeValue, SchemaTable, schemaAt, schemasFrom, type WireSchema } from './data-codec.ts'
import { type JavaErrorInfo, JavaPluginError, type JavaPluginInfo, type JvmHost } from './host.ts'
import { type JavaConfigValue, javaConfigDef, javaConfigValues } from './java-config.ts'
import { parseOrderedJson } from './ordered-json.ts'

type Props = Readonly<Record<string, string>>

/** One hosted instance: its id in one run of the host. */
interface Hosted {
  readonly id: number
  readonly generation: number
}

type OffsetsReader = { offsets(partitions: readonly OrderedSourceMap[]): Promise<SourcePartitionOffset[]> }

/** Answers the host's "offsets" request from an offset storage reader; partitions and offsets as Java's JSON. */
async function answerOffsets(reader: OffsetsReader, message: Record<string, unknown>): Promise<unknown> {
  const texts = message.partitions as string[]
  const maps = texts.map((t) => parseOrderedJson(t) as OrderedSourceMap)
  const found = await reader.offsets(maps)
  return found.map((f) => {
    const i = maps.indexOf(f.partition as OrderedSourceMap)
    return [texts[i], f.offset === null ? null : toJacksonJson(f.offset as JsonValue)]
  })
}

function sourceMap(text: unknown): OrderedSourceMap | null {
  return text === null || text === undefined ? null : (parseOrderedJson(String(text)) as OrderedSourceMap)
}

function mapJson(map: unknown): string | null {
  return map === null || map === undefined ? null : toJacksonJson(map as JsonValue)
}

function headersFrom(list: unknown, schemas: ReturnType<typeof schemasFrom>): Headers {
  const headers = new Headers()
  for (const [key, s, v] of (list as [string, number, unknown][] | undefined) ?? []) {
    const schema = schemaAt(schemas, s)
    headers.add(new Header(key, schema, decodeValue(schema, v)))
  }
  return headers
}

function headersWire(headers: Headers, table: SchemaTable): unknown[] {
  return [...headers].map((h) => [h.key, table.id(h.schema), encodeValue(h.schema, h.value)])
}

interface WireSourceRecord {
  rid: number
  t: string
  p?: number
  ks: number
  k: unknown
  vs: number
  v: unknown
  ts?: number
  h?: unknown
  sp: string | null
  so: string | null
}

/** What a hosted connector's events reach: the proxy's context. */
interface ConnectorOwner {
  fail(e: Error): void
  reconfigure(): void
  reader(): OffsetsReader | undefined
}

/** Builds the proxy connector class (and its task class) for one Java connector the host discovered. */
export function javaConnectorClass(host: JvmHost, info: JavaPluginInfo): new () => SourceConnector | SinkConnector {
  let def: ConfigDef | undefined
  const configDef = () => {
    def ??= javaConfigDef(info.config)
    return def
  }
  const validate = async (props: Props): Promise<ConfigValue[]> => {
    const answer = (await host.call('validate', { class: info.class, props })) as { values: JavaConfigValue[] }
    return javaConfigValues(answer.values)
  }
  const taskClass = info.type === 'source' ? sourceTaskClass(host, info) : sinkTaskClass(host, info)

  /** The hosted connector's calls, shared by the source and sink proxies. */
  class Remote {
    #hosted: Hosted | undefined
    readonly #owner: ConnectorOwner

    constructor(owner: ConnectorOwner) {
      this.#owner = owner
    }

    async ensure(): Promise<Hosted> {
      if (this.#hosted === undefined) {
        const created = await host.newInstance(
          'connector.new',
          { class: info.class },
          {
            event: (name, m) => {
              if (name === 'raiseError') this.#owner.fail(new JavaPluginError(m.error as JavaErrorInfo))
              else if (name === 'requestTaskReconfiguration') this.#owner.reconfigure()
            },
            request: async (op, m) => {
              const reader = this.#owner.reader()
              if (op !== 'offsets' || reader === undefined) throw new Error(`Unexpected request ${op}`)
              return answerOffsets(reader, m)
            },
            hostDied: (e) => this.#owner.fail(e),
          },
        )
        this.#hosted = created
      }
      return this.#hosted
    }

    async call(op: string, body: Record<string, unknown> = {}): Promise<unknown> {
      const h = await this.ensure()
      return host.callInstance(h.generation, op, { instance: h.id, ...body })
    }

    async stop(): Promise<void> {
      const h = this.#hosted
      if (h === undefined) return
      this.#hosted = undefined
      try {
        await host.callInstance(h.generation, 'stop', { instance: h.id })
      } finally {
        await host.release(h.id, h.generation)
      }
    }
  }

  if (info.type === 'source') {
    return class JavaSourceConnector extends SourceConnector {
      readonly #remote = new Remote({
        fail: (e) => this.context?.raiseError(e),
        reconfigure: () => this.context?.requestTaskReconfiguration(),
        reader: () => this.context?.offsetStorageReader() as OffsetsReader | undefined,
      })

      version(): string {
        return info.version
      }
      config(): ConfigDef {
        return configDef()
      }
      override validate(props: Props): Promise<ConfigValue[]> {
        return validate(props)
      }
      async start(props: Props): Promise<void> {
        await this.#remote.call('start', { props })
      }
      taskClass(): new () => SourceTask {
        return taskClass as new () => SourceTask
      }
      async taskConfigs(maxTasks: number): Promise<Record<string, string>[]> {
        return (await this.#remote.call('taskConfigs', { max: maxTasks })) as Record<string, string>[]
      }
      async stop(): Promise<void> {
        await this.#remote.stop()
      }
      // Java answers these per config; the worker asks synchronously, so tsconnect cannot tell (null), see docs.
      override exactlyOnceSupport(_props: Props): ExactlyOnceSupport | null {
        return null
      }
      override canDefineTransactionBoundaries(_props: Props): ConnectorTransactionBoundaries {
        return 'UNSUPPORTED'
      }
      override async alterOffsets(config: Props, offsets: readonly SourcePartitionOffset[]): Promise<boolean> {
        try {
          const wire = offsets.map((o) => [mapJson(o.partition), mapJson(o.offset)])
          return (await this.#remote.call('alterOffsets', { config, offsets: wire })) as boolean
        } finally {
          await this.#remote.stop()
        }
      }
    }
  }
  return class JavaSinkConnector extends SinkConnector {
    readonly #remote = new Remote({
      fail: (e) => this.context?.raiseError(e),
      reconfigure: () => this.context?.requestTaskReconfiguration(),
      reader: () => undefined,
    })

    version(): string {
      return info.version
    }
    config(): ConfigDef {
      return configDef()
    }
    override validate(props: Props): Promise<ConfigValue[]> {
      return validate(props)
    }
    async start(props: Props): Promise<void> {
      await this.#remote.call('start', { props })
    }
    taskClass(): new () => SinkTask {
      return taskClass as new () => SinkTask
    }
    async taskConfigs(maxTasks: number): Promise<Record<string, string>[]> {
      return (await this.#remote.call('taskConfigs', { max: maxTasks })) as Record<string, string>[]
    }
    async stop(): Promise<void> {
      await this.#remote.stop()
    }
    override async alterOffsets(config: Props, offsets: readonly SinkOffsetChange[]): Promise<boolean> {
      try {
        const wire = offsets.map((o) => [o.topic, o.partition, o.offset])
        return (await this.#remote.call('alterOffsets', { config, offsets: wire })) as boolean
      } finally {
        await this.#remote.stop()
      }
    }
  }
}

/** A hosted task's calls. */
class RemoteTask {
  readonly #host: JvmHost
  #hosted: Hosted | undefined

  constructor(host: JvmHost) {
    this.#host = host
  }

  async create(body: Record<string, unknown>, handler: Parameters<JvmHost['newInstance']>[2]): Promise<void> {
    const created = await this.#host.newInstance('task.new', body, handler)
    this.#hosted = created
  }

  call(op: string, body: Record<string, unknown> = {}): Promise<unknown> {
    const h = this.#hosted
    if (h === undefined) return Promise.reject(new Error(`The task was not started before ${op}`))
    return this.#host.callInstance(h.generation, op, { instance: h.id, ...body })
  }

  async stop(): Promise<void> {
    const h = this.#hosted
    if (h === undefined) return
    this.#hosted = undefined
    try {
      await this.#host.callInstance(h.generation, 'stop', { instance: h.id })
    } finally {
      await this.#host.release(h.id, h.generation)
    }
  }
}

function sourceTaskClass(host: JvmHost, info: JavaPluginInfo): new () => SourceTask {
  return class JavaSourceTask extends SourceTask {
    /** The Java task class, for the task.class key of task configs (worker/connector-runner.ts). */
    static readonly javaClassName = info.taskClass
    readonly #remote = new RemoteTask(host)
    readonly #ids = new WeakMap<SourceRecord, number>()
    #acks: unknown[][] = []

    version(): string {
      return info.version
    }
    async start(props: Props): Promise<void> {
      await this.#remote.create(
        { connectorClass: info.class, props },
        {
          request: (op, m) => {
            if (op !== 'offsets') return Promise.reject(new Error(`Unexpected request ${op}`))
            return answerOffsets(this.context.offsetStorageReader() as OffsetsReader, m)
          },
        },
      )
      await this.#remote.call('start', { props })
    }
    async #flushAcks(): Promise<void> {
      if (this.#acks.length === 0) return
      const acks = this.#acks
      this.#acks = []
      await this.#remote.call('commitRecords', { acks })
    }
    async poll(): Promise<SourceRecord[] | null> {
      await this.#flushAcks()
      const answer = (await this.#remote.call('poll')) as { schemas?: WireSchema[]; records: WireSourceRecord[] | null }
      if (answer.records === null) return null
      const schemas = schemasFrom(answer.schemas)
      return answer.records.map((r) => {
        const keySchema = schemaAt(schemas, r.ks)
        const valueSchema = schemaAt(schemas, r.vs)
        const record = new SourceRecord({
          topic: r.t,
          kafkaPartition: r.p ?? null,
          keySchema,
          key: decodeValue(keySchema, r.k),
          valueSchema,
          value: decodeValue(valueSchema, r.v),
          timestamp: r.ts ?? null,
          headers: headersFrom(r.h, schemas),
          sourcePartition: sourceMap(r.sp),
          sourceOffset: sourceMap(r.so),
        })
        this.#ids.set(record, r.rid)
        return record
      })
    }
    override commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
      const rid = this.#ids.get(record)
      if (rid === undefined) return
      this.#acks.push(
        metadata === null ? [rid] : [rid, metadata.topic, metadata.partition, metadata.offset, metadata.timestamp],
      )
    }
    override async commit(): Promise<void> {
      await this.#flushAcks()
      await this.#remote.call('commit')
    }
    async stop(): Promise<void> {
      await this.#remote.stop()
    }
  }
}

function sinkTaskClass(host: JvmHost, info: JavaPluginInfo): new () => SinkTask {
  return class JavaSinkTask extends SinkTask {
    /** The Java task class, for the task.class key of task configs (worker/connector-runner.ts). */
    static readonly javaClassName = info.taskClass
    readonly #remote = new RemoteTask(host)
    #batch: readonly SinkRecord[] = []

    version(): string {
      return info.version
    }
    async start(props: Props): Promise<void> {
      const partitions = (m: Record<string, unknown>): TopicPartition[] =>
        (m.partitions as [string, number][]).map(([topic, partition]) => ({ topic, partition }))
      await this.#remote.create(
        { connectorClass: info.class, props, errantReporter: this.context.errantRecordReporter() !== null },
        {
          event: (name, m) => {
            if (name === 'offset') {
              const offsets = m.offsets as [string, number, number][]
              this.context.offset(offsets.map(([topic, partition, offset]) => ({ topic, partition, offset })))
            } else if (name === 'timeout') this.context.timeout(m.ms as number)
            else if (name === 'pause') this.context.pause(...partitions(m))
            else if (name === 'resume') this.context.resume(...partitions(m))
            else if (name === 'requestCommit') this.context.requestCommit()
          },
          request: async (op, m) => {
            const reporter = this.context.errantRecordReporter()
            const record = this.#batch.find(
              (r) =>
                r.originalTopic === m.topic &&
                r.originalKafkaPartition === m.partition &&
                r.originalKafkaOffset === m.offset,
            )
            if (op !== 'report' || reporter === null || record === undefined) {
              throw new Error(
                `Cannot report the record at ${String(m.topic)}-${String(m.partition)}@${String(m.offset)}`,
              )
            }
            await reporter.report(record, new JavaPluginError(m.error as JavaErrorInfo))
            return null
          },
        },
      )
      await this.#remote.call('start', { props })
    }
    async put(records: readonly SinkRecord[]): Promise<void> {
      const table = new SchemaTable()
      const wire = records.map((r) => ({
        t: r.topic,
        p: r.kafkaPartition,
        o: r.kafkaOffset,
        ks: table.id(r.keySchema),
        k: encodeValue(r.keySchema, r.key),
        vs: table.id(r.valueSchema),
        v: encodeValue(r.valueSchema, r.value),
        ts: r.timestamp,
        tt: r.timestampType satisfies TimestampType,
        h: headersWire(r.headers, table),
        ot: r.originalTopic,
        op: r.originalKafkaPartition,
        oo: r.originalKafkaOffset,
      }))
      this.#batch = records
      try {
        await this.#remote.call('put', { schemas: table.schemas, records: wire })
      } finally {
        this.#batch = []
      }
    }
    override async preCommit(offsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
      const wire = offsets.map((o) => [o.topic, o.partition, o.offset, o.metadata ?? ''])
      const answer = (await this.#remote.call('preCommit', { offsets: wire })) as [string, number, number, string][]
      return answer.map(([topic, partition, offset, metadata]) => ({ topic, partition, offset, metadata }))
    }
    override async open(partitions: readonly TopicPartition[]): Promise<void> {
      await this.#remote.call('open', { partitions: partitions.map((p) => [p.topic, p.partition]) })
    }
    override async close(partitions: readonly TopicPartition[]): Promise<void> {
      await this.#remote.call('close', { partitions: partitions.map((p) => [p.topic, p.partition]) })
    }
    async stop(): Promise<void> {
      await this.#remote.stop()
    }
  }
}
