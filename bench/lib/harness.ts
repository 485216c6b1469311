/**
 * The measuring stick shared by every benchmark: a broker to measure against, rows of results, a table on stdout
 * and a JSON file in results/ (git-ignored).
 *
 * The machines are shared and noisy, so a scenario measures tsconnect and its references (the raw client, Java)
 * in the same run, on the same broker, and reports ratios: absolute numbers alone mean little.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalKafka } from '../../tools/kafka/cluster.ts'
import { ensureKafka, type KafkaInstall } from '../../tools/kafka/jars.ts'

/** One measured subject: how many records and bytes moved in how long. */
export interface ResultRow {
  subject: string
  recordSize: number
  records: number
  seconds: number
  /** Extra numbers a scenario reports (latency, RSS, ...). */
  extra?: Record<string, number | string>
}

/** What a scenario gets to work with. */
export interface BenchContext {
  bootstrap: string
  install: KafkaInstall
  /** Options after the scenario name, e.g. --records 200000. */
  options: Record<string, string | boolean | undefined>
  /** Reports progress on stderr (a long run should say what it is doing). */
  progress(message: string): void
  /** A topic name unique to this run. */
  topicName(prefix: string): string
}

/** A benchmark: measures some subjects and returns one row per subject and setting. */
export interface Scenario {
  name: string
  description: string
  run(ctx: BenchContext): Promise<ResultRow[]>
  /** Prints the rows; absent: printTable's records-per-second table. */
  print?(rows: ResultRow[]): void
}

/** Records per second of a row. */
export function recordsPerSecond(row: ResultRow): number {
  return row.records / row.seconds
}

/** MB/s (10^6 bytes) of a row's payload. */
export function megabytesPerSecond(row: ResultRow): number {
  return (row.records * row.recordSize) / 1e6 / row.seconds
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width)
}

/**
 * Prints rows as a table. Each row's ratio is against the first row of the same record size whose subject
 * matches `baseline` (the ceiling), when given.
 */
export function printTable(rows: ResultRow[], baseline?: RegExp): void {
  const header = ['subject', 'size', 'records', 'seconds', 'records/s', 'MB/s', 'ratio']
  const lines = rows.map((row) => {
    const base = baseline ? rows.find((r) => r.recordSize === row.recordSize && baseline.test(r.subject)) : undefined
    const ratio = base ? recordsPerSecond(row) / recordsPerSecond(base) : undefined
    return [
      row.subject,
      `${row.recordSize} B`,
      String(row.records),
      row.seconds.toFixed(2),
      Math.round(recordsPerSecond(row)).toLocaleString('en-US'),
      megabytesPerSecond(row).toFixed(1),
      ratio === undefined ? '' : `${(ratio * 100).toFixed(0)} %`,
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  const format = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0, i > 0)).join('  ')
  console.log(format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const line of lines) console.log(format(line))
}

/** Writes the rows as JSON into results/<scenario>-<timestamp>.json and returns the path. */
export function saveResults(scenario: string, rows: ResultRow[], meta: Record<string, unknown>): string {
  const dir = join(process.cwd(), 'results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  const enriched = rows.map((row) => ({
    ...row,
    recordsPerSecond: recordsPerSecond(row),
    megabytesPerSecond: megabytesPerSecond(row),
  }))
  writeFileSync(file, `${JSON.stringify({ scenario, ...meta, rows: enriched }, null, 2)}\n`)
  return file
}

/**
 * Runs a scenario against the broker named by --bootstrap, or against a private broker started for the run with
 * the performance JVM profile (and stopped afterwards).
 */
export async function runScenario(scenario: Scenario, options: BenchContext['options']): Promise<ResultRow[]> {
  const install = ensureKafka()
  let kafka: LocalKafka | undefined
  let dir: string | undefined
  let bootstrap = typeof options.bootstrap === 'string' ? options.bootstrap : undefined
  if (!bootstrap) {
    dir = mkdtempSync(join(tmpdir(), 'tsconnect-bench-'))
    process.stderr.write('starting a broker for the benchmark...\n')
    kafka = await LocalKafka.start({ dir, install, profile: 'performance', heap: '1g' })
    bootstrap = kafka.bootstrap
  }
  let counter = 0
  const ctx: BenchContext = {
    bootstrap,
    install,
    options,
    progress: (message) => process.stderr.write(`[${scenario.name}] ${message}\n`),
    topicName: (prefix) => `bench-${prefix}-${Date.now()}-${++counter}`,
  }
  try {
    return await scenario.run(ctx)
  } finally {
    await kafka?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}
