import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { NO_LEADER_MESSAGE, STALE_CONFIG_MESSAGE } from '../../../src/rest/request-handler.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

function create(server: ReturnType<typeof testServer>) {
  return server.app.inject({ method: 'POST', url: '/connectors', payload: { name: 'files', config: sourceConfig() } })
}

describe('requests during a rebalance', () => {
  test('a create that meets a rebalance twice waits and then succeeds: 201, not 409', async () => {
    const herder = new InMemoryHerder()
    herder.rebalanceFor(2)
    const res = await create(testServer(herder))
    assert.equal(res.statusCode, 201)
    assert.deepEqual(herder.served, ['putConnectorConfig'])
  })

  test('a read that meets a rebalance twice waits and then succeeds: 200', async () => {
    const herder = new InMemoryHerder()
    await create(testServer(herder))
    herder.rebalanceFor(2)
    const res = await testServer(herder).app.inject({ method: 'GET', url: '/connectors/files' })
    assert.equal(res.statusCode, 200)
  })

  test('the waits run on the REST clock: the 409 comes exactly when the request timeout has passed', async () => {
    const clock = new ManualClock()
    const herder = new InMemoryHerder()
    herder.rebalanceFor(Number.MAX_SAFE_INTEGER)
    const server = testServer(herder, {}, { requestTimeoutMs: 1000, backoff: { initialMs: 50, maxMs: 200 }, clock })
    let answer: Awaited<ReturnType<typeof create>> | undefined
    const answered = create(server).then((res) => {
      answer = res
    })
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    }
    for (let t = 10; t < 1000; t += 10) {
      await settle()
      clock.advance(10)
    }
    await settle()
    const reply = () => answer
    assert.equal(reply(), undefined, 'no answer before the request timeout')
    clock.advance(10)
    await settle()
    assert.equal(reply()?.statusCode, 409, 'answered once the request timeout passed')
    await answered
    assert.deepEqual(reply()?.json(), { error_code: 409, message: STALE_CONFIG_MESSAGE })
  })

  test('a write answers 409 stale configuration only when the rebalance outlasts the request timeout', async () => {
    const herder = new InMemoryHerder()
    herder.rebalanceFor(Number.MAX_SAFE_INTEGER)
    const res = await create(testServer(herder, {}, { requestTimeoutMs: 30 }))
    assert.equal(res.statusCode, 409)
    assert.deepEqual(res.json(), { error_code: 409, message: STALE_CONFIG_MESSAGE })
  })

  test('a read answers 500 when the rebalance outlasts the request timeout, as Java does', async () => {
    const herder = new InMemoryHerder()
    herder.rebalanceFor(Number.MAX_SAFE_INTEGER)
    const res = await testServer(herder, {}, { requestTimeoutMs: 30 }).app.inject({ method: 'GET', url: '/connectors' })
    assert.equal(res.statusCode, 500)
    assert.equal(res.json().message, 'Request cannot be completed because a rebalance is expected')
  })

  test('a follower that knows no leader yet waits for one, then forwards', async () => {
    const leader = new InMemoryHerder()
    const leaderServer = testServer(leader)
    await leaderServer.start()
    try {
      const follower = new InMemoryHerder({ leader: false, leaderUrl: undefined })
      setTimeout(() => {
        follower.leaderUrl = leaderServer.advertisedUrl()
      }, 20)
      const res = await create(testServer(follower))
      assert.equal(res.statusCode, 201)
      assert.ok(leader.served.includes('putConnectorConfig'))
    } finally {
      await leaderServer.stop()
    }
  })

  test('a leader that refuses connections (it just died) is waited for until the herder names the new one', async () => {
    const leader = new InMemoryHerder()
    const leaderServer = testServer(leader)
    await leaderServer.start()
    try {
      const follower = new InMemoryHerder({ leader: false, leaderUrl: 'http://127.0.0.1:1' })
      setTimeout(() => {
        follower.leaderUrl = leaderServer.advertisedUrl()
      }, 20)
      const res = await create(testServer(follower))
      assert.equal(res.statusCode, 201)
    } finally {
      await leaderServer.stop()
    }
  })

  test('a follower that finds no leader within the request timeout answers 409 no known leader', async () => {
    const follower = new InMemoryHerder({ leader: false, leaderUrl: undefined })
    const res = await create(testServer(follower, {}, { requestTimeoutMs: 30 }))
    assert.equal(res.statusCode, 409)
    assert.deepEqual(res.json(), { error_code: 409, message: NO_LEADER_MESSAGE })
  })
})

describe('request timeout', () => {
  test('a herder that does not answer in time gives 500 with what it is doing', async () => {
    class StuckHerder extends InMemoryHerder {
      override connectors(): Promise<string[]> {
        return new Promise(() => {})
      }
    }
    const herder = new StuckHerder()
    herder.currentStage = { description: 'joining the group', started: Date.UTC(2024, 5, 1, 12, 0, 0, 250) }
    const res = await testServer(herder, {}, { requestTimeoutMs: 20 }).app.inject({ method: 'GET', url: '/connectors' })
    assert.equal(res.statusCode, 500)
    assert.deepEqual(res.json(), {
      error_code: 500,
      message: 'Request timed out. The worker is currently joining the group, which began at 2024-06-01T12:00:00.250Z.',
    })
  })

  test('without a stage the timeout message is Java plain one', async () => {
    class StuckHerder extends InMemoryHerder {
      override connectorInfo(): Promise<never> {
        return new Promise(() => {})
      }
    }
    const res = await testServer(new StuckHerder(), {}, { requestTimeoutMs: 20 }).app.inject({
      method: 'GET',
      url: '/connectors/x',
    })
    assert.equal(res.statusCode, 500)
    assert.equal(res.json().message, 'Request timed out')
  })
})
