/**
 * What the CLI prints: tables for people (aligned columns, connector and task states coloured when the terminal
 * supports colour), JSON or YAML for scripts (`-o json|yaml`, the same data as the table, in full).
 */
import { styleText } from 'node:util'
import { UsageError } from './usage.ts'
import { toYaml } from './yaml.ts'

/** The output formats of `-o`. */
export type OutputFormat = 'table' | 'json' | 'yaml'

const FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml']

/**
 * The `-o` value as a format.
 * @throws UsageError for anything but table, json and yaml
 */
export function outputFormat(value: string | undefined): OutputFormat {
  const format = (value ?? 'table').toLowerCase()
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown output format '${value}': use table, json or yaml`)
  }
  return format as OutputFormat
}

/** A stream the CLI writes to (process.stdout, or a test's buffer). */
export interface OutputStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

type Style = Parameters<typeof styleText>[0]

/** The colour of each Connect state (connector and task statuses). */
const STATE_STYLES: Record<string, Style> = {
  RUNNING: 'green',
  FAILED: 'red',
  PAUSED: 'yellow',
  STOPPED: 'gray',
  UNASSIGNED: 'gray',
  RESTARTING: 'cyan',
  DESTROYED: 'gray',
}

/**
 * A table cell: text, optionally styled (dropped when colour is off); `styled` is a rendering of several colours,
 * whose width is the plain text's.
 */
export type Cell = string | { text: string; style?: Style | undefined; styled?: string }

const cellText = (c: Cell) => (typeof c === 'string' ? c : c.text)

/** Writes text, tables and documents to one stream, with or without colour. */
export class Printer {
  readonly stream: OutputStream
  readonly color: boolean

  constructor(stream: OutputStream, color: boolean) {
    this.stream = stream
    this.color = color
  }

  /** Whether the stream is a terminal (progress lines are redrawn in place only there). */
  get tty(): boolean {
    return this.stream.isTTY === true
  }

  /** Writes one line. */
  line(text = ''): void {
    this.stream.write(`${text}\n`)
  }

  /** `text` in `style` when colour is on. */
  style(style: Style, text: string): string {
    return this.color ? styleText(style, text, { validateStream: false }) : text
  }

  /** A state, coloured by what it means. */
  state(state: string): Cell {
    return { text: state, style: STATE_STYLES[state] }
  }

  /** `0: RUNNING, 1: FAILED`: numbered states in one cell, each coloured. */
  states(items: { id: number; state: string }[]): Cell {
    if (items.length === 0) return '-'
    const render = (colour: boolean) =>
      items
        .map((t) => {
          const style = STATE_STYLES[t.state]
          return `${t.id}: ${colour && style ? this.style(style, t.state) : t.state}`
        })
        .join(', ')
    return { text: render(false), styled: render(true) }
  }

  /** Writes an aligned table: bold headers, two spaces between columns, no trailing spaces. */
  table(headers: string[], rows: Cell[][]): void {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => cellText(r[i] ?? '').length)))
    const render = (cells: Cell[], header: boolean) =>
      cells
        .map((cell, i) => {
          const text = cellText(cell)
          const padded = i === cells.length - 1 ? text : text.padEnd(widths[i] ?? 0)
          const style = header ? 'bold' : typeof cell === 'string' ? undefined : cell.style
          if (this.color && typeof cell !== 'string' && cell.styled !== undefined) {
            return cell.styled + padded.slice(text.length)
          }
          return style === undefined ? padded : this.style(style, text) + padded.slice(text.length)
        })
        .join('  ')
        .trimEnd()
    this.line(render(headers, true))
    for (const row of rows) this.line(render(this.#fitted(row, widths), false))
  }

  /** On a terminal, a last cell of plain text cut to the terminal's width (a long failure would wrap the table). */
  #fitted(row: Cell[], widths: number[]): Cell[] {
    const columns = this.stream.columns
    const last = row[row.length - 1]
    if (!this.tty || columns === undefined || typeof last !== 'string') return row
    const start = widths.slice(0, row.length - 1).reduce((sum, w) => sum + w + 2, 0)
    const room = columns - start
    if (last.length <= room || room < 10) return row
    return [...row.slice(0, -1), `${last.slice(0, room - 1)}…`]
  }

  /** Writes `key: value` lines with the keys aligned. */
  fields(entries: [string, Cell][]): void {
    const width = Math.max(0, ...entries.map(([k]) => k.length + 1))
    for (const [key, value] of entries) {
      const text = cellText(value)
      const style = typeof value === 'string' ? undefined : value.style
      this.line(`${this.style('bold', `${key}:`.padEnd(width))}  ${style ? this.style(style, text) : text}`)
    }
  }

  /** Writes a value as JSON or YAML. */
  document(value: unknown, format: 'json' | 'yaml'): void {
    this.stream.write(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYaml(value))
  }
}
