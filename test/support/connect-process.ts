/**
 * connect-distributed as real processes for tests (tools/tsconnect-process.ts), with their output kept in memory for
 * assertions. Every child still running when the test file ends is killed.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import {
  advertisedUrl,
  type ConnectProcess,
  isRunning,
  START_TIMEOUT_MS,
  spawnConnect,
  writeProperties,
} from '../../tools/tsconnect-process.ts'
import { http, until } from './herder-cluster.ts'

export { advertisedUrl }

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-cli-'))
const started: ConnectProcess[] = []
after(() => {
  for (const p of started) if (isRunning(p)) p.child.kill('SIGKILL')
})

/** One started command. */
export type Run = ConnectProcess

/** A temporary directory of this test file. */
export function testDir(): string {
  return dir
}

/** Writes worker properties to a file of the test directory; answers its path. */
export function propertiesFile(props: Record<string, string>): string {
  return writeProperties(join(dir, `worker-${started.length}-${Math.random().toString(36).slice(2)}.properties`), props)
}

/**
 * Starts connect-distributed with `args` (log level info, so that the advertised URL is logged), through
 * `wrapper` when given (e.g. `ip netns exec <ns>`, which execs it).
 */
export function run(args: string[], env: Record<string, string> = {}, wrapper: readonly string[] = []): Run {
  const p = spawnConnect(args, { env, wrapper })
  started.push(p)
  return p
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
export async function startDistributed(
  props: Record<string, string>,
  timeoutMs = START_TIMEOUT_MS,
): Promise<DistributedProcess> {
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
      if (isRunning(r)) r.child.kill('SIGTERM')
      return r.exit
    },
  }
}
