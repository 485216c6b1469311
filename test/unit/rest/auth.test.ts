import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import bcrypt from 'bcryptjs'
import { ConfigError } from '../../../src/errors.ts'
import { isInternalRequest, loadCredentials, parseCredentials } from '../../../src/rest/auth.ts'
import type { RestServer } from '../../../src/rest/server.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

const FILE = [
  '# htpasswd-style credentials',
  `alice:${bcrypt.hashSync('wonderland', 4)}`,
  `bob:{SHA}${createHash('sha1').update('builder').digest('base64')}`,
  'carol=plain-secret',
  'dave:$apr1$abc$def',
  'erin:reader-secret,read-only',
  'frank:boss-secret, admin',
  'grace:a,b,c',
].join('\n')

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

function credentialsFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tsconnect-auth-')), 'credentials')
  writeFileSync(path, FILE)
  return path
}

function securedServer(herder = new InMemoryHerder(), props: Record<string, string> = {}) {
  return testServer(herder, { 'rest.basic.auth.file': credentialsFile(), ...props })
}

/** Every route of the server with its parameters filled in, and the app that serves it. */
async function everyRequest(server: RestServer) {
  await server.app.ready()
  await server.adminApp?.ready()
  return server.routes.map(({ method, url, admin }) => ({
    method,
    route: url,
    url: url
      .replace(':connector', 'files')
      .replace(':task', '0')
      .replace(':plugin', 'FileStreamSource')
      .replace(':logger', 'root'),
    app: admin && server.adminApp ? server.adminApp : server.app,
  }))
}

describe('basic authentication', () => {
  test('a request without credentials answers 401 with a Basic challenge', async () => {
    const res = await securedServer().app.inject({ method: 'GET', url: '/connectors' })
    assert.equal(res.statusCode, 401)
    assert.match(String(res.headers['www-authenticate']), /^Basic /)
    assert.deepEqual(res.json(), { error_code: 401, message: 'User cannot access the resource.' })
  })

  test('a wrong password answers 401', async () => {
    const res = await securedServer().app.inject({
      method: 'GET',
      url: '/connectors',
      headers: { authorization: basic('alice', 'looking-glass') },
    })
    assert.equal(res.statusCode, 401)
  })

  test('bcrypt, {SHA} and plain secrets all let their user in', async () => {
    const server = securedServer()
    for (const [user, password] of [
      ['alice', 'wonderland'],
      ['bob', 'builder'],
      ['carol', 'plain-secret'],
    ] as const) {
      const res = await server.app.inject({
        method: 'GET',
        url: '/connectors',
        headers: { authorization: basic(user, password) },
      })
      assert.equal(res.statusCode, 200, user)
      assert.equal(res.headers['www-authenticate'], undefined)
    }
  })

  test('an unsupported hash ($apr1$) refuses its user', async () => {
    const credentials = parseCredentials(FILE)
    assert.equal(await credentials.verify('dave', 'anything'), false)
  })

  test('internal endpoints are exempt: workers prove themselves with signatures', async () => {
    const herder = new InMemoryHerder()
    const server = securedServer(herder)
    await server.app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { authorization: basic('alice', 'wonderland') },
      payload: { name: 'files', config: sourceConfig() },
    })
    const res = await server.app.inject({ method: 'POST', url: '/connectors/files/tasks', payload: [{ a: 'b' }] })
    assert.equal(res.statusCode, 204)
  })

  test('credentials are passed on to the leader when a request is forwarded', async () => {
    const leader = new InMemoryHerder()
    const leaderServer = securedServer(leader)
    await leaderServer.start()
    try {
      const follower = new InMemoryHerder({ leader: false, leaderUrl: leaderServer.advertisedUrl() })
      const res = await securedServer(follower).app.inject({
        method: 'POST',
        url: '/connectors',
        headers: { authorization: basic('bob', 'builder') },
        payload: { name: 'files', config: sourceConfig() },
      })
      assert.equal(res.statusCode, 201)
    } finally {
      await leaderServer.stop()
    }
  })

  test('every route but the signed internal ones refuses a request without credentials or with a wrong password', async () => {
    const server = securedServer()
    const requests = await everyRequest(server)
    assert.ok(requests.length >= 30, `only ${requests.length} routes`)
    for (const { method, route, url, app } of requests) {
      if (isInternalRequest(method, route)) continue
      for (const headers of [{}, { authorization: basic('alice', 'wrong') }, { authorization: 'Bearer x' }]) {
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers,
          payload: method === 'GET' ? undefined : {},
        })
        assert.equal(res.statusCode, 401, `${method} ${url} with ${JSON.stringify(headers)}`)
      }
    }
  })

  test('the admin listeners refuse requests without credentials too', async () => {
    const server = securedServer(new InMemoryHerder(), { 'admin.listeners': 'http://127.0.0.1:0' })
    const admin = (await everyRequest(server)).filter((r) => r.app === server.adminApp)
    assert.ok(admin.length >= 3)
    for (const { method, url, app } of admin) {
      assert.equal((await app.inject({ method: method as 'GET', url, payload: {} })).statusCode, 401, url)
    }
  })

  test('no spelling of a path reaches a protected route as if it were an internal one', async () => {
    const server = securedServer()
    for (const url of ['/connectors/files/tasks/', '//connectors/files/tasks', '/connectors/files/tasks?x=/fence']) {
      const res = await server.app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 401, url)
    }
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files%2Ftasks/config', payload: {} })
    assert.equal(res.statusCode, 401)
  })

  test('a read-only user may read every resource and validate configs', async () => {
    const herder = new InMemoryHerder()
    const server = securedServer(herder)
    await server.app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { authorization: basic('alice', 'wonderland') },
      payload: { name: 'files', config: sourceConfig() },
    })
    for (const { method, url, app } of await everyRequest(server)) {
      if (method !== 'GET' && method !== 'HEAD') continue
      const res = await app.inject({ method, url, headers: { authorization: basic('erin', 'reader-secret') } })
      assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${method} ${url}: ${res.statusCode}`)
    }
    const validate = await server.app.inject({
      method: 'PUT',
      url: '/connector-plugins/FileStreamSource/config/validate',
      headers: { authorization: basic('erin', 'reader-secret') },
      payload: sourceConfig(),
    })
    assert.equal(validate.statusCode, 200)
  })

  test('a read-only user is refused every change with 403 naming the user and role, and nothing changes', async () => {
    const herder = new InMemoryHerder()
    const server = securedServer(herder)
    await server.app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { authorization: basic('alice', 'wonderland') },
      payload: { name: 'files', config: sourceConfig() },
    })
    for (const { method, route, url, app } of await everyRequest(server)) {
      if (method === 'GET' || method === 'HEAD' || isInternalRequest(method, route) || route.endsWith('/validate')) {
        continue
      }
      const res = await app.inject({
        method: method as 'PUT',
        url,
        headers: { authorization: basic('erin', 'reader-secret') },
        payload: {},
      })
      assert.equal(res.statusCode, 403, `${method} ${url}`)
      assert.match(res.json().message, /erin has the role read-only/)
    }
    const list = await server.app.inject({
      method: 'GET',
      url: '/connectors',
      headers: { authorization: basic('erin', 'reader-secret') },
    })
    assert.deepEqual(list.json(), ['files'])
  })

  test('admins, and users without a role, may change things', async () => {
    const server = securedServer()
    for (const [user, password, name] of [
      ['frank', 'boss-secret', 'by-frank'],
      ['carol', 'plain-secret', 'by-carol'],
    ] as const) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/connectors',
        headers: { authorization: basic(user, password) },
        payload: { name, config: sourceConfig() },
      })
      assert.equal(res.statusCode, 201, user)
    }
  })

  test('a plain password with commas stays whole when its last part is no role', async () => {
    const credentials = parseCredentials(FILE)
    assert.equal(await credentials.verify('grace', 'a,b,c'), true)
    assert.equal(credentials.role?.('grace'), 'admin')
    assert.equal(await credentials.verify('erin', 'reader-secret'), true)
    assert.equal(credentials.role?.('erin'), 'read-only')
  })

  test('an unreadable credentials file stops the worker with an error naming the key', () => {
    assert.throws(
      () => loadCredentials('/nonexistent/credentials'),
      (error: unknown) => error instanceof ConfigError && error.key === 'rest.basic.auth.file',
    )
  })
})
