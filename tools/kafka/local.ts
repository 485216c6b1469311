/**
 * The background local Kafka of a checkout (`npm run kafka -- start`, the quick start): started detached, recorded
 * in <dir>/state.json so that a later command in another process can find, report and stop it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LocalKafka, type LocalKafkaState } from './cluster.ts'
import { canConnect, isAlive } from './jvm.ts'

/** The default folder of the background Kafka: .local/kafka in the checkout (git-ignored). */
export const DEFAULT_LOCAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '.local', 'kafka')

/** Options of startLocalKafka. */
export interface StartLocalOptions {
  dir?: string
  brokers?: number
  port?: number
  controllerPort?: number
}

/** The saved state of the background Kafka in `dir`, if one was started there. */
export function readLocalState(dir = DEFAULT_LOCAL_DIR): LocalKafkaState | undefined {
  const file = join(dir, 'state.json')
  if (!existsSync(file)) return undefined
  return JSON.parse(readFileSync(file, 'utf8')) as LocalKafkaState
}

/** True when any JVM of the saved state is still alive. */
export function isLocalRunning(state: LocalKafkaState | undefined): state is LocalKafkaState {
  return state?.nodes.some((n) => n.pid !== undefined && isAlive(n.pid)) ?? false
}

/**
 * Starts the background Kafka unless it runs already; resolves to its state and whether it was started now.
 * A fresh cluster every start: old data belongs to a cluster id that a new format would not match.
 */
export async function startLocalKafka(
  opts: StartLocalOptions = {},
): Promise<{ state: LocalKafkaState; started: boolean }> {
  const dir = opts.dir ?? DEFAULT_LOCAL_DIR
  const existing = readLocalState(dir)
  if (isLocalRunning(existing)) return { state: existing, started: false }
  if (existing) await LocalKafka.attach(existing).stop()
  rmSync(dir, { recursive: true, force: true })
  const kafka = await LocalKafka.start({
    dir,
    brokers: opts.brokers ?? 1,
    port: opts.port ?? 9092,
    controllerPort: opts.controllerPort ?? 9093,
    detached: true,
  })
  const state = kafka.state()
  writeFileSync(join(dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`)
  return { state, started: true }
}

/** Stops the background Kafka in `dir` and, unless `keep`, deletes its data. Returns false if none was started. */
export async function stopLocalKafka(dir = DEFAULT_LOCAL_DIR, keep = false): Promise<boolean> {
  const state = readLocalState(dir)
  if (!state) return false
  await LocalKafka.attach(state).stop()
  if (!keep) rmSync(dir, { recursive: true, force: true })
  return true
}

/** One line per node: its role, pid, port and whether it answers. */
export async function describeLocalKafka(state: LocalKafkaState): Promise<string[]> {
  const lines: string[] = []
  for (const node of state.nodes) {
    const port = node.roles === 'controller' ? node.controllerPort : node.brokerPort
    const alive = node.pid !== undefined && isAlive(node.pid)
    const answers = alive && (await canConnect(port))
    lines.push(
      `node ${node.nodeId} (${node.roles}) pid ${node.pid ?? '-'} port ${port}: ${answers ? 'up' : alive ? 'not answering' : 'down'}`,
    )
  }
  return lines
}
