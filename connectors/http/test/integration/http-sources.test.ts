/**
 * The HTTP sources in real workers. The webhook source: a caller's 200 comes only once its record is in Kafka, the
 * shared-secret and HMAC checks refuse bad callers, and under kill -9 of the worker running the task a caller that
 * retries until it sees 200 loses nothing. The polling source: against a server this file starts, whose list grows
 * during a kill -9, every element arrives. One cluster serves the file's tests.
 */
import assert from 'node:assert/strict'
import { createServer as createHttpServer } from 'node:http'
import { createServer } from 'node:net'
import { after, before, describe, test } from 'node:test'
import {
  ConnectorHarness,
  countKeys,
  createTestTopic,
  topicRecords,
} from '../../../../test/support/connector-harness.ts'
import { until } from '../../../../test/support/herder-cluster.ts'
import { hmacHeader } from '../../src/signature.ts'

const STRINGS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** POSTs until the webhook answers 200 (a refused connection or a 503 is retried); answers the attempts made. */
async function deliver(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(40_000) })
      await response.text()
      if (response.status === 200) return attempt
    } catch {
      // The worker is gone or not listening yet: retry.
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('HTTP sources', () => {
  let harness: ConnectorHarness
  before(async () => {
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-http',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(() => harness?.close())

  test('answers 200 only once the record is in Kafka, and refuses a bad secret or signature', async () => {
    const topic = await createTestTopic('webhook')
    const port = await freePort()
    await harness.createConnector('hook', {
      'connector.class': 'WebhookSourceConnector',
      topic,
      'webhook.port': String(port),
      'webhook.host': '127.0.0.1',
      'webhook.path': '/hook',
      'webhook.key.header': 'X-Id',
      'webhook.secret': 'open-sesame',
      'webhook.hmac.secret': 'k3y',
      ...STRINGS,
    })
    await harness.taskOwner('hook')
    const url = `http://127.0.0.1:${port}/hook`
    const body = '{"event":"paid"}'
    const good = { 'X-Webhook-Secret': 'open-sesame', 'X-Hub-Signature-256': hmacHeader(body, 'k3y', 'sha256') }
    await until('the listener', 60_000, async () =>
      (await fetch(url, { method: 'POST', body: '' }).catch(() => null))?.status === 401 ? true : undefined,
    )
    const wrongSecret = await fetch(url, { method: 'POST', body, headers: { ...good, 'X-Webhook-Secret': 'no' } })
    assert.equal(wrongSecret.status, 401)
    const wrongHmac = await fetch(url, {
      method: 'POST',
      body,
      headers: { ...good, 'X-Hub-Signature-256': hmacHeader('{"event":"forged"}', 'k3y', 'sha256') },
    })
    assert.equal(wrongHmac.status, 401)
    for (let i = 0; i < 5; i++) {
      const response = await fetch(url, { method: 'POST', body, headers: { ...good, 'X-Id': `id-${i}` } })
      assert.equal(response.status, 200)
      // The 200 means Kafka has it: read at once, no waiting.
      const records = await topicRecords(topic)
      assert.ok(
        records.some((r) => r.key === `id-${i}`),
        `id-${i} answered 200 before it was in Kafka`,
      )
    }
    const records = await topicRecords(topic)
    assert.deepEqual(
      records.map((r) => [r.key, r.value]),
      Array.from({ length: 5 }, (_, i) => [`id-${i}`, body]),
    )
    await harness.stopConnector('hook')
  })

  test("a caller retrying until 200 loses nothing when the task's worker is killed with -9", async () => {
    const topic = await createTestTopic('webhook-kill')
    const port = await freePort()
    await harness.createConnector('hook-kill', {
      'connector.class': 'WebhookSourceConnector',
      topic,
      'webhook.port': String(port),
      'webhook.host': '127.0.0.1',
      'webhook.key.header': 'X-Id',
      ...STRINGS,
    })
    await harness.taskOwner('hook-kill')
    const url = `http://127.0.0.1:${port}/`
    const ids = Array.from({ length: 600 }, (_, i) => `e${i}`)
    let acknowledged = 0
    // Four callers in parallel, each sending its share in order.
    const callers = [0, 1, 2, 3].map(async (c) => {
      for (let i = c; i < ids.length; i += 4) {
        await deliver(url, `payload ${ids[i]}`, { 'X-Id': ids[i] as string })
        acknowledged++
      }
    })
    const all = Promise.all(callers)
    await harness.killTaskOwnerWhen('hook-kill', () => acknowledged >= 150)
    await all
    await harness.stopConnector('hook-kill')
    const verdict = countKeys(
      ids,
      (await topicRecords(topic)).map((r) => r.key),
    )
    console.log(
      `# webhook source under kill -9: ${verdict.sent} requests acknowledged, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
  })

  test('the polling source delivers every element of a list that grows during a kill -9', async (t) => {
    const items: { id: number; name: string }[] = []
    const server = createHttpServer((req, res) => {
      const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? '-1')
      const page = items.filter((i) => i.id > after).slice(0, 50)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { items: page } }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    t.after(() => {
      server.closeAllConnections()
      server.close()
    })
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const topic = await createTestTopic('http-poll')
    const count = 1000
    await harness.createConnector('poll', {
      'connector.class': 'com.github.castorm.kafka.connect.http.HttpSourceConnector',
      'kafka.topic': topic,
      'http.request.url': `${base}/items?after=${'$'}{offset.key}`,
      'http.offset.initial': 'key=-1',
      'http.response.list.pointer': '/data/items',
      'http.response.record.offset.pointer': 'key=/id',
      'http.timer.interval.millis': '200',
      'http.timer.catchup.interval.millis': '0',
      ...STRINGS,
    })
    const growing = (async () => {
      for (let id = 0; id < count; id++) {
        items.push({ id, name: `item ${id}` })
        if (id % 20 === 19) await new Promise((r) => setTimeout(r, 100))
      }
    })()
    await harness.killTaskOwnerWhen('poll', async () => (await topicRecords(topic)).length >= 200)
    await growing
    const wanted = Array.from({ length: count }, (_, i) => String(i))
    await until('every element in Kafka', 90_000, async () => {
      const keys = new Set((await topicRecords(topic)).map((r) => r.key))
      return wanted.every((k) => keys.has(k)) ? true : undefined
    })
    await harness.stopConnector('poll')
    const records = await topicRecords(topic)
    assert.deepEqual(JSON.parse(records[0]?.value ?? '{}'), { id: 0, name: 'item 0' })
    const verdict = countKeys(
      wanted,
      records.map((r) => r.key),
    )
    console.log(
      `# http polling source under kill -9: ${verdict.sent} elements, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0)
    assert.equal(verdict.unexpected, 0)
  })
})
