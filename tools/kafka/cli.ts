/**
 * `npm run kafka -- start|stop|status|resolve`: a local Kafka for the quick start and for people with no Kafka of
 * their own. `start` leaves the JVMs running in the background (see local.ts).
 *
 * Options of start: --port N (default 9092), --controller-port N (default 9093), --brokers N (default 1; more
 * starts a separate controller, as the fault tests do), --dir PATH (default .local/kafka). stop: --keep keeps
 * the data and logs.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureKafka, KafkaToolingError } from './jars.ts'
import {
  DEFAULT_LOCAL_DIR,
  describeLocalKafka,
  isLocalRunning,
  readLocalState,
  startLocalKafka,
  stopLocalKafka,
} from './local.ts'

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '9092' },
      'controller-port': { type: 'string', default: '9093' },
      brokers: { type: 'string', default: '1' },
      dir: { type: 'string', default: DEFAULT_LOCAL_DIR },
      keep: { type: 'boolean', default: false },
    },
  })
  const command = positionals[0] ?? 'status'
  const dir = resolve(values.dir)

  switch (command) {
    case 'resolve': {
      const started = Date.now()
      const install = ensureKafka()
      console.log(`Kafka ${install.version} jars in ${install.home} (${Date.now() - started} ms)`)
      return 0
    }
    case 'start': {
      const started = Date.now()
      const { state, started: fresh } = await startLocalKafka({
        dir,
        brokers: Number(values.brokers),
        port: Number(values.port),
        controllerPort: Number(values['controller-port']),
      })
      console.log(
        fresh
          ? `Kafka ${state.version} is ready in ${Date.now() - started} ms`
          : 'Kafka is already running (npm run kafka -- stop to stop it)',
      )
      console.log(`bootstrap.servers=${state.bootstrap}`)
      console.log(`logs: ${dir}`)
      return 0
    }
    case 'stop': {
      console.log((await stopLocalKafka(dir, values.keep)) ? 'Kafka stopped.' : 'No local Kafka was started here.')
      return 0
    }
    case 'status': {
      const state = readLocalState(dir)
      if (!isLocalRunning(state)) {
        console.log('Kafka is not running.')
        return 1
      }
      for (const line of await describeLocalKafka(state)) console.log(line)
      console.log(`bootstrap.servers=${state.bootstrap}`)
      return 0
    }
    default:
      console.error(`unknown command "${command}": use start, stop, status or resolve`)
      return 2
  }
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  console.error(error instanceof KafkaToolingError ? error.message : error)
  process.exitCode = 1
}
