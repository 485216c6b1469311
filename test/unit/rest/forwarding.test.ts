import assert from 'node:assert/strict'
import type { IncomingHttpHeaders } from 'node:http'
import { after, before, beforeEach, describe, test } from 'node:test'
import { CONFLICT_MESSAGE } from '../../../src/rest/request-handler.ts'
import type { RestServer } from '../../../src/rest/server.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

/** A leader listening on a real port, recording what reaches it. */
let leader: InMemoryHerder
let leaderServer: RestServer
let leaderUrl: string
const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = []
/** How many of the next requests the leader refuses as a leader that is shutting down would. */
let shuttingDownAnswers = 0

before(async () => {
  leader = new InMemoryHerder({ workerId: 'leader:8083' })
  leaderServer = testServer(leader)
  leaderServer.app.addHook('onRequest', async (request) => {
    received.push({ method: request.method, url: request.url, headers: request.headers })
  })
  leaderServer.app.addHook('onRequest', async (_request, reply) => {
    if (shuttingDownAnswers === 0) return
    shuttingDownAnswers--
    await reply.code(500).send({ error_code: 500, message: 'Worker is shutting down' })
  })
  await leaderServer.start()
  leaderUrl = leaderServer.advertisedUrl()
})

after(async () => {
  await leaderServer.stop()
})

let follower: InMemoryHerder
let followerServer: RestServer

beforeEach(() => {
  received.length = 0
  leader.connectorsByName.clear()
  leader.served.length = 0
  leader.ownerUrl = undefined
  follower = new InMemoryHerder({ workerId: 'follower:8083', leader: false, leaderUrl, sameClusterAs: leader })
  followerServer = testServer(follower)
})

function createOnFollower(query = '', headers: Record<string, string> = {}) {
  return followerServer.app.inject({
    method: 'POST',
    url: `/connectors${query}`,
    headers,
    payload: { name: 'files', config: sourceConfig() },
  })
}

describe('forwarding to the leader', () => {
  test('a follower forwards a create to the leader, which answers 201', async () => {
    const res = await createOnFollower()
    assert.equal(res.statusCode, 201)
    assert.equal(res.json().name, 'files')
    assert.ok(leader.served.includes('putConnectorConfig'))
    assert.equal(received.length, 1)
  })

  test('the first hop forwards with forward=true', async () => {
    await createOnFollower()
    assert.equal(received[0]?.url, '/connectors?forward=true')
    assert.equal(received[0]?.method, 'POST')
  })

  test('a receiver of forward=true forwards once more, with forward=false', async () => {
    const res = await createOnFollower('?forward=true')
    assert.equal(res.statusCode, 201)
    assert.equal(received[0]?.url, '/connectors?forward=false')
  })

  test('a receiver of forward=false that cannot run the request answers 409 (no third hop)', async () => {
    const res = await createOnFollower('?forward=false')
    assert.equal(res.statusCode, 409)
    assert.deepEqual(res.json(), { error_code: 409, message: CONFLICT_MESSAGE })
    assert.equal(received.length, 0)
  })

  test('only the Authorization header is passed on, with the kafka-connect user agent', async () => {
    await createOnFollower('', { authorization: 'Bearer abc', 'x-custom': 'no', cookie: 'a=b' })
    const headers = received[0]?.headers ?? {}
    assert.equal(headers.authorization, 'Bearer abc')
    assert.equal(headers['user-agent'], 'kafka-connect')
    assert.equal(headers['x-custom'], undefined)
    assert.equal(headers.cookie, undefined)
  })

  test("the leader's error answer is passed through with its status and message", async () => {
    await createOnFollower()
    const res = await createOnFollower()
    assert.equal(res.statusCode, 409)
    assert.deepEqual(res.json(), { error_code: 409, message: 'Connector files already exists' })
  })

  test('a forwarded PUT config answers 201 when the leader created the connector, 200 when it updated it', async () => {
    const put = () =>
      followerServer.app.inject({ method: 'PUT', url: '/connectors/files/config', payload: sourceConfig() })
    const first = await put()
    const second = await put()
    assert.equal(first.statusCode, 201)
    assert.match(String(first.headers.location), /\/connectors\/files$/)
    assert.equal(second.statusCode, 200)
  })

  test('a forwarded restart carries its query parameters', async () => {
    await createOnFollower()
    const res = await followerServer.app.inject({
      method: 'POST',
      url: '/connectors/files/restart?includeTasks=true&onlyFailed=false',
    })
    assert.equal(res.statusCode, 202)
    assert.equal(received.at(-1)?.url, '/connectors/files/restart?forward=true&includeTasks=true&onlyFailed=false')
    assert.equal(res.json().connector.state, 'RESTARTING')
  })

  test('the leader forwards a restart to the worker that runs the connector', async () => {
    const owner = new InMemoryHerder({ workerId: 'owner:8083', leader: false, sameClusterAs: leader })
    const ownerServer = testServer(owner)
    await ownerServer.start()
    try {
      await createOnFollower()
      leader.ownerUrl = ownerServer.advertisedUrl()
      follower.ownerUrl = ownerServer.advertisedUrl()
      const res = await followerServer.app.inject({ method: 'POST', url: '/connectors/files/tasks/0/restart' })
      assert.equal(res.statusCode, 204)
      assert.equal(owner.served.at(-1), 'restartTask')
      assert.equal(leader.served.at(-1), 'restartTask')
    } finally {
      await ownerServer.stop()
    }
  })

  test('reads are served by the receiving worker, never forwarded', async () => {
    await createOnFollower()
    received.length = 0
    const res = await followerServer.app.inject({ method: 'GET', url: '/connectors/files' })
    assert.equal(res.statusCode, 200)
    assert.equal(received.length, 0)
  })

  test('a leader that answers "Worker is shutting down" never ran the request: it is sent again, and completes', async () => {
    shuttingDownAnswers = 2
    const res = await createOnFollower()
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(received.length, 3)
    assert.ok(leader.served.includes('putConnectorConfig'))
  })

  test('an unreachable leader answers 500 once the request timeout has passed', async () => {
    const lost = new InMemoryHerder({ leader: false, leaderUrl: 'http://127.0.0.1:1' })
    const res = await testServer(lost, {}, { requestTimeoutMs: 50 }).app.inject({
      method: 'DELETE',
      url: '/connectors/files',
    })
    assert.equal(res.statusCode, 500)
    assert.match(res.json().message, /^IO Error trying to forward REST request: /)
  })
})
