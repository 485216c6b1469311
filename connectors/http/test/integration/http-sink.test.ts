/**
 * The HTTP sink in real workers against an HTTP server this file starts, which fails on purpose: retries with
 * backoff on chosen statuses, each auth mode, batching, tombstones as DELETE, failures through the worker's error
 * policy (a dead letter queue), and under kill -9 of the worker running the task no record lost and, through the
 * idempotency header, none seen twice. One cluster serves the file's tests.
 */
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { after, before, describe, test } from 'node:test'
import {
  ConnectorHarness,
  countKeys,
  createTestTopic,
  produceRecords,
  topicRecords,
} from '../../../../test/support/connector-harness.ts'
import { http, until } from '../../../../test/support/herder-cluster.ts'

interface Seen {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
  at: number
}

const STRINGS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
}

describe('HttpSinkConnector', () => {
  let harness: ConnectorHarness
  let server: Server
  let base = ''
  const seen: Seen[] = []
  /** Per path: statuses to answer first, in order, before 200. */
  const script = new Map<string, number[]>()

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const path = req.url ?? '/'
        const body = Buffer.concat(chunks).toString('utf8')
        if (path === '/token') {
          const basic = Buffer.from('app:s3cret').toString('base64')
          if (req.headers.authorization !== `Basic ${basic}` || !body.includes('grant_type=client_credentials')) {
            res.writeHead(401).end()
            return
          }
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"tok-1","expires_in":3600}')
          return
        }
        seen.push({ method: req.method ?? '', path, headers: req.headers, body, at: Date.now() })
        const queued = script.get(path.split('?')[0] as string)
        const status = queued?.shift() ?? (path.startsWith('/bad') ? 400 : 200)
        res.writeHead(status).end(status === 200 ? 'ok' : 'no')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-http',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(async () => {
    await harness?.close()
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
  })

  const at = (path: string) => seen.filter((s) => s.path.split('?')[0] === path)

  test('retries a chosen status with doubling backoff, then delivers', async () => {
    const topic = await createTestTopic('http-retry')
    script.set('/retry', [503, 503])
    await produceRecords(topic, [{ key: 'k', value: 'hello' }])
    await harness.createConnector('retry', {
      'connector.class': 'io.aiven.kafka.connect.http.HttpSinkConnector',
      topics: topic,
      'http.url': `${base}/retry`,
      'max.retries': '3',
      'retry.backoff.ms': '300',
      'retry.on.status.codes': '500-599',
      ...STRINGS,
    })
    await until('three attempts', 60_000, async () => (at('/retry').length >= 3 ? true : undefined))
    const attempts = at('/retry')
    assert.deepEqual(
      attempts.map((a) => a.body),
      ['hello', 'hello', 'hello'],
    )
    const [a, b, c] = attempts as [Seen, Seen, Seen]
    assert.ok(b.at - a.at >= 300, `first retry after ${b.at - a.at} ms`)
    assert.ok(c.at - b.at >= 600, `second retry after ${c.at - b.at} ms`)
    await harness.stopConnector('retry')
  })

  test('authorizes with basic, static bearer and OAuth2 client credentials; batches; tombstones are DELETEs', async () => {
    const topic = await createTestTopic('http-auth')
    await produceRecords(topic, [
      { key: 'a', value: '{"n":1}' },
      { key: 'b', value: '{"n":2}' },
      { key: 'c', value: null },
    ])
    const common = {
      'connector.class': 'io.confluent.connect.http.HttpSinkConnector',
      topics: topic,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    }
    await harness.createConnector('basic', {
      ...common,
      'http.api.url': `${base}/basic/${'$'}{key}`,
      'auth.type': 'basic',
      'connection.user': 'ann',
      'connection.password': 'pw',
      'behavior.on.null.values': 'delete',
    })
    await harness.createConnector('bearer', {
      ...common,
      'http.url': `${base}/bearer`,
      'http.authorization.type': 'static',
      'http.headers.authorization': 'Bearer abc',
      'batching.enabled': 'true',
      'batch.prefix': '<',
      'batch.separator': '|',
      'batch.suffix': '>',
    })
    await harness.createConnector('oauth', {
      ...common,
      'http.url': `${base}/oauth`,
      'http.authorization.type': 'oauth2',
      'oauth2.access.token.url': `${base}/token`,
      'oauth2.client.id': 'app',
      'oauth2.client.secret': 's3cret',
      'batch.max.size': '10',
      'batch.json.as.array': 'true',
      headers: 'X-One:1|X-Two:2',
    })
    await until('every sink sent', 60_000, async () =>
      at('/basic/c').length > 0 && at('/bearer').length > 0 && at('/oauth').length > 0 ? true : undefined,
    )
    const basic = seen.filter((s) => s.path.startsWith('/basic/'))
    assert.deepEqual(
      basic.map((s) => [s.method, s.path, s.body]),
      [
        ['POST', '/basic/a', '{"n":1}'],
        ['POST', '/basic/b', '{"n":2}'],
        ['DELETE', '/basic/c', ''],
      ],
    )
    assert.equal(basic[0]?.headers.authorization, `Basic ${Buffer.from('ann:pw').toString('base64')}`)
    assert.equal(basic[0]?.headers['content-type'], 'application/json')
    const bearer = at('/bearer')
    assert.equal(bearer[0]?.headers.authorization, 'Bearer abc')
    assert.equal(bearer.map((s) => s.body).join(''), '<{"n":1}|{"n":2}>')
    const oauth = at('/oauth')
    assert.equal(oauth[0]?.headers.authorization, 'Bearer tok-1')
    assert.equal(oauth[0]?.headers['x-two'], '2')
    assert.equal(oauth.map((s) => s.body).join(''), '[{"n":1},{"n":2}]')
    for (const name of ['basic', 'bearer', 'oauth']) await harness.stopConnector(name)
  })

  test('a request that fails for good goes through the error policy: the dead letter queue, the task running on', async () => {
    const topic = await createTestTopic('http-bad')
    const dlq = await createTestTopic('http-dlq')
    await produceRecords(topic, [
      { key: 'x', value: 'rejected' },
      { key: 'y', value: 'rejected too' },
    ])
    await harness.createConnector('bad', {
      'connector.class': 'io.tsconnect.http.HttpSinkConnector',
      topics: topic,
      'http.url': `${base}/bad`,
      'retry.on.status.codes': '500-',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      ...STRINGS,
    })
    await until('both records in the DLQ', 60_000, async () =>
      (await topicRecords(dlq)).length >= 2 ? true : undefined,
    )
    assert.equal(at('/bad').length, 2, '400 is not in retry.on.status.codes: one attempt each')
    const status = await http(`${harness.live[0]?.url}/connectors/bad/status`, 'GET')
    assert.equal((status.body as { tasks: { state: string }[] }).tasks[0]?.state, 'RUNNING')
    await harness.stopConnector('bad')
  })

  test('an endpoint that is down holds the records back until it is up, dropping none', async () => {
    const topic = await createTestTopic('http-down')
    const down = createServer()
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve))
    const port = (down.address() as { port: number }).port
    await new Promise((resolve) => down.close(resolve))
    await produceRecords(topic, [
      { key: 'a', value: 'first' },
      { key: 'b', value: 'second' },
    ])
    await harness.createConnector('down', {
      'connector.class': 'io.tsconnect.http.HttpSinkConnector',
      topics: topic,
      'http.url': `http://127.0.0.1:${port}/late`,
      'max.retries': '1',
      'retry.backoff.ms': '100',
      ...STRINGS,
    })
    await harness.taskOwner('down')
    await new Promise((r) => setTimeout(r, 3000))
    const bodies: string[] = []
    const late = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8')
      })
      req.on('end', () => {
        bodies.push(body)
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve))
    try {
      await until('both records once the endpoint is up', 60_000, async () =>
        bodies.includes('first') && bodies.includes('second') ? true : undefined,
      )
      const status = await http(`${harness.live[0]?.url}/connectors/down/status`, 'GET')
      assert.equal((status.body as { tasks: { state: string }[] }).tasks[0]?.state, 'RUNNING')
      await harness.stopConnector('down')
    } finally {
      late.closeAllConnections()
      await new Promise((resolve) => late.close(resolve))
    }
  })

  test("under kill -9 of the task's worker no record is lost, and the idempotency key shows none twice", async () => {
    const topic = await createTestTopic('http-kill')
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`)
    await harness.createConnector('kill', {
      'connector.class': 'io.tsconnect.http.HttpSinkConnector',
      topics: topic,
      'http.url': `${base}/kill`,
      'http.idempotency.header': 'Idempotency-Key',
      ...STRINGS,
    })
    const producing = (async () => {
      for (let i = 0; i < keys.length; i += 100) {
        await produceRecords(
          topic,
          keys.slice(i, i + 100).map((key) => ({ key, value: key })),
        )
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    const bodies = () => at('/kill').flatMap((s) => s.body.split('\n').filter((l) => l !== ''))
    await harness.killTaskOwnerWhen('kill', () => bodies().length >= 300)
    await producing
    await until('the last record', 90_000, async () => (bodies().includes('k999') ? true : undefined))
    await harness.stopConnector('kill')
    const raw = countKeys(keys, bodies())
    // What an endpoint that honours the key keeps: the first request of each key.
    const firstOfKey = new Map<string, string>()
    for (const s of at('/kill')) {
      const key = String(s.headers['idempotency-key'])
      if (!firstOfKey.has(key)) firstOfKey.set(key, s.body)
    }
    const deduplicated = countKeys(
      keys,
      [...firstOfKey.values()].flatMap((b) => b.split('\n').filter((l) => l !== '')),
    )
    console.log(
      `# http sink under kill -9: ${raw.sent} records, ${raw.lost} lost, ${raw.duplicated} sent twice, ${deduplicated.duplicated} twice after the idempotency key`,
    )
    assert.equal(raw.lost, 0, JSON.stringify(raw.lostRanges))
    assert.equal(deduplicated.lost, 0)
    assert.equal(deduplicated.duplicated, 0)
  })
})
