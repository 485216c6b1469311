import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { testServer } from '../../support/rest.ts'

describe('CORS', () => {
  const server = () =>
    testServer(new InMemoryHerder(), {
      'access.control.allow.origin': 'https://*.example.com',
      'access.control.allow.methods': 'GET,POST,PUT,DELETE',
    })

  test('an allowed origin gets Access-Control-Allow-Origin', async () => {
    const res = await server().app.inject({
      method: 'GET',
      url: '/connectors',
      headers: { origin: 'https://ui.example.com' },
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['access-control-allow-origin'], 'https://ui.example.com')
  })

  test('another origin gets no CORS headers', async () => {
    const res = await server().app.inject({
      method: 'GET',
      url: '/connectors',
      headers: { origin: 'https://evil.test' },
    })
    assert.equal(res.headers['access-control-allow-origin'], undefined)
  })

  test('a preflight is answered 204 with the allowed methods', async () => {
    const res = await server().app.inject({
      method: 'OPTIONS',
      url: '/connectors/x/config',
      headers: { origin: 'https://ui.example.com', 'access-control-request-method': 'PUT' },
    })
    assert.equal(res.statusCode, 204)
    assert.equal(res.headers['access-control-allow-methods'], 'GET,POST,PUT,DELETE')
    assert.equal(res.headers['access-control-allow-origin'], 'https://ui.example.com')
  })

  test('is off by default', async () => {
    const res = await testServer(new InMemoryHerder()).app.inject({
      method: 'GET',
      url: '/connectors',
      headers: { origin: 'https://ui.example.com' },
    })
    assert.equal(res.headers['access-control-allow-origin'], undefined)
  })
})

describe('response headers', () => {
  test('configured headers are set on every response, errors included', async () => {
    const server = testServer(new InMemoryHerder(), {
      'response.http.headers.config': 'set X-Frame-Options:DENY,add X-Extra:1',
    })
    for (const url of ['/connectors', '/connectors/nope']) {
      const res = await server.app.inject({ method: 'GET', url })
      assert.equal(res.headers['x-frame-options'], 'DENY', url)
      assert.equal(res.headers['x-extra'], '1', url)
    }
  })
})
