import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { TSCONNECT_VERSION } from '../../../src/util/version.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { testServer } from '../../support/rest.ts'

describe('GET /', () => {
  test('answers version, commit and the Kafka cluster id', async () => {
    const server = testServer(new InMemoryHerder(), {}, { version: '4.0.0', commit: 'abc123' })
    const res = await server.app.inject({ method: 'GET', url: '/' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { version: '4.0.0', commit: 'abc123', kafka_cluster_id: 'test-cluster-id' })
  })
})

describe('GET / by default', () => {
  test("answers the Connect API level as version, as clients read it, and names tsconnect's version in commit", async () => {
    const res = await testServer(new InMemoryHerder()).app.inject({ method: 'GET', url: '/' })
    const body = res.json() as { version: string; commit: string }
    assert.equal(body.version, '4.3.1')
    assert.equal(body.commit, `tsconnect-${TSCONNECT_VERSION}`)
  })
})

describe('GET /health', () => {
  test('answers 200 healthy when the herder answers', async () => {
    const res = await testServer(new InMemoryHerder()).app.inject({ method: 'GET', url: '/health' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), {
      status: 'healthy',
      message: 'Worker has completed startup and is ready to handle requests.',
    })
  })

  test('answers 503 starting, with the stage, while the herder is starting', async () => {
    const herder = new InMemoryHerder()
    herder.responsive = false
    herder.ready = false
    herder.currentStage = { description: 'reading to the end of the config topic', started: Date.UTC(2024, 0, 1) }
    const res = await testServer(herder, {}, { healthCheckTimeoutMs: 10 }).app.inject({ method: 'GET', url: '/health' })
    assert.equal(res.statusCode, 503)
    assert.deepEqual(res.json(), {
      status: 'starting',
      message:
        'Worker is still starting up. The worker is currently reading to the end of the config topic, ' +
        'which began at 2024-01-01T00:00:00Z.',
    })
  })

  test('answers 500 unhealthy when a started herder does not answer', async () => {
    const herder = new InMemoryHerder()
    herder.responsive = false
    const res = await testServer(herder, {}, { healthCheckTimeoutMs: 10 }).app.inject({ method: 'GET', url: '/health' })
    assert.equal(res.statusCode, 500)
    assert.equal(res.json().status, 'unhealthy')
    assert.equal(
      res.json().message,
      'Worker was unable to handle this request and may be unable to handle other requests.',
    )
  })
})
