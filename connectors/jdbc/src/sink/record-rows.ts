/**
 * What one sink record asks of the database (Confluent's FieldsMetadata and Debezium's record descriptor): a row to
 * write, a key to delete, a table to truncate, or nothing; which table; and which columns, keys first, with the
 * Connect schema of each. Debezium envelopes (before/after/source/op) are read natively by the Debezium flavour.
 */
/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${topic} and ${source.table} are the connectors' own placeholders. */
import { DataError, Schema, type SinkRecord, Struct } from 'tsconnect'
import type { ColumnDefinition, Dialect, TableId } from '../dialect/dialect.ts'
import type { SinkSettings } from './sink-config.ts'

/** A record's effect on its table. */
export type SinkOperation =
  | {
      readonly kind: 'write' | 'delete'
      readonly record: SinkRecord
      readonly table: TableId
      /** Key columns first (`keyCount` of them), then the others (none for a delete). */
      readonly columns: readonly ColumnDefinition[]
      readonly keyCount: number
      /** The Connect values, in the order of `columns`. */
      readonly values: readonly unknown[]
    }
  | { readonly kind: 'truncate'; readonly record: SinkRecord; readonly table: TableId }
  | { readonly kind: 'skip'; readonly record: SinkRecord }

const KAFKA_PK_DEFAULTS = ['__connect_topic', '__connect_partition', '__connect_offset']
const KAFKA_PK_SCHEMAS = [Schema.STRING_SCHEMA, Schema.INT32_SCHEMA, Schema.INT64_SCHEMA]

/** Whether a value schema is a Debezium change event envelope. */
export function isEnvelope(schema: Schema | null | undefined): boolean {
  if (schema?.type !== 'STRUCT') return false
  const names = new Set(schema.fields.map((f) => f.name))
  return names.has('op') && names.has('after') && names.has('before') && names.has('source')
}

/** Resolves a table name format against a record (and its envelope's source block, for Debezium). */
export function tableNameOf(settings: SinkSettings, record: SinkRecord, source: Struct | null): string {
  let name = settings.tableNameFormat.replaceAll('${topic}', record.topic)
  if (settings.flavour === 'debezium') {
    const field = (f: string) => {
      if (source === null || source.schema.field(f) === undefined) {
        throw new DataError(`Cannot resolve \${source.${f}}: the record of ${record.topic} has no source.${f}`)
      }
      return String(source.get(f) ?? '')
    }
    name = name.replace(/\$\{source\.(db|schema|table)\}/g, (_m, f: string) => field(f))
    // Debezium's DefaultCollectionNamingStrategy: dots in the resolved name become underscores.
    return name.replaceAll('.', '_')
  }
  return name
}

/** The TableId of a resolved name: Confluent splits on dots (database.schema.table); Debezium's has none left. */
export function tableIdOf(name: string, dialect: Dialect, database: string): TableId {
  const parts = name.split('.')
  if (parts.length === 1) return dialect.defaultTableId(database, name)
  if (parts.length === 2) {
    const [first, table] = parts as [string, string]
    return dialect.kind === 'postgresql'
      ? { catalog: database, schema: first, table }
      : { catalog: first, schema: null, table }
  }
  const [catalog, schema, ...rest] = parts as [string, string, ...string[]]
  return dialect.kind === 'postgresql'
    ? { catalog, schema, table: rest.join('.') }
    : { catalog, schema: null, table: [schema, ...rest].join('.') }
}

function included(settings: SinkSettings, topic: string, field: string): boolean {
  const named = (list: readonly string[]) => list.some((f) => f === field || f === `${topic}:${field}`)
  if (settings.fieldsInclude.length > 0 && !named(settings.fieldsInclude)) return false
  return !named(settings.fieldsExclude)
}

function structOf(value: unknown, what: string, record: SinkRecord): Struct {
  if (value instanceof Struct) return value
  throw new DataError(
    `The ${what} of the record at ${record.topic}-${record.kafkaPartition}@${record.kafkaOffset} is not a struct ` +
      'with a schema: the JDBC sink needs records with schemas (use a converter with schemas enabled).',
  )
}

interface KeyColumns {
  columns: ColumnDefinition[]
  values: unknown[]
}

function keyColumns(settings: SinkSettings, record: SinkRecord, row: Struct | null): KeyColumns {
  const pkFields = settings.pkFields
  switch (settings.pkMode) {
    case 'none':
      return { columns: [], values: [] }
    case 'kafka': {
      if (pkFields.length !== 0 && pkFields.length !== 3) {
        throw new DataError('pk.mode=kafka needs exactly three pk.fields (topic, partition, offset columns)')
      }
      const names = pkFields.length === 3 ? pkFields : KAFKA_PK_DEFAULTS
      return {
        columns: names.map((name, i) => ({ name, schema: KAFKA_PK_SCHEMAS[i] as Schema, key: true })),
        values: [record.topic, record.kafkaPartition, record.kafkaOffset],
      }
    }
    case 'record_key': {
      const schema = record.keySchema
      if (record.key === null || record.key === undefined || schema === null || schema === undefined) {
        throw new DataError(`pk.mode=record_key needs a key with a schema; the record of ${record.topic} has none`)
      }
      if (schema.type !== 'STRUCT') {
        if (pkFields.length > 1) throw new DataError('A primitive key takes one pk.fields name')
        return { columns: [{ name: pkFields[0] ?? '__connect_key', schema, key: true }], values: [record.key] }
      }
      const key = structOf(record.key, 'key', record)
      const fields = pkFields.length === 0 ? schema.fields : pkFields.map((f) => fieldOf(schema, f, 'key'))
      return {
        columns: fields.map((f) => ({ name: f.name, schema: f.schema, key: true })),
        values: fields.map((f) => key.get(f.name)),
      }
    }
    case 'record_value': {
      if (row === null)
        throw new DataError(`pk.mode=record_value needs a value; the record of ${record.topic} has none`)
      const fields = pkFields.length === 0 ? row.schema.fields : pkFields.map((f) => fieldOf(row.schema, f, 'value'))
      return {
        columns: fields.map((f) => ({ name: f.name, schema: f.schema, key: true })),
        values: fields.map((f) => row.get(f.name)),
      }
    }
  }
}

function fieldOf(schema: Schema, name: string, where: string) {
  const field = schema.fields.find((f) => f.name === name)
  if (field === undefined) throw new DataError(`The record ${where} has no field ${name} named in the key fields`)
  return field
}

/** What the record asks of the database. */
export function operationOf(
  settings: SinkSettings,
  record: SinkRecord,
  dialect: Dialect,
  database: string,
): SinkOperation {
  let row: Struct | null = null
  let source: Struct | null = null
  let deleting = record.value === null || record.value === undefined
  if (!deleting && settings.flavour === 'debezium' && isEnvelope(record.valueSchema)) {
    const envelope = structOf(record.value, 'value', record)
    source = (envelope.get('source') as Struct | null) ?? null
    const op = String(envelope.get('op') ?? '')
    if (op === 't') {
      if (!settings.truncateEnabled) return { kind: 'skip', record }
      return { kind: 'truncate', record, table: tableIdOf(tableNameOf(settings, record, source), dialect, database) }
    }
    if (op === 'd') {
      deleting = true
      row = (envelope.get('before') as Struct | null) ?? null
    } else {
      row = (envelope.get('after') as Struct | null) ?? null
      if (row === null) return { kind: 'skip', record }
    }
  } else if (!deleting) {
    row = structOf(record.value, 'value', record)
  }
  if (deleting) {
    // A tombstone or a delete event: without delete.enabled it is skipped (Debezium also skips the tombstone that
    // follows each delete event; its delete event did the work).
    if (!settings.deleteEnabled) return { kind: 'skip', record }
    // A tombstone carries no source block: when the table name needs one, its delete event did the work.
    if (source === null && /\$\{source\./.test(settings.tableNameFormat)) return { kind: 'skip', record }
    const table = tableIdOf(tableNameOf(settings, record, source), dialect, database)
    const keys = keyColumns(settings, record, row)
    return { kind: 'delete', record, table, columns: keys.columns, keyCount: keys.columns.length, values: keys.values }
  }
  const value = row as Struct
  const table = tableIdOf(tableNameOf(settings, record, source), dialect, database)
  const keys = keyColumns(settings, record, value)
  const keyNames = new Set(keys.columns.map((c) => c.name))
  const columns = [...keys.columns]
  const values = [...keys.values]
  for (const f of value.schema.fields) {
    if (keyNames.has(f.name) || !included(settings, record.topic, f.name)) continue
    columns.push({ name: f.name, schema: f.schema, key: false })
    values.push(value.get(f.name))
  }
  if (columns.length === 0) throw new DataError(`The record of ${record.topic} has no fields to write`)
  return { kind: 'write', record, table, columns, keyCount: keys.columns.length, values }
}
