/**
 * Group membership timings on a real broker (the targets, measured rather than asserted by tests):
 * - join: 3 fresh workers started together, until they all run a complete, settled assignment;
 * - failover: a worker vanishes without LeaveGroup (as after kill -9) and scheduled.rebalance.max.delay.ms is 0,
 *   until the survivors run all of its work; for session.timeout.ms 10000 and 3000.
 *
 * `node_modules/.bin/node bench/membership-failover.ts [--bootstrap host:port] [--runs N]`
 * Without --bootstrap a private single-broker Kafka is started (group.initial.rebalance.delay.ms=0, as in tests, and
 * group.min.session.timeout.ms=1000: brokers refuse session timeouts below 6000 ms by default, with
 * INVALID_SESSION_TIMEOUT). A broker given with --bootstrap needs that setting too for the 3000 ms runs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { ConfigSnapshot } from '../src/assignors/types.ts'
import { completeAndExact, eventually, settled, TestWorker } from '../test/support/connect-worker.ts'
import { LocalKafka } from '../tools/kafka/cluster.ts'

const { values } = parseArgs({ options: { bootstrap: { type: 'string' }, runs: { type: 'string' } } })
const runs = Number(values.runs ?? 5)

const configs: ConfigSnapshot = {
  offset: 10n,
  connectorTasks: new Map([
    ['a', 4],
    ['b', 4],
    ['c', 4],
  ]),
}

let kafka: LocalKafka | undefined
let dir: string | undefined
let bootstrap = values.bootstrap
if (!bootstrap) {
  dir = mkdtempSync(join(tmpdir(), 'bench-membership-'))
  kafka = await LocalKafka.start({ dir, overrides: { 'group.min.session.timeout.ms': '1000' } })
  bootstrap = kafka.bootstrap
}

let groupCounter = 0
function workers(sessionTimeoutMs: number, heartbeatIntervalMs: number): TestWorker[] {
  const groupId = `bench-membership-${process.pid}-${++groupCounter}`
  return ['w1', 'w2', 'w3'].map(
    (name) =>
      new TestWorker({
        name,
        groupId,
        bootstrap: bootstrap as string,
        configs,
        sessionTimeoutMs,
        heartbeatIntervalMs,
        maxDelayMs: 0,
      }),
  )
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0
  return `median ${median} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms (${sorted.join(', ')})`
}

try {
  const joins: number[] = []
  for (let i = 0; i < runs; i++) {
    const ws = workers(10000, 3000)
    for (const w of ws) w.start()
    joins.push(await eventually('join', 60_000, () => settled(ws) && completeAndExact(ws, configs)))
    await Promise.all(ws.map((w) => w.close()))
  }
  console.log(`join of 3 fresh workers to a complete assignment: ${stats(joins)}`)

  for (const [session, heartbeat] of [
    [10000, 3000],
    [3000, 1000],
  ] as const) {
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const ws = workers(session, heartbeat)
      for (const w of ws) w.start()
      await eventually('join', 60_000, () => settled(ws) && completeAndExact(ws, configs))
      // Let heartbeats run for a while, so the kill lands at a random point of the victim's heartbeat cycle.
      await new Promise((r) => setTimeout(r, heartbeat * 1.5 + Math.random() * heartbeat))
      const [victim, ...survivors] = ws as [TestWorker, TestWorker, TestWorker]
      await victim.close(false)
      times.push(await eventually('failover', 120_000, () => completeAndExact(survivors, configs)))
      await Promise.all(survivors.map((w) => w.close()))
    }
    console.log(
      `kill -> survivors run everything, session.timeout.ms=${session} heartbeat.interval.ms=${heartbeat}: ${stats(times)}`,
    )
  }
} finally {
  await kafka?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
}
