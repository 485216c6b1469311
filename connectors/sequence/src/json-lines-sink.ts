/**
 * JsonLinesSinkConnector: appends each record to a file as one JSON line {topic, partition, offset, key, value}.
 * Writes are buffered in put() and made durable in flush(), so offsets are committed only for lines on disk.
 */
import { appendFile } from 'node:fs/promises'
import {
  AbstractConfig,
  ConfigDef,
  SinkConnector,
  type SinkRecord,
  SinkTask,
  Struct,
  type TopicPartitionOffset,
} from 'tsconnect'

const VERSION = '1.0.0'

const CONFIG = new ConfigDef().define({
  name: 'file',
  type: 'STRING',
  importance: 'HIGH',
  documentation: 'The file to append JSON lines to.',
})

/** Plain JSON for a Connect value (structs as objects, maps as objects, bigints as strings). */
export function plain(value: unknown): unknown {
  if (value instanceof Struct) {
    return Object.fromEntries(value.schema.fields.map((f) => [f.name, plain(value.get(f))]))
  }
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]))
  if (Array.isArray(value)) return value.map(plain)
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  return value
}

/** The connector: every task appends to the same file. */
export class JsonLinesSinkConnector extends SinkConnector {
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
    return JsonLinesSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}
}

/** The task: buffers lines in put(), appends them in flush(). */
export class JsonLinesSinkTask extends SinkTask {
  #file = ''
  #buffer: string[] = []

  version(): string {
    return VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#file = new AbstractConfig(CONFIG, props).getString('file') ?? ''
  }

  put(records: readonly SinkRecord[]): void {
    for (const r of records) {
      const line = {
        topic: r.topic,
        partition: r.kafkaPartition,
        offset: r.kafkaOffset,
        key: plain(r.key),
        value: plain(r.value),
      }
      this.#buffer.push(`${JSON.stringify(line)}\n`)
    }
  }

  override async flush(_offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.#buffer.length === 0) return
    const text = this.#buffer.join('')
    await appendFile(this.#file, text)
    this.#buffer = []
  }

  async stop(): Promise<void> {
    await this.flush([])
  }
}
