/**
 * connect-distributed as a real process (`process.execPath bin/connect-distributed.js <props>`), as users run it:
 * shared by the CLI tests (test/support/connect-process.ts) and the benchmarks and drills (bench/).
 *
 * Its output goes either to memory (tests read it for assertions) or to a log file (long benchmark runs, where a
 * worker logging for minutes should not grow this process's heap).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

const BIN = new URL('../bin/connect-distributed.js', import.meta.url).pathname

/** One started connect-distributed (or any command of bin/ given as `bin`). */
export interface ConnectProcess {
  child: ChildProcess
  /** Everything written on stdout so far (the log file's content when logging to a file). */
  stdout: () => string
  /** Everything written on stderr so far (empty when logging to a file: both streams go there). */
  stderr: () => string
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  exit: Promise<number | null>
}

/** How to start connect-distributed. */
export interface SpawnOptions {
  /** Extra environment; TSCONNECT_LOG_LEVEL defaults to info, so that the advertised URL is logged. */
  env?: Record<string, string>
  /** Both output streams go to this file (appended) instead of memory. */
  logFile?: string
  /** Node flags before the script, e.g. --max-old-space-size=256. */
  nodeFlags?: string[]
  /** A command that runs the worker and execs it, e.g. ['ip', 'netns', 'exec', 'ns1']. */
  wrapper?: readonly string[]
}

/** Writes worker properties to `file` in the .properties format; answers the path. */
export function writeProperties(file: string, props: Record<string, string>): string {
  writeFileSync(
    file,
    `${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  )
  return file
}

/** Starts connect-distributed with `args`. */
export function spawnConnect(args: string[], opts: SpawnOptions = {}): ConnectProcess {
  const env = { ...process.env, TSCONNECT_LOG_LEVEL: 'info', ...opts.env }
  const [command, ...argv] = [...(opts.wrapper ?? []), process.execPath, ...(opts.nodeFlags ?? []), BIN, ...args] as [
    string,
    ...string[],
  ]
  if (opts.logFile !== undefined) {
    const logFile = opts.logFile
    const fd = openSync(logFile, 'a')
    try {
      const child = spawn(command, argv, { env, stdio: ['ignore', fd, fd] })
      return { child, stdout: () => readText(logFile), stderr: () => '', exit: exitOf(child) }
    } finally {
      closeSync(fd)
    }
  }
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return { child, stdout: () => out, stderr: () => err, exit: exitOf(child) }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/** True while the process has neither exited nor been killed. */
export function isRunning(p: ConnectProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null
}

/**
 * How long a worker may take to start before the helpers give up on it. A worker starts in about 2 s; under a load
 * average of 30-50 on 2 cores (parallel test runs) starts of over 30 s were seen. A worker that fails exits, and
 * the helpers notice that at once, so the limit only bounds a hung start.
 */
export const START_TIMEOUT_MS = 90_000

/** The REST URL a started worker advertises (read from its log); fails early when the process exits. */
export async function advertisedUrl(p: ConnectProcess, timeoutMs = START_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const url = /"advertisedUrl":"([^"]+)"/.exec(p.stdout())?.[1]
    if (url !== undefined) return url
    if (!isRunning(p)) throw new Error(`connect-distributed exited before it advertised its URL:\n${tail(p)}`)
    if (Date.now() > deadline)
      throw new Error(`connect-distributed advertised no URL after ${timeoutMs} ms:\n${tail(p)}`)
    await sleep(50)
  }
}

/** Resolves once GET /connectors answers 200 at `url`; fails early when the process exits. */
export async function restReady(p: ConnectProcess, url: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = await fetch(`${url}/connectors`).then(
      (r) => r.status,
      () => 0,
    )
    if (status === 200) return
    if (!isRunning(p)) throw new Error(`connect-distributed exited before its REST API answered:\n${tail(p)}`)
    if (Date.now() > deadline) throw new Error(`GET ${url}/connectors not 200 after ${timeoutMs} ms:\n${tail(p)}`)
    await sleep(50)
  }
}

/** SIGKILL; resolves once the process is gone. */
export async function killConnect(p: ConnectProcess): Promise<void> {
  if (isRunning(p)) p.child.kill('SIGKILL')
  await p.exit
}

/** SIGTERM (a graceful stop), then SIGKILL after `graceMs`; resolves with the exit code once the process is gone. */
export async function stopConnect(p: ConnectProcess, graceMs = 30_000): Promise<number | null> {
  if (isRunning(p)) p.child.kill('SIGTERM')
  const timer = setTimeout(() => {
    if (isRunning(p)) p.child.kill('SIGKILL')
  }, graceMs)
  try {
    return await p.exit
  } finally {
    clearTimeout(timer)
  }
}

function tail(p: ConnectProcess, lines = 20): string {
  return `${p.stdout()}\n${p.stderr()}`.trimEnd().split('\n').slice(-lines).join('\n')
}
