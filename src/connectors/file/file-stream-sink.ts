/**
 * FileStreamSinkConnector and its task (Java's org.apache.kafka.connect.file): appends each record's value and a
 * newline to `file` (standard output when unset), as Java's PrintStream.println(record.value()) does; flush()
 * makes sure everything put so far was written.
 */
import { type FileHandle, open } from 'node:fs/promises'
import { SinkConnector } from '../../api/connector.ts'
import type { SinkRecord } from '../../api/records.ts'
import { SinkTask } from '../../api/task.ts'
import { AbstractConfig } from '../../config/abstract-config.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { ConnectError } from '../../errors.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { FILE_CONFIG } from './file-stream-source.ts'

/** The sink connector's configs, as Java's CONFIG_DEF. */
export const SINK_CONFIG_DEF = new ConfigDef().define({
  name: FILE_CONFIG,
  type: 'STRING',
  defaultValue: null,
  importance: 'HIGH',
  documentation: 'Destination filename. If not specified, the standard output will be used',
})

/** Writes records to a file; as many tasks as tasks.max. */
export class FileStreamSinkConnector extends SinkConnector {
  #props: Record<string, string> = {}

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    new AbstractConfig(SINK_CONFIG_DEF, props)
    this.#props = { ...props }
  }

  taskClass(): new () => SinkTask {
    return FileStreamSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}

  config(): ConfigDef {
    return SINK_CONFIG_DEF
  }

  /** Nothing to do: the connector keeps no offsets of its own. */
  override alterOffsets(): boolean {
    return true
  }
}

/** Java's String.valueOf for the values converters produce. */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return value
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${javaString(k)}=${javaString(v)}`).join(', ')}}`
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`
  if (typeof value === 'object' && value.constructor === Object) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaString(v)}`)
      .join(', ')}}`
  }
  return String(value)
}

/** The task of FileStreamSinkConnector. */
export class FileStreamSinkTask extends SinkTask {
  #file: FileHandle | null = null
  #filename: string | null = null

  version(): string {
    return TSCONNECT_VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.#filename = new AbstractConfig(SINK_CONFIG_DEF, props).getString(FILE_CONFIG) || null
    if (this.#filename === null) return
    try {
      this.#file = await open(this.#filename, 'a')
    } catch (error) {
      throw new ConnectError('UNKNOWN', `Couldn't find or create file '${this.#filename}' for FileStreamSinkTask`, {
        cause: error,
      })
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return
    let text = ''
    for (const record of records) text += `${javaString(record.value)}\n`
    if (this.#file) await this.#file.write(text)
    else process.stdout.write(text)
  }

  /** Writes are not buffered here (put awaits them), so there is nothing left to flush. */
  override flush(): void {}

  async stop(): Promise<void> {
    const file = this.#file
    this.#file = null
    await file?.close()
  }
}
