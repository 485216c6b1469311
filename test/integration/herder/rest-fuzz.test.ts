/**
 * A fuzz test of the REST API (fast-check) against a real distributed worker on the real broker: arbitrary methods,
 * paths (every route, its parameters filled with hostile strings, or no route at all), query strings, headers and
 * bodies (wrong types, deep nesting, huge strings, invalid UTF-8, control characters, truncated JSON), sent as raw
 * bytes over a socket so that nothing is cleaned up on the way.
 *
 * What must hold: every request gets an answer, and no client mistake gets a 5xx; the worker never crashes; and
 * afterwards the connectors that existed before are intact (same config, still RUNNING) and a normal request works.
 * The fuzzed requests may do anything to a connector of their own (`fuzzed`), never to the ones kept.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { clusterProperties, http, startTestHerder, type TestHerder, until } from '../../support/herder-cluster.ts'

let worker: TestHerder
let port: number

const KEPT = ['kept-source', 'kept-other']
const keptConfig = (name: string) => ({
  'connector.class': 'DemoSource',
  topic: `${name}-topic`,
  'tasks.max': '2',
  name,
})

before(async () => {
  worker = await startTestHerder(clusterProperties())
  port = Number(new URL(worker.url).port)
  await until('a ready worker', 30_000, async () =>
    worker.herder.core.ready && !worker.herder.core.rebalancing ? true : undefined,
  )
  for (const name of [...KEPT, 'fuzzed']) {
    const r = await http(`${worker.url}/connectors/${name}/config`, 'PUT', keptConfig(name))
    assert.equal(r.status, 201, JSON.stringify(r.body))
  }
  for (const name of KEPT) await runningWithTasks(name)
})
after(async () => {
  await worker?.stop()
})

async function runningWithTasks(name: string): Promise<void> {
  await until(`${name} RUNNING with 2 tasks`, 30_000, async () => {
    const r = await http(`${worker.url}/connectors/${name}/status`)
    const s = r.body as { connector?: { state: string }; tasks?: { state: string }[] }
    return r.status === 200 && s.connector?.state === 'RUNNING' && s.tasks?.length === 2 ? true : undefined
  })
}

/** One raw HTTP/1.1 exchange: the status of the answer, or undefined when the connection closed without one. */
function exchange(head: Buffer, body: Buffer): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within 30 s to ${head.toString('latin1').split('\r\n', 1)[0]}`))
    }, 30_000)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))
      resolve(status ? Number(status[1]) : undefined)
    })
    // No half-close after the request: Node's server aborts a request whose client ended its side before the
    // answer (httpAllowHalfOpen off), which clients such as curl never do; `Connection: close` ends the exchange.
    socket.write(Buffer.concat([head, body]))
  })
}

interface FuzzRequest {
  method: string
  path: string
  query: string
  headers: Array<[string, string]>
  contentType: string | undefined
  body: Buffer
}

function encode(r: FuzzRequest): { head: Buffer; body: Buffer } {
  const lines = [`${r.method} ${r.path}${r.query === '' ? '' : `?${r.query}`} HTTP/1.1`, 'Host: 127.0.0.1']
  lines.push('Connection: close')
  if (r.contentType !== undefined) lines.push(`Content-Type: ${r.contentType}`)
  for (const [k, v] of r.headers) lines.push(`${k}: ${v}`)
  lines.push(`Content-Length: ${r.body.length}`)
  // latin1 keeps every code unit below 256 as one byte: control characters and bytes >= 0x80 reach the server raw.
  return { head: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body: r.body }
}

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', '.', '..', '%', '%zz', '%00', '%2F', '%ff%fe', 'a/b', '*', `\${env:HOME}`, 'fuzzed', 'nope'),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('-1', '0', '1', '99999999999999999999', 'NaN', 'true', 'null'),
)

/** A path segment: hostile text, percent-encoded or raw (raw bytes are written as latin1). */
const segment = fc.oneof(
  { weight: 6, arbitrary: hostileText.map((s) => encodeURIComponent(s)) },
  { weight: 2, arbitrary: fc.constantFrom('fuzzed', '0', '1', 'root', 'DemoSource', 'FileStreamSource') },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0x21, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    }),
  },
)

/** A route of the server with its parameters filled in, or a path of no route. */
function pathArbitrary(routes: string[]) {
  const routed = fc
    .tuple(fc.constantFrom(...routes), fc.array(segment, { minLength: 4, maxLength: 4 }))
    .map(([route, values]) => {
      let i = 0
      // The kept connectors stay out of reach: a parameter never names one.
      return route.replace(/:[a-z]+/g, () => {
        const v = values[i++ % values.length] as string
        return KEPT.includes(decodeURIComponentSafe(v)) ? 'not-kept' : v || 'empty'
      })
    })
  const anywhere = fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`)
  return fc.oneof({ weight: 4, arbitrary: routed }, { weight: 1, arbitrary: anywhere })
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth))

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc
    .dictionary(
      fc.constantFrom('name', 'config', 'connector.class', 'tasks.max', 'topics', 'level', 'offsets'),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({
      name: hostileText,
      config: fc.dictionary(hostileText, fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 }))),
    })
    .map((v) => Buffer.from(JSON.stringify(v))),
  deepJson.map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.jsonValue().map((v) => Buffer.from((JSON.stringify(v) ?? '').slice(0, -1))),
  fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => Buffer.from(`{"name":"${'y'.repeat(n)}","config":{}}`)),
  fc.constant(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0xff, 0xfe, 0x7d])),
  fc.constant(Buffer.alloc(0)),
)

const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('expand', 'forward', 'includeTasks', 'onlyFailed', 'scope', 'level'), segment),
      fc.oneof(fc.constantFrom('status', 'info', 'true', 'false', 'cluster', 'worker', 'DEBUG', ''), segment),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))

const headerName = fc.oneof(
  fc.constantFrom(
    'Accept',
    'Authorization',
    'X-Connect-Authorization',
    'X-Connect-Request-Signature-Algorithm',
    'Origin',
  ),
  fc.string({ unit: fc.constantFrom(...'abcXYZ-_0123456789'.split('')), minLength: 1, maxLength: 12 }),
)
const headerValue = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  },
  { weight: 2, arbitrary: fc.constantFrom('Basic Og==', 'Basic !!!', 'HmacSHA256', 'HmacMD5', '*') },
)

function requestArbitrary(routes: string[]): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
      { weight: 1, arbitrary: fc.constantFrom('TRACE', 'CONNECT', 'PROPFIND', 'FOO', 'get') },
    ),
    path: pathArbitrary(routes),
    query,
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
    contentType: fc.constantFrom(
      undefined,
      'application/json',
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json\u0001',
      ';;;',
    ),
    body,
  })
}

describe('the REST API under fuzzed requests', () => {
  const findings: string[] = []
  const statuses = new Map<number, number>()
  let requests = 0

  test('every fuzzed request gets an answer below 500, and the worker keeps running', async () => {
    const routes = [...new Set(worker.rest.routes.map((r) => r.url))]
    assert.ok(routes.length >= 20)
    await fc.assert(
      fc.asyncProperty(requestArbitrary(routes), async (r) => {
        const { head, body } = encode(r)
        requests++
        const status = await exchange(head, body)
        if (status !== undefined) statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (status === undefined || status >= 500) {
          findings.push(`${status} for ${head.toString('latin1').split('\r\n', 1)[0]?.slice(0, 200)}`)
        }
        assert.ok(status !== undefined, 'the connection closed without an answer')
        assert.ok(status < 500, `answered ${status}`)
      }),
      { numRuns: Number(process.env.TSCONNECT_FUZZ_RUNS ?? 1000), endOnFailure: true },
    )
  })

  test('afterwards the kept connectors are intact and a normal request works', async () => {
    for (const name of KEPT) {
      const config = await http(`${worker.url}/connectors/${name}/config`)
      assert.equal(config.status, 200)
      assert.deepEqual(config.body, keptConfig(name))
      await runningWithTasks(name)
    }
    const list = await http(`${worker.url}/connectors`)
    assert.equal(list.status, 200)
    for (const name of KEPT) assert.ok((list.body as string[]).includes(name))
    const created = await http(`${worker.url}/connectors/after-fuzz/config`, 'PUT', keptConfig('after-fuzz'))
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`)
    console.log(`# fuzz: ${requests} requests (${histogram.join(', ')}), findings: ${findings.join('; ') || 'none'}`)
  })
})
