/**
 * GET /metrics on the REST API: the rendering it is given, with its content type; behind basic authentication
 * when that is on (any role may read it); on tsconnect.metrics.listeners alone when set; absent without metrics.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { testServer } from '../../support/rest.ts'

const metrics = {
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
  render: () => 'kafka_connect_worker_connector_count 0\n',
}

function credentialsFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tsconnect-metrics-auth-')), 'credentials')
  writeFileSync(path, 'reader=reader-secret,read-only\n')
  return path
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

describe('GET /metrics', () => {
  test('answers the rendering in the Prometheus text format', async () => {
    const res = await testServer(new InMemoryHerder(), {}, { metrics }).app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], metrics.contentType)
    assert.equal(res.body, 'kafka_connect_worker_connector_count 0\n')
  })

  test('needs credentials when basic authentication is on, and a read-only user may read it', async () => {
    const server = testServer(new InMemoryHerder(), { 'rest.basic.auth.file': credentialsFile() }, { metrics })
    assert.equal((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401)
    const res = await server.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: basic('reader', 'reader-secret') },
    })
    assert.equal(res.statusCode, 200)
  })

  test('is not served when the worker has no metrics (tsconnect.metrics.enable=false)', async () => {
    const res = await testServer(new InMemoryHerder()).app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(res.statusCode, 404)
  })

  test('is served alone on tsconnect.metrics.listeners', async () => {
    const server = testServer(
      new InMemoryHerder(),
      { 'tsconnect.metrics.listeners': 'http://127.0.0.1:0' },
      { metrics },
    )
    await server.start()
    try {
      const bound = server.boundListeners().find((l) => l.metrics)
      assert.ok(bound, 'a metrics listener is bound')
      const base = `http://127.0.0.1:${bound.port}`
      const res = await fetch(`${base}/metrics`)
      assert.equal(res.status, 200)
      assert.equal(await res.text(), 'kafka_connect_worker_connector_count 0\n')
      assert.equal((await fetch(`${base}/connectors`)).status, 404)
    } finally {
      await server.stop(0)
    }
  })
})
