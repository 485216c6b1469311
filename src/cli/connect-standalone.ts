/**
 * `connect-standalone <worker.properties> [<connector.properties|connector.json>...] [--override key=value]...`:
 * one worker process, as Java's ConnectStandalone. Worker properties come from the file, then CONNECT_* environment
 * variables, then --override (as connect-distributed). The connector files (herder/connector-files.ts) are created in
 * order once REST listens; more can be created through the same REST API as a distributed worker's.
 *
 * Configs and statuses live in memory; offsets persist in offset.storage.file.filename. Exit codes: 1 for a bad
 * command line or worker config (the message names the key), 3 when a connector file cannot be read or its
 * connector cannot be created (Java's), 0 after a graceful stop on SIGTERM or SIGINT.
 */
import { ConfigError } from '../errors.ts'
import { type ConnectorRequest, readConnectorFile } from '../herder/connector-files.ts'
import { logger } from '../util/log.ts'
import { UsageError, workerProperties } from './connect-distributed.ts'
import { runUntilSignalled } from './run-worker.ts'
import { ConnectorCreateError, startStandaloneWorker } from './standalone-wiring.ts'

const USAGE =
  'Usage: connect-standalone worker.properties [connector1.properties connector2.json ...] [--override property=value]*'

/** The connector files of a command line: the positional arguments after the worker properties. */
export function connectorFiles(args: readonly string[]): string[] {
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--override')
  return positional.slice(1)
}

/** Runs the command; resolves with the exit code once the worker has stopped (or failed to start). */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log = logger('connect-standalone')
  return runUntilSignalled({
    log,
    kind: 'standalone',
    start: async () => {
      const props = workerProperties(args, env)
      let connectors: ConnectorRequest[]
      try {
        connectors = connectorFiles(args).map(readConnectorFile)
      } catch (e) {
        throw new ConnectorFileError(e)
      }
      return startStandaloneWorker(props, connectors, log)
    },
    onStartError: (e) => {
      if (e instanceof UsageError) {
        process.stderr.write(`${e.message.startsWith('Usage') ? USAGE : e.message}\n`)
        return 1
      }
      if (e instanceof ConnectorFileError) {
        const cause = e.cause
        const key = cause instanceof ConfigError && cause.key ? ` (${cause.key})` : ''
        process.stderr.write(`Invalid connector file${key}: ${(cause as Error).message}\n`)
        return 3
      }
      if (e instanceof ConnectorCreateError) {
        process.stderr.write(`${e.message}\n`)
        log.error({ connector: e.connector, err: e.cause }, 'Stopping after connector error')
        return 3
      }
      return undefined
    },
  })
}

/** A connector file that cannot be read or parsed (exit code 3, as Java's). */
class ConnectorFileError extends Error {
  constructor(cause: unknown) {
    super('invalid connector file', { cause })
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2))
}
