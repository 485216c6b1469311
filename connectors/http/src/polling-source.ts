/**
 * HttpSourceConnector: polls an HTTP endpoint and writes one record per element of the answer's list, with the
 * keys of castorm's `com.github.castorm.kafka.connect.http.HttpSourceConnector` (the de-facto open one).
 *
 * Each poll requests `http.request.url` with `${offset.<field>}` filled from the current offset (URL-encoded),
 * reads the list at `http.response.list.pointer` and, for each element, its offset fields at
 * `http.response.record.offset.pointer` (`key=/id, timestamp=/updated`). The last element's offset becomes the
 * current one, so the next request asks for what comes after it. After an answer with records the next poll comes
 * after `http.timer.catchup.interval.millis`, otherwise after `http.timer.interval.millis`.
 *
 * Record: key = the offset field `key` as a string (null without one); value = the element as JSON text (string
 * schema); source partition `{}` (one endpoint per connector), source offset = the element's offset fields as
 * strings. Delivery is at-least-once: a task resumes from the last committed offset, and asks again for what
 * followed it; an element equal in offset to the one it resumed from is skipped, as castorm deduplicates.
 */
import {
  AbstractConfig,
  ConfigDef,
  ConfigError,
  type ConfigKeyOptions,
  RetriableError,
  Schema,
  SourceConnector,
  SourceRecord,
  SourceTask,
  Validators,
} from 'tsconnect'
import { parsePointerMap, resolvePointer } from './json-pointer.ts'
import { expand } from './templates.ts'

const VERSION = '1.0.0'

/** The polling source's keys (castorm's names). */
export function pollingSourceConfigDef(): ConfigDef {
  const def = new ConfigDef()
  const list: Omit<ConfigKeyOptions, 'group' | 'orderInGroup'>[] = [
    {
      name: 'kafka.topic',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      documentation: 'The topic to write to.',
    },
    {
      name: 'http.request.url',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the URL placeholder, written as users write it
      documentation: 'The URL polled; `${offset.<field>}` is a field of the current offset, URL-encoded.',
    },
    {
      name: 'http.request.method',
      type: 'STRING',
      defaultValue: 'GET',
      validator: Validators.inIgnoringCase('GET', 'POST'),
      importance: 'MEDIUM',
      documentation: 'The request method.',
    },
    {
      name: 'http.request.headers',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'Request headers, `Name: value` separated by commas.',
    },
    {
      name: 'http.request.body',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder, written as users write it
      documentation: 'The body of a POST; `${offset.<field>}` is filled as in the URL (not encoded).',
    },
    {
      name: 'http.offset.initial',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'The offset before anything was committed, as `field=value, field=value`.',
    },
    {
      name: 'http.response.list.pointer',
      type: 'STRING',
      defaultValue: '/',
      importance: 'MEDIUM',
      documentation: 'JSON pointer to the array of records in the answer.',
    },
    {
      name: 'http.response.record.offset.pointer',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation:
        'The offset fields of each record, as `field=/pointer, ...`; the field `key` is also the record key.',
    },
    {
      name: 'http.timer.interval.millis',
      type: 'LONG',
      defaultValue: 60_000,
      validator: Validators.atLeast(0),
      importance: 'MEDIUM',
      documentation: 'Between polls when the last answer had no records.',
    },
    {
      name: 'http.timer.catchup.interval.millis',
      type: 'LONG',
      defaultValue: 30_000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation: 'Between polls when the last answer had records (catching up).',
    },
    {
      name: 'http.client.read.timeout.millis',
      type: 'LONG',
      defaultValue: 2000,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      documentation: 'How long one request may take.',
    },
  ]
  for (const [i, k] of list.entries()) def.define({ ...k, group: 'HTTP', orderInGroup: i + 1 })
  return def
}

const CONFIG = pollingSourceConfigDef()

/** Parses `field=value, field=value`. */
export function parseInitialOffset(text: string): Record<string, string> {
  const offset: Record<string, string> = {}
  for (const part of text.split(',')) {
    const item = part.trim()
    if (item === '') continue
    const at = item.indexOf('=')
    if (at <= 0)
      throw new ConfigError(
        `Invalid value ${text} for configuration http.offset.initial: expected field=value`,
        'http.offset.initial',
      )
    offset[item.slice(0, at).trim()] = item.slice(at + 1).trim()
  }
  return offset
}

/** Template values of an offset: `offset.<field>` for each field. */
function offsetValues(offset: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(offset).map(([k, v]) => [`offset.${k}`, v]))
}

/** A pointed-at value as offset text. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
}

/** The records of one answer, after the offset it was asked with; answers the offset to ask with next. */
export function recordsOfAnswer(
  answer: unknown,
  listPointer: string,
  offsetPointers: readonly [string, string][],
  topic: string,
  current: Readonly<Record<string, string>>,
): { records: SourceRecord[]; next: Record<string, string> } {
  const list = resolvePointer(answer, listPointer)
  const items = Array.isArray(list) ? list : list === undefined ? [] : [list]
  const records: SourceRecord[] = []
  let next: Record<string, string> = { ...current }
  const same = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
    offsetPointers.length > 0 && offsetPointers.every(([f]) => a[f] === b[f])
  for (const item of items) {
    const offset: Record<string, string> = { ...next }
    for (const [field, pointer] of offsetPointers) {
      const v = resolvePointer(item, pointer)
      if (v !== undefined) offset[field] = text(v)
    }
    if (same(offset, current)) continue // the element the offset was taken from, answered again
    records.push(
      new SourceRecord({
        sourcePartition: {},
        sourceOffset: offset,
        topic,
        keySchema: Schema.OPTIONAL_STRING_SCHEMA,
        key: offset.key ?? null,
        valueSchema: Schema.STRING_SCHEMA,
        value: JSON.stringify(item),
      }),
    )
    next = offset
  }
  return { records, next }
}

/** The connector: one task per endpoint. */
export class HttpSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(CONFIG, props)
    parseInitialOffset(config.getString('http.offset.initial') ?? '')
    this.#props = props
  }

  taskClass() {
    return HttpSourceTask
  }

  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#props }]
  }

  stop(): void {}
}

/** The task: one request per poll, when its timer is due. */
export class HttpSourceTask extends SourceTask {
  #topic = ''
  #url = ''
  #method = 'GET'
  #headers: Record<string, string> = {}
  #body = ''
  #listPointer = '/'
  #offsetPointers: [string, string][] = []
  #intervalMs = 60_000
  #catchupMs = 30_000
  #timeoutMs = 2000
  #offset: Record<string, string> = {}
  #nextPollAt = 0
  #stopping = new AbortController()

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(CONFIG, props)
    this.#topic = config.getString('kafka.topic') ?? ''
    this.#url = config.getString('http.request.url') ?? ''
    this.#method = (config.getString('http.request.method') ?? 'GET').toUpperCase()
    for (const part of (config.getString('http.request.headers') ?? '').split(',')) {
      const at = part.indexOf(':')
      if (at > 0) this.#headers[part.slice(0, at).trim()] = part.slice(at + 1).trim()
    }
    this.#body = config.getString('http.request.body') ?? ''
    this.#listPointer = config.getString('http.response.list.pointer') ?? '/'
    this.#offsetPointers = parsePointerMap(config.getString('http.response.record.offset.pointer') ?? '')
    this.#intervalMs = config.getLong('http.timer.interval.millis') ?? 60_000
    this.#catchupMs = config.getLong('http.timer.catchup.interval.millis') ?? 30_000
    this.#timeoutMs = config.getLong('http.client.read.timeout.millis') ?? 2000
    this.#stopping = new AbortController()
    const committed = await this.context.offsetStorageReader().offset({})
    this.#offset =
      committed === null
        ? parseInitialOffset(config.getString('http.offset.initial') ?? '')
        : Object.fromEntries(Object.entries(committed).map(([k, v]) => [k, String(v)]))
  }

  async poll(): Promise<SourceRecord[] | null> {
    const signal = this.#stopping.signal
    const wait = this.#nextPollAt - Date.now()
    if (wait > 0) {
      // Short naps, so a stop is seen at once and poll returns to the worker regularly.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(wait, 500))
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            resolve()
          },
          { once: true },
        )
      })
      return null
    }
    if (signal.aborted) return null
    const values = offsetValues(this.#offset)
    let answer: unknown
    try {
      const response = await fetch(expand(this.#url, values, true), {
        method: this.#method,
        headers: this.#headers,
        body: this.#method === 'POST' ? expand(this.#body, values) : undefined,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]),
      })
      const body = await response.text()
      if (!response.ok) throw new Error(`answered ${response.status}: ${body.slice(0, 200)}`)
      answer = JSON.parse(body)
    } catch (error) {
      if (signal.aborted) return null
      this.#nextPollAt = Date.now() + Math.min(this.#intervalMs, 1000)
      throw new RetriableError(`polling ${this.#url} failed: ${(error as Error).message}`, { cause: error })
    }
    const { records, next } = recordsOfAnswer(
      answer,
      this.#listPointer,
      this.#offsetPointers,
      this.#topic,
      this.#offset,
    )
    this.#offset = next
    this.#nextPollAt = Date.now() + (records.length > 0 ? this.#catchupMs : this.#intervalMs)
    return records
  }

  stop(): void {
    this.#stopping.abort()
  }
}
