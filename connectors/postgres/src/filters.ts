/**
 * The include/exclude lists and message.key.columns: Debezium's regular expressions, each matched against the whole
 * identifier (`schema`, `schema.table`, `schema.table.column`), case-insensitively.
 */
import type { ColumnSelection } from './schema/table-schema.ts'

function patterns(list: readonly string[] | null): RegExp[] | null {
  if (list === null || list.length === 0) return null
  return list.map((p) => new RegExp(`^(?:${p.trim()})$`, 'i'))
}

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema'])

/** What the lists say is captured. */
export interface FilterLists {
  schemaInclude: readonly string[] | null
  schemaExclude: readonly string[] | null
  tableInclude: readonly string[] | null
  tableExclude: readonly string[] | null
  columnInclude: readonly string[] | null
  columnExclude: readonly string[] | null
  messageKeyColumns: string | null
}

/** The connector's table and column filters. */
export class Filters implements ColumnSelection {
  readonly #schemaInclude: RegExp[] | null
  readonly #schemaExclude: RegExp[] | null
  readonly #tableInclude: RegExp[] | null
  readonly #tableExclude: RegExp[] | null
  readonly #columnInclude: RegExp[] | null
  readonly #columnExclude: RegExp[] | null
  readonly #keyColumns: { table: RegExp; columns: string[] }[]

  constructor(lists: FilterLists) {
    this.#schemaInclude = patterns(lists.schemaInclude)
    this.#schemaExclude = patterns(lists.schemaExclude)
    this.#tableInclude = patterns(lists.tableInclude)
    this.#tableExclude = patterns(lists.tableExclude)
    this.#columnInclude = patterns(lists.columnInclude)
    this.#columnExclude = patterns(lists.columnExclude)
    this.#keyColumns = (lists.messageKeyColumns ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((entry) => {
        const colon = entry.lastIndexOf(':')
        if (colon < 0) throw new Error(`message.key.columns entry without columns: ${entry}`)
        return {
          table: new RegExp(`^(?:${entry.slice(0, colon).trim()})$`, 'i'),
          columns: entry
            .slice(colon + 1)
            .split(',')
            .map((c) => c.trim())
            .filter((c) => c.length > 0),
        }
      })
  }

  /** Whether the table is captured. */
  includeTable(schema: string, table: string): boolean {
    if (SYSTEM_SCHEMAS.has(schema) || schema.startsWith('pg_')) return false
    if (this.#schemaInclude && !this.#schemaInclude.some((p) => p.test(schema))) return false
    if (this.#schemaExclude?.some((p) => p.test(schema))) return false
    const id = `${schema}.${table}`
    if (this.#tableInclude && !this.#tableInclude.some((p) => p.test(id))) return false
    if (this.#tableExclude?.some((p) => p.test(id))) return false
    return true
  }

  includeColumn(schema: string, table: string, column: string): boolean {
    const id = `${schema}.${table}.${column}`
    if (this.#columnInclude && !this.#columnInclude.some((p) => p.test(id))) return false
    if (this.#columnExclude?.some((p) => p.test(id))) return false
    return true
  }

  keyColumns(schema: string, table: string): string[] | null {
    const id = `${schema}.${table}`
    return this.#keyColumns.find((k) => k.table.test(id))?.columns ?? null
  }
}
