/**
 * `connect-standalone <worker.properties> [<connector.properties|connector.json>...] [--override key=value]...`:
 * one worker process, as Java's ConnectStandalone. Worker properties come from the file, then CONNECT_* environment
 * variables, then --override (as connect-distributed). The connector files (connector-files.ts) are created in
 * order once REST listens; more can be created through the same REST API as a distributed worker's.
 *
 * Configs and statuses live in memory; offsets persist in offset.storage.file.filename. Exit codes: 1 for a bad
 * command line or worker config (the message names the key), 3 when a connector file cannot be read or its
 * connector cannot be created (Java's), 0 after a graceful stop on SIGTERM or SIGINT.
 */
import { ConfigError } from '../errors.ts'
import { logger } from '../util/log.ts'
import { UsageError, workerProperties } from './connect-distributed.ts'
import { type ConnectorRequest, readConnectorFile } from './connector-files.ts'
import { ConnectorCreateError, type RunningStandaloneWorker, startStandaloneWorker } from './standalone-wiring.ts'

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
  const started = performance.now()
  let signalled = false
  let wakeOnSignal: (() => void) | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'Second signal: exiting without waiting for a graceful stop')
      process.exit(130)
    }
    signalled = true
    log.info({ signal }, 'Stopping the worker')
    wakeOnSignal?.()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  try {
    let props: Record<string, string>
    const connectors: ConnectorRequest[] = []
    try {
      props = workerProperties(args, env)
    } catch (e) {
      process.stderr.write(
        `${e instanceof UsageError && e.message.startsWith('Usage') ? USAGE : (e as Error).message}\n`,
      )
      return 1
    }
    try {
      for (const file of connectorFiles(args)) connectors.push(readConnectorFile(file))
    } catch (e) {
      const key = e instanceof ConfigError && e.key ? ` (${e.key})` : ''
      process.stderr.write(`Invalid connector file${key}: ${(e as Error).message}\n`)
      return 3
    }
    let worker: RunningStandaloneWorker
    try {
      worker = await startStandaloneWorker(props, connectors, log)
    } catch (e) {
      if (e instanceof ConnectorCreateError) {
        process.stderr.write(`${e.message}\n`)
        log.error({ connector: e.connector, err: e.cause }, 'Stopping after connector error')
        return 3
      }
      if (e instanceof ConfigError) {
        process.stderr.write(`Invalid worker configuration${e.key ? ` (${e.key})` : ''}: ${e.message}\n`)
        log.error({ key: e.key }, e.message)
        return 1
      }
      log.fatal({ err: e }, 'Failed to start the worker')
      return 1
    }
    log.info(
      { url: worker.url, startMs: Math.round(performance.now() - started) },
      'Kafka Connect standalone worker started',
    )
    if (!signalled) {
      await new Promise<void>((resolve) => {
        wakeOnSignal = resolve
      })
    }
    try {
      await worker.stop()
      return 0
    } catch (err) {
      log.error({ err }, 'The worker did not stop cleanly')
      return 1
    }
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2))
}
