import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '../../../src/errors.ts'
import type { RestServer } from '../../../src/rest/server.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

const FIXTURES = fileURLToPath(new URL('../../fixtures/rest/', import.meta.url))
const PEM_KEYSTORE = join(FIXTURES, 'keystore.pem')
const P12_KEYSTORE = join(FIXTURES, 'keystore.p12')
const CA = join(FIXTURES, 'cert.pem')

/** GETs a URL, trusting the test certificate; resolves status and body. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http
    const req = client.get(url, { ca: readFileSync(CA), agent: false }, (res) => {
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
  })
}

async function withStarted(server: RestServer, run: (server: RestServer) => Promise<void>): Promise<void> {
  await server.start()
  try {
    await run(server)
  } finally {
    await server.stop()
  }
}

describe('listening', () => {
  test('a CONNECT request is answered 405 instead of a connection dropped without an answer (found by the fuzz test)', async () => {
    await withStarted(testServer(new InMemoryHerder()), async (server) => {
      const port = server.boundListeners()[0]?.port as number
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1')
        let text = ''
        socket.on('data', (chunk) => {
          text += chunk
        })
        socket.on('close', () => resolve(text))
        socket.on('error', reject)
        socket.end('CONNECT /admin/loggers HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      })
      assert.match(answer, /^HTTP\/1\.1 405 /)
      assert.match(answer, /"error_code":405/)
      assert.equal((await get(`${server.advertisedUrl()}/connectors`)).status, 200)
    })
  })

  test('serves HTTP on the bound port, which the advertised URL carries', async () => {
    await withStarted(testServer(new InMemoryHerder()), async (server) => {
      const [listener] = server.boundListeners()
      assert.ok(listener && listener.port > 0)
      assert.equal(server.advertisedUrl(), `http://127.0.0.1:${listener.port}`)
      const res = await get(`${server.advertisedUrl()}/connectors`)
      assert.equal(res.status, 200)
      assert.equal(res.body, '[]')
    })
  })

  test('serves HTTPS with a PEM keystore', async () => {
    const props = {
      listeners: 'https://127.0.0.1:0',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': PEM_KEYSTORE,
    }
    await withStarted(testServer(new InMemoryHerder(), props), async (server) => {
      assert.match(server.advertisedUrl(), /^https:\/\/127\.0\.0\.1:\d+$/)
      const res = await get(`https://localhost:${server.boundListeners()[0]?.port}/`)
      assert.equal(res.status, 200)
      assert.equal(JSON.parse(res.body).kafka_cluster_id, 'test-cluster-id')
    })
  })

  test('serves HTTPS with a PKCS12 keystore from listeners.https.* keys', async () => {
    const props = {
      listeners: 'https://127.0.0.1:0',
      'listeners.https.ssl.keystore.location': P12_KEYSTORE,
      'listeners.https.ssl.keystore.password': 'changeit',
    }
    await withStarted(testServer(new InMemoryHerder(), props), async (server) => {
      const res = await get(`https://localhost:${server.boundListeners()[0]?.port}/connectors`)
      assert.equal(res.status, 200)
    })
  })

  test('serves HTTP and HTTPS listeners side by side, advertising the HTTP one', async () => {
    const props = { listeners: 'http://127.0.0.1:0,https://127.0.0.1:0', 'ssl.keystore.location': PEM_KEYSTORE }
    await withStarted(testServer(new InMemoryHerder(), props), async (server) => {
      const [plain, secure] = server.boundListeners()
      assert.equal(plain?.protocol, 'http')
      assert.equal(secure?.protocol, 'https')
      assert.equal((await get(`https://localhost:${secure?.port}/connectors`)).status, 200)
      assert.ok(server.advertisedUrl().startsWith('http://'))
    })
  })

  test('serves the loggers on admin.listeners only, when those are set', async () => {
    const props = { 'admin.listeners': 'http://127.0.0.1:0' }
    await withStarted(testServer(new InMemoryHerder(), props), async (server) => {
      const main = server.boundListeners().find((l) => !l.admin)
      const admin = server.boundListeners().find((l) => l.admin)
      assert.equal((await get(`http://127.0.0.1:${admin?.port}/admin/loggers`)).status, 200)
      assert.equal((await get(`http://127.0.0.1:${main?.port}/admin/loggers`)).status, 404)
      assert.equal((await get(`http://127.0.0.1:${admin?.port}/connectors`)).status, 404)
    })
  })

  test('a listener port in use stops the start with an error naming listeners', async () => {
    await withStarted(testServer(new InMemoryHerder()), async (first) => {
      const port = first.boundListeners()[0]?.port
      const second = testServer(new InMemoryHerder(), { listeners: `http://127.0.0.1:${port}` })
      await assert.rejects(second.start(), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.key, 'listeners')
        assert.match(error.message, /^Cannot listen on http:\/\/127\.0\.0\.1:\d+: /)
        return true
      })
      await second.stop()
    })
  })

  test('refuses a JKS keystore with advice to convert it, naming the key', () => {
    const jks = join(tmpdir(), `tsconnect-${process.pid}.jks`)
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]))
    assert.throws(
      () => testServer(new InMemoryHerder(), { listeners: 'https://127.0.0.1:0', 'ssl.keystore.location': jks }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.key, 'ssl.keystore.location')
        assert.match(error.message, /keytool -importkeystore/)
        return true
      },
    )
  })

  test('refuses an HTTPS listener without a keystore, naming the key', () => {
    assert.throws(
      () => testServer(new InMemoryHerder(), { listeners: 'https://127.0.0.1:0' }),
      (error: unknown) => error instanceof ConfigError && error.key === 'ssl.keystore.location',
    )
  })

  test('forwards to an HTTPS leader, trusting it through the truststore', async () => {
    const leader = new InMemoryHerder()
    const tls = { 'ssl.keystore.location': PEM_KEYSTORE, 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': CA }
    await withStarted(testServer(leader, { listeners: 'https://127.0.0.1:0', ...tls }), async (leaderServer) => {
      const port = leaderServer.boundListeners()[0]?.port
      const follower = new InMemoryHerder({ leader: false, leaderUrl: `https://localhost:${port}` })
      const res = await testServer(follower, tls).app.inject({
        method: 'POST',
        url: '/connectors',
        payload: { name: 'files', config: sourceConfig() },
      })
      assert.equal(res.statusCode, 201)
      assert.ok(leader.served.includes('putConnectorConfig'))
    })
  })
})
