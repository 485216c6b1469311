/**
 * io.debezium.transforms.ByLogicalTableRouter (Debezium 3.6.1's keys and behaviour): records of several physical
 * tables go to one logical topic. When the whole topic matches topic.regex it becomes topic.replacement (`$1` for
 * groups); the key schema is renamed `<new topic>.Key` and, with key.enforce.uniqueness (default true), gets a
 * string field key.field.name (`__dbz__physicalTableIdentifier`) holding the old topic (or key.field.regex's
 * replacement of it), so equal keys of different tables stay apart; change event envelopes are renamed
 * `<new topic>.Envelope` with before/after renamed `<new topic>.Value`. Tombstones and other records keep their value.
 */
import {
  ConfigDef,
  ConfigError,
  type ConnectRecord,
  type Schema,
  SchemaBuilder,
  Struct,
  type Transformation,
  Validators,
} from 'tsconnect'
import { DEBEZIUM_VERSION } from '../config.ts'
import { copyBasics, isEnvelope } from './schema-copy.ts'

const regex = Validators.of((name, v) => {
  if (v === null || v === undefined) return
  try {
    new RegExp(String(v))
  } catch (e) {
    throw new ConfigError(`Invalid value ${String(v)} for configuration ${name}: ${(e as Error).message}`, name)
  }
}, 'a regular expression')

const CONFIG = new ConfigDef()
  .define({
    name: 'topic.regex',
    type: 'STRING',
    validator: regex,
    importance: 'HIGH',
    documentation: 'The regex matched against the whole topic.',
  })
  .define({
    name: 'topic.replacement',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The new topic; `$1` inserts a group of topic.regex.',
  })
  .define({
    name: 'key.enforce.uniqueness',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Whether keys get a field naming the physical table, so equal keys of different tables stay apart.',
  })
  .define({
    name: 'key.field.regex',
    type: 'STRING',
    defaultValue: null,
    validator: regex,
    importance: 'LOW',
    documentation: 'A regex for the physical table identifier, matched against the old topic.',
  })
  .define({
    name: 'key.field.name',
    type: 'STRING',
    defaultValue: '__dbz__physicalTableIdentifier',
    importance: 'LOW',
    documentation: 'The name of the key field added.',
  })
  .define({
    name: 'key.field.replacement',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: "key.field.regex's replacement: the identifier put in keys.",
  })
  .define({
    name: 'logical.table.cache.size',
    type: 'INT',
    defaultValue: 16,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    documentation: 'Schemas kept per cache.',
  })

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`)
}

/** The transform. */
export class ByLogicalTableRouter implements Transformation {
  #topicRegex = /^$/
  #topicReplacement = ''
  #keyFieldRegex: RegExp | null = null
  #keyFieldReplacement = ''
  #keyFieldName = '__dbz__physicalTableIdentifier'
  #enforceUniqueness = true
  #cacheSize = 16
  readonly #keySchemas = new Map<string, Map<Schema, Schema>>()
  readonly #envelopeSchemas = new Map<string, Map<Schema, Schema>>()

  version(): string {
    return DEBEZIUM_VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const v = CONFIG.parse(props)
    this.#topicRegex = whole(v['topic.regex'] as string)
    this.#topicReplacement = v['topic.replacement'] as string
    const keyRegex = (v['key.field.regex'] as string | null)?.trim() ?? ''
    if (keyRegex !== '') {
      const replacement = (v['key.field.replacement'] as string | null)?.trim() ?? ''
      if (replacement === '') {
        throw new ConfigError(
          'key.field.replacement must be non-empty if key.field.regex is set.',
          'key.field.replacement',
        )
      }
      this.#keyFieldRegex = whole(keyRegex)
      this.#keyFieldReplacement = replacement
    }
    this.#keyFieldName = v['key.field.name'] as string
    this.#enforceUniqueness = v['key.enforce.uniqueness'] as boolean
    this.#cacheSize = v['logical.table.cache.size'] as number
  }

  apply<R extends ConnectRecord>(record: R): R {
    const oldTopic = record.topic
    if (!this.#topicRegex.test(oldTopic)) return record
    const newTopic = oldTopic.replace(this.#topicRegex, this.#topicReplacement)
    if (newTopic === '') return record
    let keySchema: Schema | null = null
    let key: Struct | null = null
    if (record.key !== null) {
      const oldKey = record.key as Struct
      keySchema = this.#cached(this.#keySchemas, newTopic, oldKey.schema, () => {
        const b = copyBasics(oldKey.schema, false).name(`${newTopic}.Key`)
        for (const f of oldKey.schema.fields) b.field(f.name, f.schema)
        if (this.#enforceUniqueness) b.field(this.#keyFieldName, SchemaBuilder.string().build())
        return b.build()
      })
      key = new Struct(keySchema)
      for (const f of oldKey.schema.fields) key.put(f.name, oldKey.getWithoutDefault(f.name))
      if (this.#enforceUniqueness) {
        const keyRegex = this.#keyFieldRegex
        const id = keyRegex?.test(oldTopic) ? oldTopic.replace(keyRegex, this.#keyFieldReplacement) : oldTopic
        key.put(this.#keyFieldName, id)
      }
    }
    if (record.value === null || !isEnvelope(record.valueSchema, record.value)) {
      return record.newRecord({ topic: newTopic, keySchema, key })
    }
    const oldEnvelope = record.value as Struct
    const envelopeSchema = this.#cached(this.#envelopeSchemas, newTopic, oldEnvelope.schema, () => {
      const oldValue = oldEnvelope.schema.field('before')?.schema as Schema
      const vb = copyBasics(oldValue, false).name(`${newTopic}.Value`)
      for (const f of oldValue.fields) vb.field(f.name, f.schema)
      const valueSchema = vb.build()
      const eb = copyBasics(oldEnvelope.schema, false)
      for (const f of oldEnvelope.schema.fields) {
        eb.field(f.name, f.name === 'before' || f.name === 'after' ? valueSchema : f.schema)
      }
      return eb.name(`${newTopic}.Envelope`).build()
    })
    const envelope = new Struct(envelopeSchema)
    for (const f of envelopeSchema.fields) {
      const value = oldEnvelope.getWithoutDefault(f.name)
      if ((f.name === 'before' || f.name === 'after') && value !== null) {
        const row = new Struct(f.schema)
        for (const c of f.schema.fields) row.put(c.name, (value as Struct).getWithoutDefault(c.name))
        envelope.put(f.name, row)
      } else {
        envelope.put(f.name, value)
      }
    }
    return record.newRecord({ topic: newTopic, keySchema, key, valueSchema: envelopeSchema, value: envelope })
  }

  #cached(cache: Map<string, Map<Schema, Schema>>, topic: string, schema: Schema, build: () => Schema): Schema {
    let byTopic = cache.get(topic)
    if (byTopic === undefined) {
      if (cache.size >= this.#cacheSize) cache.clear()
      byTopic = new Map()
      cache.set(topic, byTopic)
    }
    let built = byTopic.get(schema)
    if (built === undefined) {
      built = build()
      byTopic.set(schema, built)
    }
    return built
  }

  close(): void {}
}
