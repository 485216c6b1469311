/**
 * VerifiableSinkConnector and its task (Java's org.apache.kafka.connect.tools), the counterpart of
 * VerifiableSourceConnector: for every record it is given, the task prints a JSON line naming the source task
 * (the record's key), the seqno (its value), the topic and the Kafka offset; once the worker flushes a partition,
 * it prints each of that partition's lines again with "flushed": true. Comparing what the source printed as
 * committed with what the sink printed as flushed shows loss and duplication across worker restarts, which is
 * what it exists for: it relies on the worker's offset management and so tests it.
 */
import { SinkConnector } from '../../api/connector.ts'
import type { TopicPartitionOffset } from '../../api/contexts.ts'
import type { SinkRecord } from '../../api/records.ts'
import { SinkTask } from '../../api/task.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { invalidConfiguration, javaParseInt } from './java-props.ts'
import { javaHashMapJson, printLine } from './json-lines.ts'
import { taskConfigsWithIds } from './verifiable-source.ts'

/** The task config keys, as Java's VerifiableSinkTask constants. */
export const VerifiableSinkKeys = Object.freeze({ NAME_CONFIG: 'name', ID_CONFIG: 'id' })

/** The fields of one received record's line, in the order Java puts them into its HashMap. */
export interface SinkLineFields {
  name: string | null
  /** The source task that sent the record: the record's key. */
  task: unknown
  /** This sink task's id. */
  sinkTask: number
  topic: string
  time_ms: number
  /** The record's value: the source's seqno. */
  seqno: unknown
  /** The record's Kafka offset. */
  offset: number
  flushed?: true
}

/** The line printed for a received record, e.g. {"task":0,"seqno":3,"offset":3,"time_ms":...,"name":"vk",...}. */
export function receivedLine(f: SinkLineFields): string {
  return javaHashMapJson({ ...f })
}

/** The line printed again once the record's partition was flushed: "time_ms" now, and "flushed": true. */
export function flushedLine(f: SinkLineFields, nowMs: number): SinkLineFields {
  return { ...f, time_ms: nowMs, flushed: true }
}

/** A sink for system tests: prints every record it is given, and again once it is flushed. */
export class VerifiableSinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#props = { ...props }
  }

  taskClass(): new () => SinkTask {
    return VerifiableSinkTask
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

/** The task of VerifiableSinkConnector. */
export class VerifiableSinkTask extends SinkTask {
  #name: string | null = null
  #id = 0
  /** The lines of records put but not yet flushed, by topic partition. */
  readonly #unflushed = new Map<string, SinkLineFields[]>()

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    const k = VerifiableSinkKeys
    this.#name = props[k.NAME_CONFIG] ?? null
    const id = javaParseInt(props[k.ID_CONFIG])
    // Java's message names VerifiableSourceTask here too.
    if (id === undefined) throw invalidConfiguration('VerifiableSourceTask', k.ID_CONFIG, props[k.ID_CONFIG])
    this.#id = id
  }

  put(records: readonly SinkRecord[]): void {
    const nowMs = Date.now()
    for (const record of records) {
      const fields: SinkLineFields = {
        name: this.#name,
        task: record.key,
        sinkTask: this.#id,
        topic: record.topic,
        time_ms: nowMs,
        seqno: record.value,
        offset: record.kafkaOffset,
      }
      printLine(receivedLine(fields))
      const key = partitionKey(record.topic, record.kafkaPartition)
      const lines = this.#unflushed.get(key)
      if (lines === undefined) this.#unflushed.set(key, [fields])
      else lines.push(fields)
    }
  }

  override flush(currentOffsets: readonly TopicPartitionOffset[]): void {
    const nowMs = Date.now()
    for (const { topic, partition } of currentOffsets) {
      const key = partitionKey(topic, partition)
      const lines = this.#unflushed.get(key)
      if (lines === undefined) continue
      for (const fields of lines) printLine(receivedLine(flushedLine(fields, nowMs)))
      this.#unflushed.delete(key)
    }
  }

  stop(): void {}
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}
