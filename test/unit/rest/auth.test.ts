import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import bcrypt from 'bcryptjs'
import { ConfigError } from '../../../src/errors.ts'
import { loadCredentials, parseCredentials } from '../../../src/rest/auth.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

const FILE = [
  '# htpasswd-style credentials',
  `alice:${bcrypt.hashSync('wonderland', 4)}`,
  `bob:{SHA}${createHash('sha1').update('builder').digest('base64')}`,
  'carol=plain-secret',
  'dave:$apr1$abc$def',
].join('\n')

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

function credentialsFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tsconnect-auth-')), 'credentials')
  writeFileSync(path, FILE)
  return path
}

function securedServer(herder = new InMemoryHerder()) {
  return testServer(herder, { 'rest.basic.auth.file': credentialsFile() })
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

  test('an unreadable credentials file stops the worker with an error naming the key', () => {
    assert.throws(
      () => loadCredentials('/nonexistent/credentials'),
      (error: unknown) => error instanceof ConfigError && error.key === 'rest.basic.auth.file',
    )
  })
})
