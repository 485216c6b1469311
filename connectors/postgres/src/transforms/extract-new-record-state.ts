/**
 * io.debezium.transforms.ExtractNewRecordState (Debezium 3.6.1's keys and behaviour): a change event becomes the
 * row it leaves behind, the `after` struct, for sinks that want flat rows.
 *
 * - delete.tombstone.handling.mode: `tombstone` (default: a delete becomes a record with a null value, Debezium's
 *   tombstones are dropped), `drop` (deletes and tombstones dropped), `rewrite` (a delete becomes its `before` row
 *   with `__deleted: "true"`, other rows get `__deleted: "false"`; tombstones dropped), `rewrite-with-tombstone`
 *   (the same, tombstones kept), `delete-to-tombstone` (a delete becomes a real tombstone: null schema and value).
 *   Without it, the keys of Debezium 2.x still work: delete.handling.mode (drop, rewrite, none) and drop.tombstones.
 * - add.fields / add.headers: envelope fields copied into the row or into headers, named with add.fields.prefix /
 *   add.headers.prefix (`__`): `op`, `ts_ms` from the envelope, `source.<field>` (or a bare source field name),
 *   `transaction.<field>`, each `<field>:<new name>` to rename.
 * - route.by.field: the topic becomes that field's value of the row.
 * Truncate events are dropped; records that are not change events (heartbeats) pass unchanged.
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
import { isEnvelope, kafkaBasics } from './schema-copy.ts'

type Mode = 'drop' | 'tombstone' | 'rewrite' | 'rewrite-with-tombstone' | 'delete-to-tombstone'

const CONFIG = new ConfigDef()
  .define({
    name: 'delete.tombstone.handling.mode',
    type: 'STRING',
    defaultValue: null,
    validator: Validators.of((name, v) => {
      if (
        v !== null &&
        !['drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'].includes(String(v))
      ) {
        throw new ConfigError(`Invalid value ${String(v)} for configuration ${name}`, name)
      }
    }, '[drop, tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone]'),
    importance: 'MEDIUM',
    documentation:
      'How deletes and tombstones come out: `tombstone` (the default), `drop`, `rewrite`, `rewrite-with-tombstone`, `delete-to-tombstone`.',
  })
  .define({
    name: 'delete.handling.mode',
    type: 'STRING',
    defaultValue: null,
    validator: Validators.of((name, v) => {
      if (v !== null && !['drop', 'rewrite', 'none'].includes(String(v))) {
        throw new ConfigError(`Invalid value ${String(v)} for configuration ${name}`, name)
      }
    }, '[drop, rewrite, none]'),
    importance: 'LOW',
    documentation: "Debezium 2.x's key, used when delete.tombstone.handling.mode is not set: drop, rewrite or none.",
  })
  .define({
    name: 'drop.tombstones',
    type: 'BOOLEAN',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      "Debezium 2.x's key, used when delete.tombstone.handling.mode is not set: whether tombstones are dropped.",
  })
  .define({
    name: 'add.fields',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      'Envelope fields to add to the row, comma separated: op, ts_ms, source.<field>, transaction.<field>, optionally `:<new name>`.',
  })
  .define({
    name: 'add.fields.prefix',
    type: 'STRING',
    defaultValue: '__',
    importance: 'LOW',
    documentation: 'The prefix of added fields.',
  })
  .define({
    name: 'add.headers',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Envelope fields to add as headers, in the syntax of add.fields.',
  })
  .define({
    name: 'add.headers.prefix',
    type: 'STRING',
    defaultValue: '__',
    importance: 'LOW',
    documentation: 'The prefix of added headers.',
  })
  .define({
    name: 'route.by.field',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'A row field whose value becomes the topic.',
  })

interface FieldReference {
  struct: string | null
  field: string
  newField: string
}

const ENVELOPE_LEVEL = new Set(['op', 'ts_ms', 'ts_us', 'ts_ns'])
const TRANSACTION_LEVEL = new Set(['id', 'total_order', 'data_collection_order'])

function references(prefix: string, list: string): FieldReference[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((spec) => {
      const [path = '', rename] = spec.split(':')
      const parts = path.split('.')
      const field = parts.length === 1 ? (parts[0] as string) : (parts[1] as string)
      const struct =
        parts.length === 1
          ? ENVELOPE_LEVEL.has(field)
            ? null
            : TRANSACTION_LEVEL.has(field)
              ? 'transaction'
              : 'source'
          : (parts[0] as string)
      const newField = prefix + (rename ?? (parts.length === 1 ? field : `${struct}_${field}`))
      return { struct, field, newField }
    })
}

function fieldSchema(ref: FieldReference, envelope: Schema): Schema | null {
  const parent = ref.struct === null ? envelope : envelope.field(ref.struct)?.schema
  const f = parent?.field(ref.field) ?? envelope.field(ref.field)
  return f === undefined ? null : kafkaBasics(f.schema).optional().build()
}

function fieldValue(ref: FieldReference, envelope: Struct): unknown {
  const parent = ref.struct === null ? envelope : (envelope.getWithoutDefault(ref.struct) as Struct | null)
  if (parent === null) return null
  return parent.schema.field(ref.field) !== undefined
    ? parent.getWithoutDefault(ref.field)
    : envelope.schema.field(ref.field)
      ? envelope.getWithoutDefault(ref.field)
      : null
}

/** The transform. */
export class ExtractNewRecordState implements Transformation {
  #mode: Mode = 'tombstone'
  #fields: FieldReference[] = []
  #headers: FieldReference[] = []
  #routeBy: string | null = null
  readonly #schemas = new Map<Schema, Map<string, Schema>>()

  version(): string {
    return DEBEZIUM_VERSION
  }

  config(): ConfigDef {
    return CONFIG
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const values = CONFIG.parse(props)
    const mode = values['delete.tombstone.handling.mode'] as Mode | null
    const legacyDelete = values['delete.handling.mode'] as string | null
    const legacyDropTombstones = values['drop.tombstones'] as boolean | null
    if (mode !== null) this.#mode = mode
    else if (legacyDelete !== null || legacyDropTombstones !== null) {
      // Debezium 2.x: deletes dropped by default, tombstones dropped by default.
      const deletes = legacyDelete ?? 'drop'
      const dropTombstones = legacyDropTombstones ?? true
      this.#mode =
        deletes === 'rewrite'
          ? dropTombstones
            ? 'rewrite'
            : 'rewrite-with-tombstone'
          : deletes === 'none'
            ? 'tombstone'
            : 'drop'
      this.#keepLegacyTombstones = !dropTombstones && deletes !== 'rewrite'
    }
    this.#fields = references(values['add.fields.prefix'] as string, values['add.fields'] as string)
    this.#headers = references(values['add.headers.prefix'] as string, values['add.headers'] as string)
    const route = values['route.by.field'] as string
    this.#routeBy = route === '' ? null : route
  }

  /** delete.handling.mode=drop|none with drop.tombstones=false keeps Debezium's tombstones. */
  #keepLegacyTombstones = false

  apply<R extends ConnectRecord>(record: R): R | null {
    const tombstone = record.value === null
    const envelope = isEnvelope(record.valueSchema, record.value) ? (record.value as Struct) : null
    if ((envelope !== null || tombstone) && this.#headers.length > 0) {
      for (const ref of this.#headers) {
        if (envelope === null) {
          if (ref.field === 'op') record.headers.addString(ref.newField, 'd')
          continue
        }
        const schema = fieldSchema(ref, envelope.schema)
        if (schema !== null) record.headers.add(ref.newField, fieldValue(ref, envelope), schema)
      }
    }
    if (tombstone) return this.#mode === 'rewrite-with-tombstone' || this.#keepLegacyTombstones ? record : null
    if (envelope === null) return record
    const valueSchema = envelope.schema.field('after')?.schema as Schema
    const after = envelope.get('after') as Struct | null
    const before = envelope.get('before') as Struct | null
    if (after === null && before === null) return null // truncate
    const op = envelope.getString('op') ?? ''
    if (after === null) {
      switch (this.#mode) {
        case 'drop':
          return null
        case 'tombstone':
          return record.newRecord({ valueSchema, value: null })
        case 'delete-to-tombstone':
          return record.newRecord({ valueSchema: null, value: null })
        default: {
          const row = this.#withDeleted(before as Struct, 'true')
          let out = record.newRecord({ valueSchema: row.schema, value: row })
          if (this.#routeBy !== null) out = this.#route(out, before as Struct)
          return this.#addFields(out, envelope, op)
        }
      }
    }
    const row =
      this.#mode === 'rewrite' || this.#mode === 'rewrite-with-tombstone' ? this.#withDeleted(after, 'false') : after
    let out = record.newRecord({ valueSchema: row.schema, value: row })
    if (this.#routeBy !== null) out = this.#route(out, after)
    return this.#addFields(out, envelope, op)
  }

  #route<R extends ConnectRecord>(record: R, row: Struct): R {
    const topic = row.getString(this.#routeBy as string)
    return topic === null || topic.trim() === '' ? record : record.newRecord({ topic })
  }

  #withDeleted(row: Struct, deleted: 'true' | 'false'): Struct {
    const schema = this.#cached(row.schema, `deleted:${deleted}`, () => {
      const b = kafkaBasics(row.schema)
      for (const f of row.schema.fields) b.field(f.name, f.schema)
      return b.field('__deleted', SchemaBuilder.string().optional().build()).build()
    })
    const out = new Struct(schema)
    for (const f of row.schema.fields) out.put(f.name, row.getWithoutDefault(f.name))
    return out.put('__deleted', deleted)
  }

  #addFields<R extends ConnectRecord>(record: R, envelope: Struct, op: string): R {
    if (this.#fields.length === 0) return record
    const row = record.value as Struct
    const schema = this.#cached(row.schema, `fields:${op}`, () => {
      const b = kafkaBasics(row.schema)
      for (const f of row.schema.fields) b.field(f.name, f.schema)
      for (const ref of this.#fields) {
        const s = fieldSchema(ref, envelope.schema)
        if (s !== null) b.field(ref.newField, s)
      }
      return b.build()
    })
    const out = new Struct(schema)
    for (const f of row.schema.fields) out.put(f.name, row.getWithoutDefault(f.name))
    for (const ref of this.#fields) if (schema.field(ref.newField)) out.put(ref.newField, fieldValue(ref, envelope))
    return record.newRecord({ valueSchema: schema, value: out })
  }

  #cached(schema: Schema, key: string, build: () => Schema): Schema {
    let byKey = this.#schemas.get(schema)
    if (byKey === undefined) {
      if (this.#schemas.size >= 64) this.#schemas.clear()
      byKey = new Map()
      this.#schemas.set(schema, byKey)
    }
    let built = byKey.get(key)
    if (built === undefined) {
      built = build()
      byKey.set(key, built)
    }
    return built
  }

  close(): void {}
}
