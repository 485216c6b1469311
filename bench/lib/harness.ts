/**
 * The measuring stick shared by every benchmark: a broker to measure against, rows of results, a table on stdout
 * and a JSON file in results/ (git-ignored).
 *
 * The machines are shared and noisy, so a scenario measures tsconnect and its references (the raw client, Java)
 * in the same run, on the same broker, and reports ratios: absolute numbers alone mean little.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
  /** A scratch folder of this run (removed afterwards). */
  dir: string
  /** The private Kafka of this run (absent with --bootstrap): fault drills kill and restart its brokers. */
  kafka?: LocalKafka
}

/** A reference a row's rate is compared with: the first row of the same record size whose subject matches. */
export interface Baseline {
  /** Column header, e.g. "vs Java". */
  label: string
  match: RegExp
}

/** A target of the issue: rows matching `subject` must reach `min` times the rate of the row matching `against`. */
export interface RatioTarget {
  subject: RegExp
  against: RegExp
  min: number
  /** How the target reads, e.g. "≥ 1.5× Java Connect". */
  label: string
}

/** A benchmark: measures some subjects and returns one row per subject and setting. */
export interface Scenario {
  name: string
  description: string
  run(ctx: BenchContext): Promise<ResultRow[]>
  /** Ratio columns of the default table. */
  baselines?: Baseline[]
  /** Ratio targets, checked and reported after the table. */
  targets?: RatioTarget[]
  /** The private Kafka a scenario needs, when not the default single broker. */
  kafka?: { brokers?: number; overrides?: Record<string, string> }
  /** Prints the rows instead of the default throughput table (scenarios that measure seconds, not rates). */
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

/** Prints a grid: the first column left-aligned, the others right-aligned. */
export function printGrid(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  const format = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0, i > 0)).join('  ')
  console.log(format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const line of lines) console.log(format(line))
}

function rateAgainst(rows: ResultRow[], row: ResultRow, match: RegExp): number | undefined {
  const base = rows.find((r) => r.recordSize === row.recordSize && match.test(r.subject))
  return base ? recordsPerSecond(row) / recordsPerSecond(base) : undefined
}

/**
 * Prints rows as a table. Each ratio column compares a row's rate with the first row of the same record size whose
 * subject matches the baseline (a bare RegExp is one column named "ratio").
 */
export function printTable(rows: ResultRow[], baselines?: RegExp | Baseline[]): void {
  const bases = baselines instanceof RegExp ? [{ label: 'ratio', match: baselines }] : (baselines ?? [])
  const header = ['subject', 'size', 'records', 'seconds', 'records/s', 'MB/s', ...bases.map((b) => b.label)]
  const lines = rows.map((row) => [
    row.subject,
    `${row.recordSize} B`,
    String(row.records),
    row.seconds.toFixed(2),
    Math.round(recordsPerSecond(row)).toLocaleString('en-US'),
    megabytesPerSecond(row).toFixed(1),
    ...bases.map((b) => {
      const ratio = rateAgainst(rows, row, b.match)
      return ratio === undefined ? '' : `${(ratio * 100).toFixed(0)} %`
    }),
  ])
  printGrid(header, lines)
}

/** Checks ratio targets; answers one line per (target, record size), saying plainly which are missed. */
export function checkTargets(rows: ResultRow[], targets: readonly RatioTarget[]): string[] {
  const out: string[] = []
  for (const target of targets) {
    for (const row of rows.filter((r) => target.subject.test(r.subject))) {
      const ratio = rateAgainst(rows, row, target.against)
      if (ratio === undefined) continue
      const verdict = ratio >= target.min ? 'met   ' : 'MISSED'
      out.push(`${verdict} ${row.subject}, ${row.recordSize} B: ${ratio.toFixed(2)}x, target ${target.label}`)
    }
  }
  return out
}

/** A pass/miss line for a target that is a bound on a measured figure (seconds, MB, ...). */
export function boundLine(what: string, value: number, bound: number, unit: string): string {
  const verdict = value <= bound ? 'met   ' : 'MISSED'
  return `${verdict} ${what}: ${value.toFixed(1)} ${unit}, target under ${bound} ${unit}`
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
  const dir = mkdtempSync(join(tmpdir(), 'tsconnect-bench-'))
  if (!options['keep-dir']) scratchDirs.add(dir)
  let bootstrap = typeof options.bootstrap === 'string' ? options.bootstrap : undefined
  if (!bootstrap) {
    const brokers = scenario.kafka?.brokers ?? 1
    process.stderr.write(`starting ${brokers === 1 ? 'a broker' : `${brokers} brokers`} for the benchmark...\n`)
    kafka = await LocalKafka.start({
      dir: join(dir, 'kafka'),
      install,
      brokers,
      profile: 'performance',
      heap: brokers === 1 ? '1g' : '512m',
      ...(scenario.kafka?.overrides ? { overrides: scenario.kafka.overrides } : {}),
    })
    bootstrap = kafka.bootstrap
  }
  let counter = 0
  const ctx: BenchContext = {
    bootstrap,
    install,
    options,
    progress: (message) => process.stderr.write(`[${scenario.name}] ${message}\n`),
    topicName: (prefix) => `bench-${prefix}-${Date.now()}-${++counter}`,
    dir,
    ...(kafka ? { kafka } : {}),
  }
  try {
    return await scenario.run(ctx)
  } finally {
    await kafka?.stop()
    if (options['keep-dir']) process.stderr.write(`logs and data kept in ${dir}\n`)
    else rmSync(dir, { recursive: true, force: true })
    scratchDirs.delete(dir)
  }
}

/** Scratch folders of runs in progress, removed by the signal handler too. */
const scratchDirs = new Set<string>()

/** The pids of this process's children (brokers, workers, perf tools), read from /proc. */
function childPids(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid) pids.push(Number(entry))
    } catch {}
  }
  return pids
}

/**
 * On Ctrl-C or SIGTERM, kills every child this run started (by pid: they are ours) before exiting, so that an
 * interrupted benchmark leaves no broker or worker behind.
 */
export function killChildrenOnSignal(): void {
  const handler = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the brokers and workers of this run\n`)
    for (const pid of childPids()) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true })
    process.exit(130)
  }
  process.once('SIGINT', handler)
  process.once('SIGTERM', handler)
}
