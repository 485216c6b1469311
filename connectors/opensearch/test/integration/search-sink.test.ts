/**
 * The search sink in a real connect-distributed worker against OpenSearch 2.19: records become documents with the
 * configured ids, tombstones delete, mappings come from Connect schemas, malformed documents follow
 * behavior.on.malformed.documents, and a 429 storm from a small proxy in front of OpenSearch (started by the test)
 * is ridden out without losing a document.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, type TestContext, test } from 'node:test'
import { createProducer } from '../../../../src/kafka/clients.ts'
import { ConnectorHarness, createTestTopic } from '../../../../test/support/connector-harness.ts'
import { http as rest, until } from '../../../../test/support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../../../test/support/kafka.ts'
import { testOpenSearch } from '../../../../test/support/services.ts'
import { createCertificateAuthority } from '../../../../tools/kafka/certs.ts'

const ELASTIC = 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector'
const AIVEN = 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector'

async function produce(topic: string, records: { key?: string | null; value: string | null }[]): Promise<void> {
  const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
  try {
    await producer.send({
      messages: records.map((r) => ({
        topic,
        key: r.key === null || r.key === undefined ? undefined : Buffer.from(r.key),
        value: r.value === null ? null : Buffer.from(r.value),
      })) as never,
    })
  } finally {
    await producer.close()
  }
}

async function search(url: string, index: string): Promise<{ id: string; source: Record<string, unknown> }[]> {
  await fetch(`${url}/${index}/_refresh`, { method: 'POST' })
  const response = await fetch(`${url}/${index}/_search?size=10000`)
  if (response.status === 404) return []
  const body = (await response.json()) as { hits: { hits: { _id: string; _source: Record<string, unknown> }[] } }
  return body.hits.hits.map((h) => ({ id: h._id, source: h._source })).sort((a, b) => a.id.localeCompare(b.id))
}

async function documentsBecome(url: string, index: string, count: number) {
  return until(`${count} documents in ${index}`, 90_000, async () => {
    const docs = await search(url, index)
    return docs.length === count ? docs : undefined
  })
}

interface Proxy {
  url: string
  bulks: number
  throttled: number
  unauthorized: number
}

/**
 * A small HTTP(S) proxy in front of OpenSearch, on 127.0.0.1: it can answer 429 to chosen bulk requests, serve TLS
 * with a certificate of its own CA, and demand basic auth; everything else it forwards as it came.
 */
async function startProxy(
  t: TestContext,
  target: string,
  o: { throttle?: (bulk: number) => boolean; tls?: { key: string; cert: string }; auth?: string } = {},
): Promise<Proxy> {
  const state: Proxy = { url: '', bulks: 0, throttled: 0, unauthorized: 0 }
  const upstream = new URL(target)
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (o.auth !== undefined && req.headers.authorization !== `Basic ${Buffer.from(o.auth).toString('base64')}`) {
        state.unauthorized++
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized","status":401}')
        return
      }
      if (req.url?.includes('_bulk')) {
        state.bulks++
        if (o.throttle?.(state.bulks)) {
          state.throttled++
          res.writeHead(429, { 'content-type': 'application/json' })
          res.end('{"error":{"type":"es_rejected_execution_exception"},"status":429}')
          return
        }
      }
      const { authorization: _, ...headers } = req.headers
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        },
      )
      forward.on('error', () => res.writeHead(502).end())
      forward.end(Buffer.concat(chunks))
    })
  }
  const server = o.tls ? https.createServer({ key: o.tls.key, cert: o.tls.cert }, handler) : http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Keep-alive connections of the sink and of the forwarding would hold close() open.
        server.closeAllConnections()
      }),
  )
  state.url = `${o.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}

const schemaless = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
}

describe('search sink against OpenSearch', () => {
  let harness: ConnectorHarness
  before(async () => {
    harness = await ConnectorHarness.start({
      workers: 1,
      pluginPath: '@tsconnect/connector-opensearch',
      props: { 'offset.flush.interval.ms': '1000' },
    })
  })
  after(() => harness?.close())

  test('N records become N documents with their keys as ids; tombstones delete (behavior.on.null.values=delete)', async (t) => {
    const { url } = await testOpenSearch(t)
    const topic = await createTestTopic('OS-Keys')
    const index = topic.toLowerCase()
    t.after(() => fetch(`${url}/${index}`, { method: 'DELETE' }))
    await produce(
      topic,
      Array.from({ length: 30 }, (_, i) => ({
        key: `k${String(i).padStart(2, '0')}`,
        value: JSON.stringify({ n: i }),
      })),
    )
    const name = uniqueName('os-keys')
    await harness.createConnector(name, {
      'connector.class': ELASTIC,
      topics: topic,
      'connection.url': url,
      'schema.ignore': 'true',
      'behavior.on.null.values': 'delete',
      ...schemaless,
    })
    const docs = await documentsBecome(url, index, 30)
    assert.deepEqual(docs[7], { id: 'k07', source: { n: 7 } })
    await produce(topic, [
      { key: 'k03', value: null },
      { key: 'k04', value: null },
    ])
    const left = await documentsBecome(url, index, 28)
    assert.ok(!left.some((d) => d.id === 'k03' || d.id === 'k04'))
    await harness.stopConnector(name)
  })

  test("key.ignore: ids are topic+partition+offset, and the index mapping comes from the value's Connect schema", async (t) => {
    const { url, index } = await testOpenSearch(t)
    const topic = await createTestTopic(index)
    t.after(() => fetch(`${url}/${topic.toLowerCase()}?ignore_unavailable=true`, { method: 'DELETE' }))
    const schema = {
      type: 'struct',
      optional: false,
      fields: [
        { field: 'id', type: 'int64', optional: false },
        { field: 'name', type: 'string', optional: false },
        { field: 'score', type: 'float', optional: true },
        { field: 'at', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
      ],
    }
    await produce(
      topic,
      [0, 1, 2].map((i) => ({
        value: JSON.stringify({ schema, payload: { id: i, name: `n${i}`, score: i / 2, at: 1_700_000_000_000 + i } }),
      })),
    )
    const name = uniqueName('os-schema')
    await harness.createConnector(name, {
      'connector.class': AIVEN,
      topics: topic,
      'connection.url': url,
      'key.ignore': 'true',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    })
    const docs = await documentsBecome(url, topic, 3)
    assert.deepEqual(
      docs.map((d) => d.id),
      [0, 1, 2].map((o) => `${topic}+0+${o}`),
    )
    const mapping = (await (await fetch(`${url}/${topic}/_mapping`)).json()) as Record<
      string,
      { mappings: { properties: object } }
    >
    assert.deepEqual(mapping[topic]?.mappings.properties, {
      id: { type: 'long' },
      name: { type: 'text' },
      score: { type: 'float' },
      at: { type: 'date' },
    })
    await harness.stopConnector(name)
  })

  test('behavior.on.malformed.documents=ignore skips the document the mapping rejects and writes the rest', async (t) => {
    const { url, index } = await testOpenSearch(t)
    const topic = await createTestTopic(index)
    t.after(() => fetch(`${url}/${topic.toLowerCase()}?ignore_unavailable=true`, { method: 'DELETE' }))
    const created = await fetch(`${url}/${topic}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mappings: { properties: { n: { type: 'integer' } } } }),
    })
    assert.equal(created.status, 200)
    await produce(topic, [
      { key: 'a', value: '{"n":1}' },
      { key: 'b', value: '{"n":"not a number"}' },
      { key: 'c', value: '{"n":3}' },
    ])
    const name = uniqueName('os-malformed')
    await harness.createConnector(name, {
      'connector.class': ELASTIC,
      topics: topic,
      'connection.url': url,
      'schema.ignore': 'true',
      'behavior.on.malformed.documents': 'ignore',
      ...schemaless,
    })
    const docs = await documentsBecome(url, topic, 2)
    assert.deepEqual(
      docs.map((d) => d.id),
      ['a', 'c'],
    )
    // The commit moved past the malformed record: the group's offset reaches the end of the topic.
    await until('the offsets committed past all 3 records', 60_000, async () => {
      const got = await rest(`${harness.live[0]?.url}/connectors/${name}/offsets`)
      const offsets = (got.body as { offsets?: { offset: { kafka_offset: number } }[] }).offsets ?? []
      return offsets.some((o) => o.offset.kafka_offset === 3) ? true : undefined
    })
    await harness.stopConnector(name)
  })

  test('behavior.on.malformed.documents=fail (the default) fails the task, naming the rejection', async (t) => {
    const { url, index } = await testOpenSearch(t)
    const topic = await createTestTopic(index)
    t.after(() => fetch(`${url}/${topic}?ignore_unavailable=true`, { method: 'DELETE' }))
    await fetch(`${url}/${topic}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mappings: { properties: { n: { type: 'integer' } } } }),
    })
    await produce(topic, [{ key: 'x', value: '{"n":"NaN please"}' }])
    const name = uniqueName('os-malformed-fail')
    await harness.createConnector(name, {
      'connector.class': ELASTIC,
      topics: topic,
      'connection.url': url,
      'schema.ignore': 'true',
      ...schemaless,
    })
    const trace = await until('the task FAILED', 60_000, async () => {
      const status = await rest(`${harness.live[0]?.url}/connectors/${name}/status`)
      const task = (status.body as { tasks?: { state: string; trace?: string }[] }).tasks?.[0]
      return task?.state === 'FAILED' ? (task.trace ?? '') : undefined
    })
    assert.match(trace, /malformed document/)
    assert.match(trace, /mapper_parsing_exception|document_parsing_exception/)
    await rest(`${harness.live[0]?.url}/connectors/${name}`, 'DELETE')
  })

  test('a 429 storm from a proxy in front of OpenSearch is ridden out: every record becomes a document', async (t) => {
    const { url, index } = await testOpenSearch(t)
    const topic = await createTestTopic(index)
    t.after(() => fetch(`${url}/${topic.toLowerCase()}?ignore_unavailable=true`, { method: 'DELETE' }))
    // The proxy answers 429 to the first 12 bulk requests and then to every second one.
    const proxy = await startProxy(t, url, { throttle: (n) => n <= 12 || n % 2 === 0 })
    const proxyUrl = proxy.url
    const total = 300
    await produce(
      topic,
      Array.from({ length: total }, (_, i) => ({ key: `r${i}`, value: JSON.stringify({ seq: i }) })),
    )
    const name = uniqueName('os-429')
    await harness.createConnector(name, {
      'connector.class': ELASTIC,
      topics: topic,
      'connection.url': proxyUrl,
      'schema.ignore': 'true',
      'batch.size': '50',
      'max.retries': '20',
      'retry.backoff.ms': '20',
      ...schemaless,
    })
    const docs = await documentsBecome(url, topic, total)
    assert.deepEqual(
      new Set(docs.map((d) => (d.source as { seq: number }).seq)),
      new Set(Array.from({ length: total }, (_, i) => i)),
    )
    console.log(
      `# 429 storm: ${proxy.throttled} of ${proxy.bulks} bulk requests answered 429; ${total} documents, none lost`,
    )
    assert.ok(proxy.throttled >= 12)
    const status = await rest(`${harness.live[0]?.url}/connectors/${name}/status`)
    assert.equal((status.body as { tasks: { state: string }[] }).tasks[0]?.state, 'RUNNING')
    await harness.stopConnector(name)
  })

  test('basic auth over TLS: the sink trusts the PEM CA it is given and sends its credentials', async (t) => {
    const { url, index } = await testOpenSearch(t)
    const topic = await createTestTopic(index)
    t.after(() => fetch(`${url}/${topic}?ignore_unavailable=true`, { method: 'DELETE' }))
    const ca = createCertificateAuthority(mkdtempSync(join(tmpdir(), 'search-sink-ca-')))
    const cert = ca.issue('search')
    const proxy = await startProxy(t, url, {
      tls: { key: readFileSync(cert.keyFile, 'utf8'), cert: readFileSync(cert.certFile, 'utf8') },
      auth: 'kafka:s3cret',
    })
    await produce(
      topic,
      Array.from({ length: 5 }, (_, i) => ({ key: `s${i}`, value: JSON.stringify({ i }) })),
    )
    const name = uniqueName('os-tls')
    await harness.createConnector(name, {
      'connector.class': ELASTIC,
      topics: topic,
      'connection.url': proxy.url,
      'connection.username': 'kafka',
      'connection.password': 's3cret',
      'elastic.security.protocol': 'SSL',
      'elastic.https.ssl.truststore.location': ca.caFile,
      'schema.ignore': 'true',
      ...schemaless,
    })
    await documentsBecome(url, topic, 5)
    assert.equal(proxy.unauthorized, 0)
    await harness.stopConnector(name)
  })

  test('kill -9 of the worker running the task: every record becomes exactly one document', async (t) => {
    const { url, index } = await testOpenSearch(t)
    const topic = await createTestTopic(index)
    t.after(() => fetch(`${url}/${topic}?ignore_unavailable=true`, { method: 'DELETE' }))
    const total = 2000
    const name = uniqueName('os-kill')
    await harness.createConnector(name, {
      'connector.class': ELASTIC,
      topics: topic,
      'connection.url': url,
      'schema.ignore': 'true',
      'batch.size': '100',
      ...schemaless,
    })
    const producer = createProducer({ 'bootstrap.servers': testBootstrap() })
    const producing = (async () => {
      try {
        for (let i = 0; i < total; i += 50) {
          const batch = Array.from({ length: 50 }, (_, j) => ({
            topic,
            key: Buffer.from(`r${i + j}`),
            value: Buffer.from(JSON.stringify({ seq: i + j })),
          }))
          await producer.send({ messages: batch })
          await new Promise((r) => setTimeout(r, 20))
        }
      } finally {
        await producer.close()
      }
    })()
    const count = async () => {
      await fetch(`${url}/${topic}/_refresh`, { method: 'POST' })
      const r = await fetch(`${url}/${topic}/_count`)
      return r.ok ? ((await r.json()) as { count: number }).count : 0
    }
    await harness.killTaskOwnerWhen(name, async () => (await count()) >= 300)
    await producing
    const docs = await documentsBecome(url, topic, total)
    const seqs = docs.map((d) => (d.source as { seq: number }).seq)
    assert.equal(new Set(seqs).size, total)
    assert.ok(docs.every((d) => d.id === `r${(d.source as { seq: number }).seq}`))
    console.log(`# search sink under kill -9: ${total} records, ${docs.length} documents, none lost, none doubled`)
    await harness.stopConnector(name)
  })
})
