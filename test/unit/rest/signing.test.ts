import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { beforeEach, describe, test } from 'node:test'
import type { InternalRequestSecurity } from '../../../src/herder/herder.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

const KEY = Buffer.from('0123456789abcdef0123456789abcdef')
const SIGNED: InternalRequestSecurity = {
  required: true,
  sessionKey: { key: KEY, algorithm: 'HmacSHA256' },
  signatureAlgorithm: 'HmacSHA256',
  verificationAlgorithms: ['HmacSHA256'],
}
const TASKS = JSON.stringify([{ 'task.class': 'FileStreamSourceTask', topic: 'lines' }])

/** A signature computed the way a Java worker computes it. */
function sign(body: string, key: Buffer = KEY): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('base64')
}

let herder: InMemoryHerder
let server: ReturnType<typeof testServer>

beforeEach(async () => {
  herder = new InMemoryHerder({ security: SIGNED })
  server = testServer(herder)
  await server.app.inject({ method: 'POST', url: '/connectors', payload: { name: 'files', config: sourceConfig() } })
})

function putTasks(headers: Record<string, string>, body = TASKS) {
  return server.app.inject({
    method: 'POST',
    url: '/connectors/files/tasks',
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  })
}

function signedHeaders(body: string, algorithm = 'HmacSHA256', signature = sign(body)) {
  return { 'X-Connect-Authorization': signature, 'X-Connect-Request-Signature-Algorithm': algorithm }
}

describe('signed internal requests: task configs', () => {
  test('a request with a valid signature is served: 204 and the task configs are written', async () => {
    const res = await putTasks(signedHeaders(TASKS))
    assert.equal(res.statusCode, 204)
    assert.deepEqual(herder.connectorsByName.get('files')?.taskConfigs, JSON.parse(TASKS))
  })

  test('a request without a signature answers 400', async () => {
    const res = await putTasks({})
    assert.equal(res.statusCode, 400)
    assert.deepEqual(res.json(), { error_code: 400, message: 'Internal request missing required signature' })
  })

  test('a request with a wrong signature answers 403', async () => {
    const res = await putTasks(signedHeaders(TASKS, 'HmacSHA256', sign(TASKS, Buffer.from('another key'))))
    assert.equal(res.statusCode, 403)
    assert.deepEqual(res.json(), { error_code: 403, message: 'Internal request contained invalid signature.' })
  })

  test('the signature covers the exact body bytes: the same JSON spaced differently is refused', async () => {
    const spaced = JSON.stringify(JSON.parse(TASKS), null, 2)
    const res = await putTasks(signedHeaders(TASKS), spaced)
    assert.equal(res.statusCode, 403)
  })

  test('an algorithm this worker does not verify answers 400', async () => {
    const body = TASKS
    const signature = createHmac('sha512', KEY).update(body).digest('base64')
    const res = await putTasks(signedHeaders(body, 'HmacSHA512', signature))
    assert.equal(res.statusCode, 400)
    assert.match(res.json().message, /^This worker does not support the 'HmacSHA512' key signing algorithm/)
  })

  test('an unknown algorithm answers 400', async () => {
    const res = await putTasks(signedHeaders(TASKS, 'HmacWhirlpool'))
    assert.equal(res.statusCode, 400)
  })

  test('a worker that has not read a session key yet answers 503', async () => {
    herder.security = { ...SIGNED, sessionKey: undefined }
    const res = await putTasks(signedHeaders(TASKS))
    assert.equal(res.statusCode, 503)
  })

  test('no signature is needed when the group does not use the sessioned protocol', async () => {
    herder.security = { ...SIGNED, required: false }
    const res = await putTasks({})
    assert.equal(res.statusCode, 204)
  })

  test('a follower forwards a signed request to the leader signed with its own session key', async () => {
    const leaderServer = testServer(herder)
    await leaderServer.start()
    try {
      const follower = new InMemoryHerder({
        leader: false,
        leaderUrl: leaderServer.advertisedUrl(),
        security: SIGNED,
        sameClusterAs: herder,
      })
      const res = await testServer(follower).app.inject({
        method: 'POST',
        url: '/connectors/files/tasks',
        headers: { 'content-type': 'application/json', ...signedHeaders(TASKS) },
        payload: TASKS,
      })
      assert.equal(res.statusCode, 204)
      assert.ok(herder.served.includes('putTaskConfigs'))
    } finally {
      await leaderServer.stop()
    }
  })
})

describe('signed internal requests: fencing', () => {
  test('a fencing request signed over its empty body is served: 204', async () => {
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/fence', headers: signedHeaders('') })
    assert.equal(res.statusCode, 204)
  })

  test('a fencing request without a signature answers 400', async () => {
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/fence' })
    assert.equal(res.statusCode, 400)
  })

  test('fencing a sink connector answers 400', async () => {
    await server.app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'sink', config: { 'connector.class': 'FileStreamSink', topics: 'lines' } },
    })
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/sink/fence', headers: signedHeaders('') })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().message, 'Connector sink is not a source connector')
  })
})
