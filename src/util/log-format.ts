/**
 * Log lines for people: what a worker prints when its stdout is a terminal (or TSCONNECT_LOG_FORMAT=text), in place
 * of pino's JSON lines, which stay the default for files, pipes and containers.
 *
 * One line per record: local time, level, component, the connector/task context as Java prints it, the message,
 * then the other fields as key=value; an error's stack follows on indented lines.
 */
import { styleText } from 'node:util'

/** How log records are written. */
export type LogFormat = 'json' | 'text'

/**
 * The format for this process: TSCONNECT_LOG_FORMAT (`json`, or `text`/`pretty`), else text on a terminal and
 * JSON otherwise.
 */
export function logFormat(env: NodeJS.ProcessEnv, stdout: { isTTY?: boolean }): LogFormat {
  const chosen = env.TSCONNECT_LOG_FORMAT?.trim().toLowerCase()
  if (chosen === 'json') return 'json'
  if (chosen === 'text' || chosen === 'pretty') return 'text'
  return stdout.isTTY === true ? 'text' : 'json'
}

const LEVELS: Record<number, { name: string; style: Parameters<typeof styleText>[0] }> = {
  10: { name: 'TRACE', style: 'gray' },
  20: { name: 'DEBUG', style: 'blue' },
  30: { name: 'INFO', style: 'green' },
  40: { name: 'WARN', style: 'yellow' },
  50: { name: 'ERROR', style: 'red' },
  60: { name: 'FATAL', style: 'magenta' },
}

/** Fields that have their own place in the line, or that a person does not need on every line. */
const PLACED = new Set(['time', 'level', 'msg', 'component', 'connector', 'task', 'pid', 'hostname', 'err', 'error'])

const two = (n: number) => String(n).padStart(2, '0')

function localTime(epochMs: number): string {
  const d = new Date(epochMs)
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  return JSON.stringify(value) ?? String(value)
}

/** One pino record (parsed JSON) as a text line; `color` styles the level and dims the context. */
export function formatLogRecord(record: Record<string, unknown>, color: boolean): string {
  const style = (s: Parameters<typeof styleText>[0], text: string) =>
    color ? styleText(s, text, { validateStream: false }) : text
  const level = LEVELS[Number(record.level)] ?? { name: String(record.level), style: 'white' }
  const parts = [
    localTime(typeof record.time === 'number' ? record.time : Date.now()),
    style(level.style, level.name.padEnd(5)),
  ]
  if (record.component !== undefined) parts.push(style('cyan', `[${String(record.component)}]`))
  if (record.connector !== undefined) {
    // Java's connector context (LoggingContext): [name|worker] for the connector, [name|task-N] for a task.
    const scope = record.task === undefined ? 'worker' : `task-${String(record.task)}`
    parts.push(style('bold', `[${String(record.connector)}|${scope}]`))
  }
  parts.push(String(record.msg ?? ''))
  const extra = Object.entries(record)
    .filter(([k, v]) => !PLACED.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${fieldValue(v)}`)
  if (extra.length > 0) parts.push(style('dim', extra.join(' ')))
  let line = parts.join(' ')
  const error = (record.err ?? record.error) as { stack?: unknown; message?: unknown } | undefined
  if (error !== undefined && error !== null) {
    const text =
      typeof error === 'object' ? String(error.stack ?? error.message ?? JSON.stringify(error)) : String(error)
    line += `\n${text
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}`
  }
  return line
}

/** A pino destination that writes each JSON record as a text line to `stream`. */
export function textDestination(
  stream: { write(text: string): unknown },
  color: boolean,
): { write(line: string): void } {
  return {
    write(line) {
      let record: Record<string, unknown>
      try {
        record = JSON.parse(line) as Record<string, unknown>
      } catch {
        stream.write(line)
        return
      }
      stream.write(`${formatLogRecord(record, color)}\n`)
    },
  }
}
