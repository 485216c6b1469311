/**
 * FileStreamSourceConnector and its task (Java's org.apache.kafka.connect.file), written as any third-party
 * connector would be, on the public API only.
 *
 * Each line of `file` (standard input when unset) becomes a record on `topic` with a string value, a null key and
 * the current time. Lines end with \n, \r or \r\n. The source partition is {"filename": file} and the offset
 * {"position": n}, n counting characters (UTF-16 code units, Java's chars) up to the start of the next line. On
 * start the task skips `position` bytes, as Java does: for ASCII files the two agree, and a FileStreamSource that
 * Java Connect ran resumes from Java's stored offset.
 */
import { type FileHandle, open } from 'node:fs/promises'
import { SourceConnector } from '../../api/connector.ts'
import type { SourcePartitionOffset } from '../../api/contexts.ts'
import { SourceRecord } from '../../api/records.ts'
import { SourceTask } from '../../api/task.ts'
import { AbstractConfig } from '../../config/abstract-config.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { Validators } from '../../config/validators.ts'
import { Schema } from '../../data/schema.ts'
import { ConnectError } from '../../errors.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'

export const FILE_CONFIG = 'file'
export const TOPIC_CONFIG = 'topic'
export const TASK_BATCH_SIZE_CONFIG = 'batch.size'
export const FILENAME_FIELD = 'filename'
export const POSITION_FIELD = 'position'

/** The source connector's configs, as Java's CONFIG_DEF. */
export const SOURCE_CONFIG_DEF = new ConfigDef()
  .define({
    name: FILE_CONFIG,
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Source filename. If not specified, the standard input will be used',
  })
  .define({
    name: TOPIC_CONFIG,
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'The topic to publish data to',
  })
  .define({
    name: TASK_BATCH_SIZE_CONFIG,
    type: 'INT',
    defaultValue: 2000,
    importance: 'LOW',
    documentation: 'The maximum number of records the source task can read from the file each time it is polled',
  })

/** Reads a file line by line into a topic; one task. */
export class FileStreamSourceConnector extends SourceConnector {
  #props: Record<string, string> = {}

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    new AbstractConfig(SOURCE_CONFIG_DEF, props)
    this.#props = { ...props }
  }

  taskClass(): new () => SourceTask {
    return FileStreamSourceTask
  }

  /** Only one input stream makes sense: one task config, a copy of the connector's. */
  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#props }]
  }

  stop(): void {}

  config(): ConfigDef {
    return SOURCE_CONFIG_DEF
  }

  override exactlyOnceSupport(props: Readonly<Record<string, string>>): 'SUPPORTED' | 'UNSUPPORTED' {
    const file = new AbstractConfig(SOURCE_CONFIG_DEF, props).getString(FILE_CONFIG)
    return file ? 'SUPPORTED' : 'UNSUPPORTED'
  }

  override alterOffsets(config: Readonly<Record<string, string>>, offsets: readonly SourcePartitionOffset[]): boolean {
    const file = new AbstractConfig(SOURCE_CONFIG_DEF, config).getString(FILE_CONFIG)
    if (!file) {
      throw new ConnectError(
        'BAD_REQUEST',
        `Offsets cannot be modified if the '${FILE_CONFIG}' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.`,
      )
    }
    for (const { partition, offset } of offsets) {
      if (offset === null) continue
      if (!(POSITION_FIELD in offset)) {
        throw new ConnectError(
          'BAD_REQUEST',
          `Offset objects should either be null or contain the key '${POSITION_FIELD}'`,
        )
      }
      const position = offset[POSITION_FIELD]
      if (!(typeof position === 'bigint' || (typeof position === 'number' && Number.isInteger(position)))) {
        throw new ConnectError(
          'BAD_REQUEST',
          `The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`,
        )
      }
      if (position < 0) {
        throw new ConnectError(
          'BAD_REQUEST',
          `The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`,
        )
      }
      if (partition === null) throw new ConnectError('BAD_REQUEST', 'Partition objects cannot be null')
      if (!(FILENAME_FIELD in partition)) {
        throw new ConnectError('BAD_REQUEST', `Partition objects should contain the key '${FILENAME_FIELD}'`)
      }
    }
    return true
  }
}

const CHUNK = 64 * 1024
const MISSING_FILE_WAIT_MS = 1000

/** The task of FileStreamSourceConnector. */
export class FileStreamSourceTask extends SourceTask {
  #filename: string | null = null
  #topic = ''
  #batchSize = 2000
  #file: FileHandle | null = null
  #stdin: AsyncIterator<Buffer> | null = null
  #decoder = new TextDecoder('utf-8')
  /** Decoded text not yet cut into lines. */
  #pending = ''
  /** Characters up to the start of the next line (null for stdin, whose offsets are not tracked). */
  #streamOffset: number | null = null
  #stopped = false
  /** One partition object for every record: the worker tracks offsets by partition identity first. */
  #partition: Readonly<Record<string, string>> | null = null
  #wake: (() => void) | null = null

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(SOURCE_CONFIG_DEF, props)
    this.#filename = config.getString(FILE_CONFIG) || null
    this.#partition = this.#filename === null ? null : Object.freeze({ [FILENAME_FIELD]: this.#filename })
    this.#topic = config.getString(TOPIC_CONFIG) as string
    this.#batchSize = config.getInt(TASK_BATCH_SIZE_CONFIG) ?? 2000
    if (this.#filename === null) this.#stdin = process.stdin[Symbol.asyncIterator]()
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#filename !== null && this.#file === null && !(await this.#openFile())) return null
    const records: SourceRecord[] = []
    this.#cutLines(records)
    while (records.length < this.#batchSize && !this.#stopped) {
      const chunk = await this.#read()
      if (chunk === null) break
      this.#pending += this.#decoder.decode(chunk, { stream: true })
      this.#cutLines(records)
    }
    if (records.length === 0) {
      // At the end of the file: wait a second (or until stop) before polling again, as Java does.
      await this.#sleep(MISSING_FILE_WAIT_MS)
      return null
    }
    return records
  }

  stop(): void {
    this.#stopped = true
    this.#wake?.()
    const file = this.#file
    this.#file = null
    file?.close().catch(() => {})
  }

  async #openFile(): Promise<boolean> {
    const filename = this.#filename as string
    let file: FileHandle
    try {
      file = await open(filename, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await this.#sleep(MISSING_FILE_WAIT_MS)
        return false
      }
      throw new ConnectError('UNKNOWN', `Couldn't open ${filename}: ${(error as Error).message}`, { cause: error })
    }
    const offset = await this.context.offsetStorageReader().offset({ [FILENAME_FIELD]: filename })
    const last = offset?.[POSITION_FIELD]
    if (last != null && typeof last !== 'number' && typeof last !== 'bigint') {
      await file.close()
      throw new ConnectError('DATA_ERROR', 'Offset position is the incorrect type')
    }
    this.#streamOffset = last == null ? 0 : Number(last)
    this.#position = this.#streamOffset
    this.#file = file
    return true
  }

  /** The byte position of the next read. */
  #position = 0
  readonly #chunk = Buffer.allocUnsafe(CHUNK)

  async #read(): Promise<Buffer | null> {
    if (this.#stdin) {
      const next = await this.#stdin.next()
      return next.done ? null : next.value
    }
    if (this.#file === null) return null
    const { bytesRead } = await this.#file.read(this.#chunk, 0, CHUNK, this.#position)
    if (bytesRead === 0) return null
    this.#position += bytesRead
    return this.#chunk.subarray(0, bytesRead)
  }

  /** Cuts complete lines off the pending text into records, up to the batch size. */
  #cutLines(records: SourceRecord[]): void {
    const text = this.#pending
    let start = 0
    const now = Date.now()
    while (records.length < this.#batchSize) {
      const nl = text.indexOf('\n', start)
      const cr = text.indexOf('\r', start)
      let until: number
      let next: number
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        // A \r at the end of what was read may be the first half of \r\n: wait for the next character.
        if (cr + 1 >= text.length) break
        until = cr
        next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1
      } else if (nl !== -1) {
        until = nl
        next = nl + 1
      } else break
      const line = text.slice(start, until)
      if (this.#streamOffset !== null) this.#streamOffset += next - start
      records.push(
        new SourceRecord({
          sourcePartition: this.#partition,
          sourceOffset: this.#streamOffset === null ? null : { [POSITION_FIELD]: this.#streamOffset },
          topic: this.#topic,
          valueSchema: Schema.STRING_SCHEMA,
          value: line,
          timestamp: now,
        }),
      )
      start = next
    }
    this.#pending = start === 0 ? text : text.slice(start)
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      const self = this
      function done() {
        clearTimeout(timer)
        self.#wake = null
        resolve()
      }
      this.#wake = done
    })
  }
}
