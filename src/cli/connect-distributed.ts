/**
 * `connect-distributed <worker.properties> [--override key=value]...`: starts a distributed worker, as Java's
 * ConnectDistributed. Properties come from the file, then CONNECT_* environment variables, then --override
 * (overrides.ts). A bad config stops it before it connects, with a message naming the key and exit code 1.
 * SIGTERM and SIGINT stop it gracefully (work stopped and committed, group left); a second signal exits at once.
 *
 * Logging: JSON lines on stdout (pino); TSCONNECT_LOG_LEVEL=trace|debug|info|warn|error sets the level.
 * Java's KAFKA_HEAP_OPTS becomes NODE_OPTIONS=--max-old-space-size=<MiB> (docs/connect-distributed.md).
 */
import { readFileSync } from 'node:fs'
import { logger } from '../util/log.ts'
import { parsePropertiesObject } from '../util/properties-file.ts'
import { type DistributedWorkerOptions, startDistributedWorker } from './distributed-wiring.ts'
import { parseOverrides, propertiesFromEnv } from './overrides.ts'
import { runUntilSignalled } from './run-worker.ts'

const USAGE = 'Usage: connect-distributed worker.properties [--override property=value]*'

/** The worker properties a command line and environment give: file < CONNECT_* < --override. */
export function workerProperties(args: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--override')
  if (file === undefined) throw new UsageError(USAGE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new UsageError(`Cannot read worker properties ${file}: ${(e as Error).message}`)
  }
  return { ...parsePropertiesObject(text), ...propertiesFromEnv(env), ...parseOverrides(args) }
}

/** A command line that cannot be run. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Runs the command; resolves with the exit code once the worker has stopped (or failed to start). */
export async function main(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  options: DistributedWorkerOptions = {},
): Promise<number> {
  const log = options.log ?? logger('connect-distributed')
  return runUntilSignalled({
    log,
    kind: 'distributed',
    start: () => startDistributedWorker(workerProperties(args, env), { ...options, log }),
    onStartError: (e) => {
      if (!(e instanceof UsageError)) return undefined
      process.stderr.write(`${e.message}\n`)
      return 1
    },
  })
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2))
}
