import assert from 'node:assert/strict'
import { beforeEach, describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

let herder: InMemoryHerder
let server: ReturnType<typeof testServer>

beforeEach(async () => {
  herder = new InMemoryHerder()
  server = testServer(herder)
  await server.app.inject({
    method: 'POST',
    url: '/connectors',
    payload: { name: 'files', config: sourceConfig({ 'tasks.max': '2' }) },
  })
})

describe('task configs', () => {
  test('GET /connectors/{c}/tasks lists each task id with its config', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/tasks' })
    assert.equal(res.statusCode, 200)
    const body = res.json()
    assert.equal(body.length, 2)
    assert.deepEqual(body[1].id, { connector: 'files', task: 1 })
    assert.equal(body[1].config.topic, 'lines')
  })

  test('GET /connectors/{c}/tasks answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/nope/tasks' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'Connector nope not found')
  })

  test('the deprecated tasks-config keys configs by <connector>-<task>', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/tasks-config' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(Object.keys(res.json()), ['files-0', 'files-1'])
  })
})

describe('task status', () => {
  test('answers the task state', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/tasks/1/status' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { id: 1, state: 'RUNNING', worker_id: 'localhost:8083' })
  })

  test('shows the trace of a failed task', async () => {
    herder.failTask('files', 0)
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/tasks/0/status' })
    assert.equal(res.json().state, 'FAILED')
    assert.match(res.json().trace, /RuntimeException/)
  })

  test('answers 404 for an unknown task', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/tasks/7/status' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'No status found for task files-7')
  })

  test('answers Jersey 404 for a task number that is not an int', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/tasks/x/status' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'HTTP 404 Not Found')
  })
})

describe('task restart', () => {
  test('answers 204', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/connectors/files/tasks/1/restart' })
    assert.equal(res.statusCode, 204)
    assert.equal(herder.served.at(-1), 'restartTask')
  })

  test('answers 404 for an unknown task', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/connectors/files/tasks/9/restart' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'Unknown task: files-9')
  })

  test('answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/connectors/nope/tasks/0/restart' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'Unknown connector: nope')
  })
})
