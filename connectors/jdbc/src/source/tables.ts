/**
 * Which tables the source copies: the database's tables of the configured types, filtered by the include and
 * exclude lists (regular expressions on the fully qualified name) or the legacy whitelist and blacklist (names,
 * plain or qualified), and how they are shared among tasks (contiguous groups, as Kafka's
 * ConnectorUtils.groupPartitions).
 */
import type { Database } from '../db/database.ts'
import type { TableId } from '../dialect/dialect.ts'
import type { SourceSettings } from './source-config.ts'
import { fullName } from './table-querier.ts'

const TYPE_NAMES: Record<string, string> = { 'BASE TABLE': 'TABLE', VIEW: 'VIEW', 'SYSTEM VIEW': 'VIEW' }

function listed(names: readonly string[], table: TableId): boolean {
  const fqn = fullName(table)
  const schemaTable = table.schema === null ? table.table : `${table.schema}.${table.table}`
  return names.some((n) => n === table.table || n === fqn || n === schemaTable)
}

/** Whether the settings select this table. */
export function selected(settings: SourceSettings, table: TableId): boolean {
  const fqn = fullName(table)
  if (settings.whitelist.length > 0) return listed(settings.whitelist, table)
  if (settings.blacklist.length > 0) return !listed(settings.blacklist, table)
  if (settings.include.length > 0 && !settings.include.some((r) => r.test(fqn))) return false
  return !settings.exclude.some((r) => r.test(fqn))
}

/** The tables to copy, in name order. */
export async function listTables(db: Database, settings: SourceSettings): Promise<TableId[]> {
  const { sql, params } = db.dialect.listTables()
  const { rows } = await db.query(sql, params)
  const tables: TableId[] = []
  for (const r of rows) {
    const type = TYPE_NAMES[String(r.type)] ?? String(r.type)
    if (!settings.tableTypes.includes(type)) continue
    const table: TableId = {
      catalog: r.catalog === null || r.catalog === undefined ? null : String(r.catalog),
      schema: r.schema === null || r.schema === undefined ? null : String(r.schema),
      table: String(r.name),
    }
    if (settings.catalogPattern !== null && table.catalog !== settings.catalogPattern) continue
    if (settings.schemaPattern !== null && table.schema !== settings.schemaPattern) continue
    if (selected(settings, table)) tables.push(table)
  }
  return tables
}

/** Splits items into at most `groups` contiguous groups whose sizes differ by at most one. */
export function groupPartitions<T>(items: readonly T[], groups: number): T[][] {
  const n = Math.min(groups, items.length)
  const out: T[][] = []
  const per = Math.floor(items.length / Math.max(1, n))
  const extra = items.length % Math.max(1, n)
  let at = 0
  for (let g = 0; g < n; g++) {
    const size = per + (g < extra ? 1 : 0)
    out.push(items.slice(at, at + size))
    at += size
  }
  return out
}
