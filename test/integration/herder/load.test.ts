/**
 * The herder under hostile load (issue 28): 1,000 REST requests of mixed kinds from 50 concurrent clients, sent to
 * the two workers of a cluster while a third worker joins and the workers rebalance again and again (every 2.5 s),
 * and while some connectors have tasks that take STOP_MS to stop (a task that does not stop, abandoned
 * at its graceful timeout, 5 s by default). Every request must answer within the REST timeout with the status Java gives it, and
 * the herders' loops never wait on a task: no loop job lasts as long as one such stop.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { clusterProperties, http, startTestHerder, type TestHerder } from '../../support/herder-cluster.ts'

const CLIENTS = 50
const CYCLES = 2
/** How long a hanging task takes to stop; no herder job may take this long. */
const STOP_MS = 5000
/** The REST request timeout of connect-distributed (Java's 90 s): every request must answer within it. */
const REST_TIMEOUT_MS = 90_000

const workers: TestHerder[] = []
after(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()))
})

interface Outcome {
  op: string
  expected: number
  status: number
  ms: number
  body: unknown
}

/** One client's requests: create, read, patch, pause, resume, list, stop, offsets, delete; twice. */
async function client(id: number, urls: readonly string[], outcomes: Outcome[]): Promise<void> {
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    // Every fifth client's connectors have tasks that do not stop in time.
    const name = `${id % 5 === 0 ? 'hang' : 'load'}-${id}-${cycle}`
    const config = { 'connector.class': 'DemoSource', topic: `t-${name}`, 'tasks.max': '2' }
    const steps: [string, string, string, unknown, number][] = [
      ['create', 'POST', '/connectors', { name, config }, 201],
      ['read config', 'GET', `/connectors/${name}/config`, undefined, 200],
      ['patch', 'PATCH', `/connectors/${name}/config`, { topic: `p-${name}` }, 200],
      ['pause', 'PUT', `/connectors/${name}/pause`, undefined, 202],
      ['resume', 'PUT', `/connectors/${name}/resume`, undefined, 202],
      ['list', 'GET', '/connectors', undefined, 200],
      ['stop', 'PUT', `/connectors/${name}/stop`, undefined, 204],
      ['offsets', 'GET', `/connectors/${name}/offsets`, undefined, 200],
      ['info', 'GET', `/connectors/${name}`, undefined, 200],
      ['delete', 'DELETE', `/connectors/${name}`, undefined, 204],
    ]
    for (const [i, [op, method, path, body, expected]] of steps.entries()) {
      const url = urls[(id + i) % urls.length] as string
      const started = Date.now()
      let outcome: { status: number; body: unknown }
      try {
        outcome = await http(`${url}${path}`, method, body)
      } catch (error) {
        outcome = { status: -1, body: String(error) }
      }
      outcomes.push({ op, expected, status: outcome.status, ms: Date.now() - started, body: outcome.body })
    }
  }
}

describe('the herder under hostile load', () => {
  test('1,000 mixed requests from 50 clients during rebalances, with tasks that do not stop: all answered right, no loop job waits on a task', {
    timeout: 300_000,
  }, async () => {
    const props = clusterProperties()
    workers.push(await startTestHerder(props, {}, REST_TIMEOUT_MS))
    workers.push(await startTestHerder(props, {}, REST_TIMEOUT_MS))
    const [a, b] = workers as [TestHerder, TestHerder]
    const jobs: { worker: string; description: string; ms: number }[] = []
    for (const w of [a, b]) {
      w.worker().stopDelayMs = (t) => (t.connector.startsWith('hang') ? STOP_MS : 0)
      w.herder.core.loop.onJobDone((s) =>
        jobs.push({ worker: w.url, description: s.description, ms: s.completed - s.started }),
      )
    }

    // Rebalances again and again: a third worker joins, and the two ask to rejoin in turn. (A worker that leaves
    // while it leads fails forwarded requests caught in its closing REST listener: see the report of issue 28.)
    let churning = true
    let rebalances = 0
    const churn = (async () => {
      const c = await startTestHerder(props, {}, REST_TIMEOUT_MS)
      workers.push(c)
      c.worker().stopDelayMs = (t) => (t.connector.startsWith('hang') ? STOP_MS : 0)
      rebalances++
      for (let i = 0; churning; i++) {
        await new Promise((r) => setTimeout(r, 2500))
        ;(i % 2 === 0 ? a : b).herder.core.member?.requestRejoin('the load test asks for a rebalance')
        rebalances++
      }
    })()

    const outcomes: Outcome[] = []
    const started = Date.now()
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id, [a.url, b.url], outcomes)))
    const elapsed = Date.now() - started
    churning = false
    await churn

    const wrong = outcomes.filter((o) => o.status !== o.expected)
    const slowest = [...outcomes].sort((x, y) => y.ms - x.ms)[0]
    const longestJob = [...jobs].sort((x, y) => y.ms - x.ms)[0]
    console.log(
      `# ${outcomes.length} requests in ${elapsed} ms with ${rebalances} rebalances asked for; slowest ${slowest?.op} ${slowest?.ms} ms; ` +
        `${jobs.length} loop jobs, longest ${longestJob?.ms} ms (${longestJob?.description})`,
    )
    assert.equal(outcomes.length, CLIENTS * CYCLES * 10)
    assert.ok((slowest?.ms ?? 0) < REST_TIMEOUT_MS)
    assert.deepEqual(
      wrong.slice(0, 5).map((o) => `${o.op}: ${o.status} ${JSON.stringify(o.body)}`),
      [],
      `${wrong.length} requests answered otherwise than expected`,
    )
    assert.deepEqual(
      jobs.filter((j) => j.ms >= STOP_MS).map((j) => `${j.description}: ${j.ms} ms`),
      [],
      'no herder job waited on a task stop',
    )
    assert.deepEqual((await http(`${a.url}/connectors`)).body, [])
  })
})
