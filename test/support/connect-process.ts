/**
 * connect-distributed as real processes for tests: `process.execPath bin/connect-distributed.js <props>`, as users
 * run it, with its output kept for assertions. Every child still running when the test file ends is killed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { http, until } from './herder-cluster.ts'

const BIN = new URL('../../bin/connect-distributed.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'tsconnect-cli-'))
const children: ChildProcess[] = []
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})

/** One started command. */
export interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
}

/** A temporary directory of this test file. */
export function testDir(): string {
  return dir
}

/** Writes worker properties to a file of the test directory; answers its path. */
export function propertiesFile(props: Record<string, string>): string {
  const file = join(dir, `worker-${children.length}-${Math.random().toString(36).slice(2)}.properties`)
  writeFileSync(
    file,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  )
  return file
}

/**
 * Starts connect-distributed with `args` (log level info, so that the advertised URL is logged), through
 * `wrapper` when given.
 */
export function run(args: string[], env: Record<string, string> = {}, wrapper: readonly string[] = []): Run {
  // A wrapper (e.g. `ip netns exec <ns>`) runs the worker through that command, which execs it.
  const [command, ...commandArgs] = [...wrapper, process.execPath, BIN, ...args] as [string, ...string[]]
  const child = spawn(command, commandArgs, {
    env: { ...process.env, TSCONNECT_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stdout: () => out, stderr: () => err, exit }
}

/** The REST URL a started worker advertises (read from its log). */
export function advertisedUrl(r: Run, timeoutMs = 30_000): Promise<string> {
  return until('the REST URL in the log', timeoutMs, async () => /"advertisedUrl":"([^"]+)"/.exec(r.stdout())?.[1])
}

/** A connect-distributed process whose REST API answers. */
export interface DistributedProcess {
  run: Run
  url: string
  /** The worker_id in statuses (host:port of the advertised URL). */
  id: string
  /** SIGTERM, as an operator stops a worker; answers the exit code. */
  stop(): Promise<number | null>
}

/** Starts connect-distributed with these worker properties; resolves once GET /connectors answers. */
export async function startDistributed(props: Record<string, string>, timeoutMs = 30_000): Promise<DistributedProcess> {
  const r = run([propertiesFile(props)])
  const url = await advertisedUrl(r, timeoutMs)
  await until('GET /connectors answers', timeoutMs, async () =>
    (await http(`${url}/connectors`)).status === 200 ? true : undefined,
  )
  return {
    run: r,
    url,
    id: new URL(url).host,
    stop: () => {
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM')
      return r.exit
    },
  }
}
