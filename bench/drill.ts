/**
 * `npm run drill -- <scenario> [--duration S] [--seed N] [--bootstrap ...]`: a fault drill, bounded in time.
 *
 * A numbered load (lines "seq-1", "seq-2", ... appended to a file at ~200 lines/s) flows through a pipeline on 3
 * tsconnect workers and a 3-broker Kafka (replication factor 3, min.insync.replicas 2): FileStreamSource → topic →
 * FileStreamSink. Meanwhile faults strike at random (seeded): a worker killed (kill -9) or stopped (SIGTERM) and
 * restarted on its old port a few seconds later, a broker killed and restarted. Then the load stops, the pipeline
 * gets up to 60 s to deliver everything, and the verifier counts what was lost and duplicated by sequence number.
 * Recovery time of a fault: from the fault until a line written after it reaches the sink file.
 *
 * Scenarios: workers (worker faults only), brokers (broker faults only), mixed (both). Default duration 90 s of
 * faults, so a drill with set-up and the final wait stays within about 3 minutes. Worker settings are the defaults
 * of the code under test; at-least-once delivery means duplicates are expected, losses are not.
 */
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import {
  type ClusterSpec,
  type ConnectNode,
  createConnector,
  destroyCluster,
  startCluster,
  startNode,
  waitAllRunning,
} from './lib/connect.ts'
import {
  type BenchContext,
  killChildrenOnSignal,
  printGrid,
  type ResultRow,
  runScenario,
  type Scenario,
  saveResults,
} from './lib/harness.ts'
import { createTopic } from './lib/raw.ts'
import { sequenceNumbers, verifySequence } from './lib/verify.ts'

type FaultKind = 'kill-worker' | 'stop-worker' | 'kill-broker'

/** A deterministic pseudo-random generator (mulberry32), so that a drill can be replayed with --seed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The sink file, read incrementally: the highest sequence number seen so far. */
class SinkWatcher {
  readonly file: string
  #offset = 0
  #rest = ''
  highest = 0

  constructor(file: string) {
    this.file = file
  }

  poll(): void {
    let size = 0
    try {
      size = statSync(this.file).size
    } catch {
      return
    }
    if (size <= this.#offset) return
    const text = this.#rest + readFileSync(this.file).subarray(this.#offset, size).toString()
    this.#offset = size
    const cut = text.lastIndexOf('\n')
    this.#rest = text.slice(cut + 1)
    for (const n of sequenceNumbers(text.slice(0, cut + 1))) if (n > this.highest) this.highest = n
  }
}

interface Fault {
  kind: FaultKind
  target: string
  at: number
  /** The last sequence number written before the fault. */
  writtenBefore: number
  recoveredMs?: number
}

function drill(name: string, kinds: FaultKind[], description: string): Scenario {
  return {
    name,
    description,
    kafka: { brokers: 3 },
    async run(ctx) {
      const durationMs = Number(ctx.options.duration ?? 90) * 1000
      const seed = Number(ctx.options.seed ?? Date.now() % 100000)
      const rand = random(seed)
      ctx.progress(`seed ${seed} (replay with --seed ${seed})`)
      const kafka = ctx.kafka
      if (kinds.includes('kill-broker') && !kafka)
        throw new Error('broker faults need the private Kafka (no --bootstrap)')

      const groupId = ctx.topicName(`drill-${name}`)
      const spec: ClusterSpec = { runtime: 'tsconnect', dir: join(ctx.dir, groupId), groupId, replication: 3 }
      const topic = `${groupId}-data`
      await createTopic(ctx, topic, 3, 3)
      const input = join(ctx.dir, 'drill-in.txt')
      const output = join(ctx.dir, 'drill-out.txt')
      writeFileSync(input, '')

      ctx.progress('starting 3 tsconnect workers')
      const nodes: (ConnectNode | undefined)[] = await startCluster(ctx, spec, 3)
      const ports = nodes.map((n) => Number(new URL((n as ConnectNode).url).port))
      const alive = () => nodes.filter((n): n is ConnectNode => n !== undefined)
      const faults: Fault[] = []
      let written = 0
      const watcher = new SinkWatcher(output)
      try {
        const first = nodes[0] as ConnectNode
        await createConnector(first.url, 'drill-source', { 'connector.class': 'FileStreamSource', file: input, topic })
        await createConnector(first.url, 'drill-sink', {
          'connector.class': 'FileStreamSink',
          'tasks.max': '3',
          file: output,
          topics: topic,
        })
        await waitAllRunning({ url: first.url, names: ['drill-source', 'drill-sink'], tasks: 4, timeoutMs: 60_000 })

        // The load: 10 lines every 50 ms, until the faults are over.
        const load = setInterval(() => {
          const lines = Array.from({ length: 10 }, () => `seq-${++written}`)
          appendFileSync(input, `${lines.join('\n')}\n`)
        }, 50)
        const watch = setInterval(() => {
          watcher.poll()
          for (const f of faults) {
            if (f.recoveredMs === undefined && watcher.highest > f.writtenBefore) f.recoveredMs = Date.now() - f.at
          }
        }, 100)
        const started = Date.now()
        const restarts: Promise<void>[] = []
        try {
          await sleep(5000) // a few seconds of steady flow first
          while (Date.now() - started < durationMs) {
            const kind = kinds[Math.floor(rand() * kinds.length)] as FaultKind
            const fault: Fault = { kind, target: '', at: Date.now(), writtenBefore: written }
            if (kind === 'kill-broker' && kafka) {
              const brokers = kafka.brokers()
              const broker = brokers[Math.floor(rand() * brokers.length)]?.nodeId ?? 1
              fault.target = `broker ${broker}`
              ctx.progress(`${Math.round((Date.now() - started) / 1000)} s: kill -9 broker ${broker}, back in 10 s`)
              await kafka.killBroker(broker)
              fault.at = Date.now()
              restarts.push(sleep(10_000).then(() => kafka.restartBroker(broker)))
            } else {
              const slot = Math.floor(rand() * nodes.length)
              const node = nodes[slot]
              if (node === undefined) continue
              nodes[slot] = undefined
              fault.target = `worker ${slot + 1}`
              const downMs = 2000 + Math.floor(rand() * 3000)
              ctx.progress(
                `${Math.round((Date.now() - started) / 1000)} s: ${kind === 'kill-worker' ? 'kill -9' : 'SIGTERM'} worker ${slot + 1}, back in ${downMs} ms`,
              )
              await (kind === 'kill-worker' ? node.kill() : node.stop())
              fault.at = Date.now()
              restarts.push(
                sleep(downMs).then(async () => {
                  nodes[slot] = await startNode(ctx, spec, ports[slot])
                }),
              )
            }
            faults.push(fault)
            // The next fault comes 10 to 20 s later: enough to see each one's recovery on its own.
            await sleep(10_000 + Math.floor(rand() * 10_000))
            await Promise.all(restarts.splice(0))
          }
        } finally {
          clearInterval(load)
          await Promise.all(restarts)
        }
        const sent = written
        ctx.progress(`faults over: ${sent} lines written; waiting up to 60 s for the sink to catch up`)
        const deadline = Date.now() + 60_000
        while (Date.now() < deadline) {
          watcher.poll()
          if (watcher.highest >= sent) break
          await sleep(250)
        }
        await sleep(3000) // late duplicates of the last commits
        clearInterval(watch)
        const arrived = sequenceNumbers(readFileSync(output, 'utf8'))
        const verdict = verifySequence(sent, arrived)
        const caughtUp = Date.now() - deadline + 60_000
        return [
          {
            subject: name,
            recordSize: 0,
            records: sent,
            seconds: (Date.now() - started) / 1000,
            extra: {
              seed,
              sent: verdict.sent,
              received: verdict.received,
              lost: verdict.lost,
              duplicated: verdict.duplicated,
              unexpected: verdict.unexpected,
              lostRanges: JSON.stringify(verdict.lostRanges),
              catchUpMs: caughtUp,
              faults: JSON.stringify(
                faults.map((f) => ({ kind: f.kind, target: f.target, recoveredMs: f.recoveredMs ?? null })),
              ),
            },
          },
        ]
      } finally {
        await destroyCluster(alive())
      }
    },
    print(rows) {
      for (const r of rows) {
        const e = r.extra ?? {}
        printGrid(
          ['drill', 'sent', 'received', 'lost', 'duplicated', 'unexpected', 'seconds'],
          [
            [
              r.subject,
              String(e.sent),
              String(e.received),
              String(e.lost),
              String(e.duplicated),
              String(e.unexpected),
              r.seconds.toFixed(0),
            ],
          ],
        )
        console.log('')
        const faults = JSON.parse(String(e.faults ?? '[]')) as {
          kind: string
          target: string
          recoveredMs: number | null
        }[]
        printGrid(
          ['fault', 'target', 'recovered after s'],
          faults.map((f) => [f.kind, f.target, f.recoveredMs === null ? 'never' : (f.recoveredMs / 1000).toFixed(1)]),
        )
        console.log(`\n${Number(e.lost) === 0 ? 'met   ' : 'MISSED'} no record lost (${e.lost} lost: ${e.lostRanges})`)
        console.log(`seed ${e.seed}: replay with --seed ${e.seed}`)
      }
    },
  }
}

const drills: Scenario[] = [
  drill('workers', ['kill-worker', 'stop-worker'], 'workers killed (kill -9) or stopped (SIGTERM) and restarted'),
  drill('brokers', ['kill-broker'], 'brokers of a 3-broker Kafka killed (kill -9) and restarted'),
  drill('mixed', ['kill-worker', 'stop-worker', 'kill-broker'], 'worker and broker faults mixed'),
]

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string' },
    seed: { type: 'string' },
    bootstrap: { type: 'string' },
    'keep-dir': { type: 'boolean' },
  },
})
const scenario = drills.find((s) => s.name === positionals[0])
if (!scenario) {
  console.log('npm run drill -- <scenario> [--duration seconds] [--seed N] [--keep-dir]\n\nscenarios:')
  for (const s of drills) console.log(`  ${s.name.padEnd(10)} ${s.description}`)
  process.exitCode = positionals[0] ? 2 : 0
} else {
  killChildrenOnSignal()
  const rows: ResultRow[] = await runScenario(scenario, values as BenchContext['options'])
  console.log(`\ndrill ${scenario.name}: ${scenario.description}\n`)
  scenario.print?.(rows)
  console.log(`\nresults: ${saveResults(`drill-${scenario.name}`, rows, { options: values, node: process.version })}`)
}
