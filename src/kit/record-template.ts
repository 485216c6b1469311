/**
 * What a messaging sink publishes for a record: a destination rendered from a template (MQTT's `mqtt.topic`,
 * RabbitMQ's `rabbitmq.routing.key`, NATS's `nats.subject`), and a payload from the record's value.
 *
 * Template references: `${topic}`, `${partition}`, `${offset}`, `${key}` (the key as text) and `${header.<name>}`
 * (the last header of that name as text). A reference to nothing (no key, no such header) renders as an empty
 * string; an unknown reference is a config error, found when the template is parsed.
 */
import type { SinkRecord } from '../api/records.ts'
import { Struct } from '../data/struct.ts'
import { ConfigError } from '../errors.ts'

type Part = { text: string } | { ref: 'topic' | 'partition' | 'offset' | 'key' } | { header: string }

/** A parsed template. */
export class RecordTemplate {
  readonly #parts: Part[]

  private constructor(parts: Part[]) {
    this.#parts = parts
  }

  /** Parses `template`; `key` names the config key in errors. */
  static parse(template: string, key: string): RecordTemplate {
    const parts: Part[] = []
    const re = /\$\{([^}]*)\}/g
    let last = 0
    for (let m = re.exec(template); m !== null; m = re.exec(template)) {
      if (m.index > last) parts.push({ text: template.slice(last, m.index) })
      const name = m[1] as string
      if (name === 'topic' || name === 'partition' || name === 'offset' || name === 'key') parts.push({ ref: name })
      else if (name.startsWith('header.') && name.length > 'header.'.length) parts.push({ header: name.slice(7) })
      else
        throw new ConfigError(`Invalid value ${template} for configuration ${key}: unknown reference \${${name}}`, key)
      last = re.lastIndex
    }
    if (last < template.length) parts.push({ text: template.slice(last) })
    return new RecordTemplate(parts)
  }

  /** The template rendered for a record. */
  render(record: SinkRecord): string {
    let out = ''
    for (const part of this.#parts) {
      if ('text' in part) out += part.text
      else if ('header' in part) out += valueText(record.headers.lastWithName(part.header)?.value)
      else if (part.ref === 'topic') out += record.topic
      else if (part.ref === 'partition') out += String(record.kafkaPartition)
      else if (part.ref === 'offset') out += String(record.kafkaOffset)
      else out += valueText(record.key)
    }
    return out
  }
}

/** A value as text: strings as they are, bytes as UTF-8, structs and maps as JSON, null as ''. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  if (typeof value === 'object') return JSON.stringify(plain(value))
  return String(value)
}

/**
 * The payload of a record's value: bytes as they are, a string as UTF-8, null (a tombstone) as an empty payload
 * (an MQTT sink with retain clears the topic's retained message with it), structs, maps and arrays as JSON, other values as text.
 */
export function payloadOf(value: unknown): Buffer {
  if (value === null || value === undefined) return Buffer.alloc(0)
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return Buffer.from(valueText(value), 'utf8')
}

function plain(value: unknown): unknown {
  if (value instanceof Struct) return Object.fromEntries(value.schema.fields.map((f) => [f.name, plain(value.get(f))]))
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]))
  if (Array.isArray(value)) return value.map(plain)
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (value instanceof Date) return value.getTime()
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
  }
  return value
}
