/**
 * `npm run services -- start|stop|status [name...]`: the test services in the background, for the quick start,
 * benchmarks and running one test file by hand (`eval "$(npm run -s services -- env)"`, then `node --test`).
 *
 * start launches detached servers in --dir (default .local/services) and records their pids and environment in
 * <dir>/state.json; stop ends them and removes the folder; status says which still run; env prints the
 * environment variables as `export` lines. Without names, start starts every service.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { isAlive, stopProcess } from '../kafka/jvm.ts'
import { isServiceName, SERVICE_NAMES, type ServiceName, startServices } from './registry.ts'

/** The default folder of the background services: .local/services in the checkout (git-ignored). */
export const DEFAULT_SERVICES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '.local', 'services')

/** What state.json records of one background service. */
interface SavedService {
  name: string
  pids: number[]
  env: Record<string, string>
}

function readState(dir: string): SavedService[] | undefined {
  const file = join(dir, 'state.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SavedService[]) : undefined
}

function exportLines(services: SavedService[]): string {
  return services.flatMap((s) => Object.entries(s.env).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`)).join('\n')
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string', default: DEFAULT_SERVICES_DIR } },
  })
  const [command = 'status', ...names] = positionals
  const dir = resolve(values.dir)
  const state = readState(dir)
  const running = state?.filter((s) => s.pids.length === 0 || s.pids.some(isAlive))

  switch (command) {
    case 'start': {
      if (running && running.length > 0) {
        console.log(`Services already run from ${dir}: ${running.map((s) => s.name).join(', ')}`)
        return 0
      }
      const unknown = names.filter((n) => !isServiceName(n))
      if (unknown.length > 0) {
        console.error(`Unknown service ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`)
        return 2
      }
      const wanted = names.length > 0 ? (names as ServiceName[]) : SERVICE_NAMES
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
      const set = await startServices(wanted, { dir, detached: true })
      const saved = set.services.map(({ name, pids, env }) => ({ name, pids, env }))
      writeFileSync(join(dir, 'state.json'), `${JSON.stringify(saved, null, 2)}\n`)
      for (const name of wanted) console.log(`${name} ready in ${set.startMs[name]} ms`)
      console.log(exportLines(saved))
      return 0
    }
    case 'env':
      if (running) console.log(exportLines(running))
      return 0
    case 'status':
      if (!state) console.log(`No services started from ${dir}.`)
      for (const s of state ?? []) {
        const alive = s.pids.length === 0 || s.pids.some(isAlive)
        console.log(`${s.name}: ${alive ? 'running' : 'stopped'} ${JSON.stringify(s.env)}`)
      }
      return 0
    case 'stop':
      await Promise.all((state ?? []).flatMap((s) => s.pids.map((pid) => stopProcess(pid))))
      rmSync(dir, { recursive: true, force: true })
      console.log(state ? `Stopped the services of ${dir}.` : `No services started from ${dir}.`)
      return 0
    default:
      console.error(`Unknown command ${command}: use start, stop, status or env.`)
      return 2
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error((error as Error).message)
  return 1
})
