import assert from 'node:assert/strict'
import { beforeEach, describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { testServer } from '../../support/rest.ts'

let herder: InMemoryHerder
let server: ReturnType<typeof testServer>

beforeEach(() => {
  herder = new InMemoryHerder()
  server = testServer(herder)
})

function setLevel(name: string, body: unknown, query = '') {
  return server.app.inject({ method: 'PUT', url: `/admin/loggers/${name}${query}`, payload: body as object })
}

describe('admin/loggers', () => {
  test('GET lists logger levels', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/admin/loggers' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { root: { level: 'INFO', last_modified: null } })
  })

  test('GET of one logger answers its level', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/admin/loggers/root' })
    assert.deepEqual(res.json(), { level: 'INFO', last_modified: null })
  })

  test('GET of an unknown logger answers 404', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/admin/loggers/org.nope' })
    assert.equal(res.statusCode, 404)
    assert.deepEqual(res.json(), { error_code: 404, message: 'Logger org.nope not found.' })
  })

  test('PUT sets a level on this worker: 200 and the loggers changed', async () => {
    const res = await setLevel('org.apache.kafka', { level: 'debug' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), ['org.apache.kafka'])
    assert.equal(herder.loggers.get('org.apache.kafka')?.level, 'DEBUG')
  })

  test('PUT with scope=cluster answers 204 and sets the level cluster-wide', async () => {
    const res = await setLevel('org.apache.kafka', { level: 'WARN' }, '?scope=cluster')
    assert.equal(res.statusCode, 204)
    assert.equal(herder.clusterLoggerLevels.get('org.apache.kafka'), 'WARN')
  })

  test('PUT with an unknown scope falls back to this worker', async () => {
    const res = await setLevel('org.apache.kafka', { level: 'WARN' }, '?scope=galaxy')
    assert.equal(res.statusCode, 200)
  })

  test('PUT without a level answers 400', async () => {
    const res = await setLevel('root', {})
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().message, "Desired 'level' parameter was not specified in request.")
  })

  test('PUT with an invalid level answers 404, as Java does', async () => {
    const res = await setLevel('root', { level: 'LOUD' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, "invalid log level 'LOUD'.")
  })

  test('are served on admin.listeners, and only there, when those are set', async () => {
    const split = testServer(herder, { 'admin.listeners': 'http://127.0.0.1:0' })
    const onMain = await split.app.inject({ method: 'GET', url: '/admin/loggers' })
    const onAdmin = await split.adminApp?.inject({ method: 'GET', url: '/admin/loggers' })
    assert.equal(onMain.statusCode, 404)
    assert.equal(onAdmin?.statusCode, 200)
  })

  test('are off with an empty admin.listeners', async () => {
    const off = testServer(herder, { 'admin.listeners': '' })
    assert.equal(off.adminApp, undefined)
    assert.equal((await off.app.inject({ method: 'GET', url: '/admin/loggers' })).statusCode, 404)
  })
})
