/**
 * The offset store of standalone mode: source connectors' offsets in a local file (offset.storage.file.filename),
 * as Java's FileOffsetBackingStore keeps them.
 *
 * Keys and values are the offsets topic's record bytes (protocol/offset-records.ts): `["<connector>",{...}]` and
 * `{...}`. Java's file is a serialized java.util.HashMap<ByteBuffer, ByteBuffer>, which Node cannot write
 * compatibly; this file holds the same keys and values as JSON text instead:
 *
 *   {"version":1,"offsets":[["[\"file-source\",{\"filename\":\"/data/a.txt\"}]","{\"position\":4096}"], ...]}
 *
 * Each pair is [key text, value text] (UTF-8 of the record bytes). A Java worker's file cannot be read (and is
 * reported as unreadable, naming the file), and Java cannot read this one.
 *
 * Writes: every set rewrites the whole file through a temporary file and a rename, so a crash leaves the old file
 * or the new one, never half of one. Writes are chained, so the file always ends with the latest set. Java also
 * saves after each set; the worker's offset commit interval bounds how often that happens.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import { CorruptDataError } from '../errors.ts'
import { canonicalOffsetKey, decodeOffsetKey, encodeOffsetKey, type OffsetMap } from '../protocol/offset-records.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'
import type { KnownPartition, OffsetEntry, OffsetStore } from './offset-store.ts'

/** Options of a FileOffsetStore. */
export interface FileOffsetStoreOptions {
  /** offset.storage.file.filename. */
  readonly filename: string
  readonly logger?: Logger
}

/** The file's shape; see the file comment. */
interface OffsetFile {
  version: 1
  offsets: [string, string][]
}

const asMapKey = (bytes: Buffer) => bytes.toString('latin1')

/** An offset store persisted to one local file; see the file comment. */
export class FileOffsetStore implements OffsetStore {
  readonly #filename: string
  readonly #log: Logger
  /** Exact key bytes (latin1) → value bytes. */
  readonly #data = new Map<string, Buffer>()
  #writes: Promise<void> = Promise.resolve()
  #tmpCount = 0

  constructor(opts: FileOffsetStoreOptions) {
    this.#filename = opts.filename
    this.#log = (opts.logger ?? componentLogger('stores.offsets')).child({ file: opts.filename })
  }

  /**
   * Loads the file; a missing file is an empty store (Java's first start).
   * @throws CorruptDataError when the file exists but is not this store's format
   */
  async start(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.#filename, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#log.info('no offset file yet: starting empty')
        return
      }
      throw error
    }
    this.#data.clear()
    for (const [key, value] of parseOffsetFile(text, this.#filename)) {
      this.#data.set(asMapKey(Buffer.from(key, 'utf8')), Buffer.from(value, 'utf8'))
    }
    this.#log.info({ keys: this.#data.size }, 'loaded the offset file')
  }

  /** Waits for the last write to reach the file. */
  async stop(): Promise<void> {
    await this.#writes
  }

  async refresh(): Promise<void> {}

  async get(keys: readonly Buffer[]): Promise<(Buffer | null)[]> {
    return keys.map((key) => this.#data.get(asMapKey(key)) ?? null)
  }

  lookup(connector: string, partition: OffsetMap | null): Buffer | undefined {
    const exact = this.#data.get(asMapKey(encodeOffsetKey(connector, partition)))
    if (exact) return exact
    // Beyond Java, as the Kafka-based store: the same partition written with its fields in another order.
    const wanted = canonicalOffsetKey(connector, partition)
    for (const [key, value] of this.#data) {
      const parsed = tryDecodeKey(Buffer.from(key, 'latin1'))
      if (parsed && canonicalOffsetKey(parsed.connector, parsed.partition) === wanted) return value
    }
    return undefined
  }

  /** Applies the entries in memory, then resolves once the file holds them. */
  set(entries: readonly OffsetEntry[]): Promise<void> {
    for (const { key, value } of entries) {
      if (value === null) this.#data.delete(asMapKey(key))
      else this.#data.set(asMapKey(key), value)
    }
    const snapshot = this.#serialize()
    const write = this.#writes.then(() => this.#write(snapshot))
    // A failed write fails its own set; the next one still tries (it carries everything).
    this.#writes = write.catch(() => {})
    return write
  }

  connectorPartitions(connector: string): KnownPartition[] {
    const known: KnownPartition[] = []
    for (const mapKey of this.#data.keys()) {
      const key = Buffer.from(mapKey, 'latin1')
      const parsed = tryDecodeKey(key)
      if (parsed?.connector === connector) known.push({ partition: parsed.partition, key })
    }
    return known
  }

  #serialize(): string {
    const file: OffsetFile = {
      version: 1,
      offsets: [...this.#data].map(([key, value]) => [
        Buffer.from(key, 'latin1').toString('utf8'),
        value.toString('utf8'),
      ]),
    }
    return `${JSON.stringify(file)}\n`
  }

  async #write(text: string): Promise<void> {
    const tmp = `${this.#filename}.${process.pid}.${++this.#tmpCount}.tmp`
    await writeFile(tmp, text, 'utf8')
    await rename(tmp, this.#filename)
  }
}

function tryDecodeKey(key: Buffer) {
  try {
    return decodeOffsetKey(key)
  } catch (error) {
    if (error instanceof CorruptDataError) return undefined
    throw error
  }
}

/**
 * The [key, value] pairs of an offset file's text.
 * @throws CorruptDataError naming the file when it is not this store's format (e.g. Java's serialized HashMap)
 */
export function parseOffsetFile(text: string, filename: string): [string, string][] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new CorruptDataError(
      `The offset file ${filename} is not a tsconnect offset file (JSON); a Java worker's file cannot be read`,
    )
  }
  const offsets = (parsed as Partial<OffsetFile> | null)?.offsets
  const valid =
    Array.isArray(offsets) &&
    offsets.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string')
  if (!valid) throw new CorruptDataError(`The offset file ${filename} has no valid "offsets" list`)
  return offsets
}
