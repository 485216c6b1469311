/**
 * A captured table as Debezium's TableSchemaBuilder shapes it: the topic `<topic.prefix>.<schema>.<table>`, a key
 * struct `<topic>.Key` of the primary key (or message.key.columns) columns, a value struct `<topic>.Value` of every
 * included column in table order, and the envelope `<topic>.Envelope` (version 2) around them.
 *
 * Values: a column that has no value in a tuple (the key-only old tuple of a DELETE under REPLICA IDENTITY DEFAULT)
 * is null when optional, else its schema default or Debezium's fallback for the type ("" for text, 0 for numbers);
 * an optional column's null stays null here, and JsonConverter writes the schema default for it
 * (replace.null.with.default), as it does for Debezium's records.
 */
import { type ConnectSchema, SchemaBuilder, Struct } from 'tsconnect'
import type { TupleValue } from '../replication/pgoutput.ts'
import type { CatalogTable } from './catalog.ts'
import { defaultText } from './defaults.ts'
import { type ColumnConverter, converterFor, type ValueModes } from './values.ts'

/** The source block's schema (io.debezium.connector.postgresql.Source, version 1). */
export const SOURCE_SCHEMA: ConnectSchema = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .version(1)
  .field('version', SchemaBuilder.string().build())
  .field('connector', SchemaBuilder.string().build())
  .field('name', SchemaBuilder.string().build())
  .field('ts_ms', SchemaBuilder.int64().build())
  .field(
    'snapshot',
    SchemaBuilder.string()
      .optional()
      .defaultValue('false')
      .name('io.debezium.data.Enum')
      .version(1)
      .parameter('allowed', 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental')
      .build(),
  )
  .field('db', SchemaBuilder.string().build())
  .field('sequence', SchemaBuilder.string().optional().build())
  .field('ts_us', SchemaBuilder.int64().optional().build())
  .field('ts_ns', SchemaBuilder.int64().optional().build())
  .field('schema', SchemaBuilder.string().build())
  .field('table', SchemaBuilder.string().build())
  .field('txId', SchemaBuilder.int64().optional().build())
  .field('lsn', SchemaBuilder.int64().optional().build())
  .field('xmin', SchemaBuilder.int64().optional().build())
  .field('origin', SchemaBuilder.string().optional().build())
  .field('origin_lsn', SchemaBuilder.int64().optional().build())
  .build()

/** The transaction block of envelopes (event.block, version 1). */
export const TRANSACTION_BLOCK_SCHEMA: ConnectSchema = SchemaBuilder.struct()
  .optional()
  .name('event.block')
  .version(1)
  .field('id', SchemaBuilder.string().build())
  .field('total_order', SchemaBuilder.int64().build())
  .field('data_collection_order', SchemaBuilder.int64().build())
  .build()

/** Which columns of which tables are captured and keyed, from the connector's filters. */
export interface ColumnSelection {
  includeColumn(schema: string, table: string, column: string): boolean
  /** message.key.columns for the table, or null to use the primary key. */
  keyColumns(schema: string, table: string): string[] | null
}

interface CapturedColumn {
  name: string
  converter: ColumnConverter
  schema: ConnectSchema
  /** The value for a column absent from a tuple: null (optional), the default, or the type's fallback. */
  absent: unknown
}

/** One captured table's schemas and row conversion. */
export class TableSchema {
  readonly oid: number
  readonly schemaName: string
  readonly tableName: string
  readonly topic: string
  readonly keySchema: ConnectSchema | null
  readonly valueSchema: ConnectSchema
  readonly envelopeSchema: ConnectSchema
  readonly replicaIdentity: string
  readonly #columns: CapturedColumn[]
  readonly #keyColumns: string[]
  /** Column position in the catalog (and in pgoutput tuples) by name. */
  readonly #tableColumns: string[]

  constructor(table: CatalogTable, topicPrefix: string, modes: ValueModes, selection: ColumnSelection) {
    this.oid = table.oid
    this.schemaName = table.schema
    this.tableName = table.name
    this.replicaIdentity = table.replicaIdentity
    this.topic = `${topicPrefix}.${table.schema}.${table.name}`
    this.#tableColumns = table.columns.map((c) => c.name)
    this.#columns = []
    for (const column of table.columns) {
      if (!selection.includeColumn(table.schema, table.name, column.name)) continue
      const converter = converterFor(column.type, modes)
      if (converter === null) continue
      const builder = converter.schema()
      if (!column.notNull) builder.optional()
      const dflt = defaultText(column)
      let defaultValue: unknown
      if (dflt !== null) {
        try {
          defaultValue = converter.convert(dflt, builder.build())
          builder.defaultValue(defaultValue)
        } catch {
          defaultValue = undefined // Debezium logs "Cannot parse column default value" and leaves the default out
        }
      }
      const schema = builder.build()
      const absent = column.notNull ? (defaultValue ?? converter.fallback) : null
      this.#columns.push({ name: column.name, converter, schema, absent })
    }
    const keyNames = selection.keyColumns(table.schema, table.name) ?? table.primaryKey
    this.#keyColumns = keyNames.filter((k) => this.#columns.some((c) => c.name === k))
    const valueBuilder = SchemaBuilder.struct().optional().name(`${this.topic}.Value`)
    for (const c of this.#columns) valueBuilder.field(c.name, c.schema)
    this.valueSchema = valueBuilder.build()
    if (this.#keyColumns.length === 0) {
      this.keySchema = null
    } else {
      const keyBuilder = SchemaBuilder.struct().name(`${this.topic}.Key`)
      for (const k of this.#keyColumns) keyBuilder.field(k, this.#column(k).schema)
      this.keySchema = keyBuilder.build()
    }
    this.envelopeSchema = SchemaBuilder.struct()
      .name(`${this.topic}.Envelope`)
      .version(2)
      .field('before', this.valueSchema)
      .field('after', this.valueSchema)
      .field('source', SOURCE_SCHEMA)
      .field('transaction', TRANSACTION_BLOCK_SCHEMA)
      .field('op', SchemaBuilder.string().build())
      .field('ts_ms', SchemaBuilder.int64().optional().build())
      .field('ts_us', SchemaBuilder.int64().optional().build())
      .field('ts_ns', SchemaBuilder.int64().optional().build())
      .build()
  }

  #column(name: string): CapturedColumn {
    const c = this.#columns.find((x) => x.name === name)
    if (c === undefined) throw new Error(`no column ${name} in ${this.topic}`)
    return c
  }

  /** The catalog's column names in table order (the order of pgoutput tuples and snapshot rows). */
  get tableColumns(): readonly string[] {
    return this.#tableColumns
  }

  /** Column names in the order the snapshot SELECT reads them. */
  get capturedColumns(): readonly string[] {
    return this.#columns.map((c) => c.name)
  }

  /**
   * The value struct of a row given as texts by column name (null: SQL NULL; absent from the map: no value sent).
   * An unchanged TOASTed value is given as `unchanged` and becomes Debezium's placeholder for its type.
   */
  valueOf(texts: ReadonlyMap<string, string | null | 'unchanged-toast'>): Struct {
    const struct = new Struct(this.valueSchema)
    for (const c of this.#columns) struct.put(c.name, this.#convert(c, texts))
    return struct
  }

  /** The key struct of a row, or null for a table without key columns. */
  keyOf(texts: ReadonlyMap<string, string | null | 'unchanged-toast'>): Struct | null {
    if (this.keySchema === null) return null
    const struct = new Struct(this.keySchema)
    for (const k of this.#keyColumns) struct.put(k, this.#convert(this.#column(k), texts))
    return struct
  }

  #convert(c: CapturedColumn, texts: ReadonlyMap<string, string | null | 'unchanged-toast'>): unknown {
    if (!texts.has(c.name)) return c.absent
    const text = texts.get(c.name)
    if (text === null || text === undefined) return c.schema.optional ? null : c.absent
    if (text === 'unchanged-toast') return c.schema.type === 'STRING' ? UNCHANGED_TOAST_PLACEHOLDER : c.absent
    return c.converter.convert(text, c.schema)
  }

  /** Texts by column name from a pgoutput tuple (its values are in table column order). */
  textsOfTuple(tuple: readonly TupleValue[], keyOnly: boolean): Map<string, string | null | 'unchanged-toast'> {
    const texts = new Map<string, string | null | 'unchanged-toast'>()
    tuple.forEach((v, i) => {
      const name = this.#tableColumns[i]
      if (name === undefined) return
      // A key-only old tuple sends 'n' for every non-key column: those have no value, not a NULL one.
      if (keyOnly && v.kind === 'null' && !this.isReplicaKey(name)) return
      texts.set(name, v.kind === 'null' ? null : v.kind === 'unchanged' ? 'unchanged-toast' : v.text)
    })
    return texts
  }

  #replicaKey: Set<string> = new Set()

  /** Sets which columns the Relation message flagged as part of the replica identity key. */
  setReplicaKey(columns: Iterable<string>): void {
    this.#replicaKey = new Set(columns)
  }

  isReplicaKey(column: string): boolean {
    return this.#replicaKey.has(column)
  }
}

/** Debezium's unavailable.value.placeholder default, for unchanged TOASTed text. */
export const UNCHANGED_TOAST_PLACEHOLDER = '__debezium_unavailable_value'
