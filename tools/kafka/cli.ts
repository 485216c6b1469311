/**
 * `npm run kafka -- start|stop|status|resolve`: a local Kafka for the quick start and for people with no Kafka of
 * their own. `start` leaves the JVMs running in the background and records them in .local/kafka/state.json, which
 * `stop` and `status` read.
 *
 * Options of start: --port N (default 9092), --controller-port N (default 9093), --brokers N (default 1; more
 * starts a separate controller, as the fault tests do), --dir PATH (default .local/kafka).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { LocalKafka, type LocalKafkaState } from './cluster.ts'
import { ensureKafka, KafkaToolingError } from './jars.ts'
import { canConnect, isAlive } from './jvm.ts'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

function readState(stateFile: string): LocalKafkaState | undefined {
  if (!existsSync(stateFile)) return undefined
  return JSON.parse(readFileSync(stateFile, 'utf8')) as LocalKafkaState
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '9092' },
      'controller-port': { type: 'string', default: '9093' },
      brokers: { type: 'string', default: '1' },
      dir: { type: 'string', default: join(repoRoot, '.local', 'kafka') },
      keep: { type: 'boolean', default: false },
    },
  })
  const command = positionals[0] ?? 'status'
  const dir = resolve(values.dir)
  const stateFile = join(dir, 'state.json')
  const state = readState(stateFile)
  const running = state?.nodes.some((n) => n.pid !== undefined && isAlive(n.pid)) ?? false

  switch (command) {
    case 'resolve': {
      const started = Date.now()
      const install = ensureKafka()
      console.log(`Kafka ${install.version} jars in ${install.home} (${Date.now() - started} ms)`)
      return 0
    }
    case 'start': {
      if (state && running) {
        console.log(`Kafka is already running: bootstrap.servers=${state.bootstrap} (npm run kafka -- stop to stop it)`)
        return 0
      }
      // A fresh cluster every start: old data belongs to a cluster id that the new format would not match.
      rmSync(dir, { recursive: true, force: true })
      const started = Date.now()
      const kafka = await LocalKafka.start({
        dir,
        brokers: Number(values.brokers),
        port: Number(values.port),
        controllerPort: Number(values['controller-port']),
        detached: true,
      })
      writeFileSync(stateFile, `${JSON.stringify(kafka.state(), null, 2)}\n`)
      console.log(`Kafka ${kafka.install.version} is ready in ${Date.now() - started} ms`)
      console.log(`bootstrap.servers=${kafka.bootstrap}`)
      console.log(`logs: ${dir}`)
      return 0
    }
    case 'stop': {
      if (!state) {
        console.log('No local Kafka was started here.')
        return 0
      }
      await LocalKafka.attach(state).stop()
      if (!values.keep) rmSync(dir, { recursive: true, force: true })
      console.log('Kafka stopped.')
      return 0
    }
    case 'status': {
      if (!state || !running) {
        console.log('Kafka is not running.')
        return 1
      }
      for (const node of state.nodes) {
        const port = node.roles === 'controller' ? node.controllerPort : node.brokerPort
        const alive = node.pid !== undefined && isAlive(node.pid)
        const answers = alive && (await canConnect(port))
        console.log(
          `node ${node.nodeId} (${node.roles}) pid ${node.pid ?? '-'} port ${port}: ${answers ? 'up' : alive ? 'not answering' : 'down'}`,
        )
      }
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
