import assert from 'node:assert/strict'
import { beforeEach, describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

// A config provider reference, as a client writes it.
const PASSWORD_REF = `\${vault:db:password}`

let herder: InMemoryHerder
let server: ReturnType<typeof testServer>

beforeEach(() => {
  herder = new InMemoryHerder()
  server = testServer(herder)
})

async function create(name: string, config = sourceConfig(), extra: Record<string, unknown> = {}) {
  return server.app.inject({ method: 'POST', url: '/connectors', payload: { name, config, ...extra } })
}

describe('POST /connectors', () => {
  test('creates a connector: 201, Location, and the connector info with the name put into its config', async () => {
    const res = await create('files')
    assert.equal(res.statusCode, 201)
    assert.equal(res.headers.location, 'http://localhost:80/connectors/files')
    assert.deepEqual(res.json(), {
      name: 'files',
      config: { ...sourceConfig(), name: 'files' },
      tasks: [{ connector: 'files', task: 0 }],
      type: 'source',
    })
  })

  test('trims the name', async () => {
    const res = await create('  files  ')
    assert.equal(res.statusCode, 201)
    assert.equal(res.json().name, 'files')
  })

  test('starts the connector in its initial_state, in any case', async () => {
    await create('files', sourceConfig(), { initial_state: 'paused' })
    const status = await server.app.inject({ method: 'GET', url: '/connectors/files/status' })
    assert.equal(status.json().connector.state, 'PAUSED')
  })

  test('refuses an unknown initial_state with 400', async () => {
    const res = await create('files', sourceConfig(), { initial_state: 'SLEEPING' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().error_code, 400)
  })

  test('answers 409 for a connector that exists', async () => {
    await create('files')
    const res = await create('files')
    assert.equal(res.statusCode, 409)
    assert.deepEqual(res.json(), { error_code: 409, message: 'Connector files already exists' })
  })

  test('answers 400 naming the field of an invalid config', async () => {
    const res = await create('files', { 'connector.class': 'FileStreamSource', file: '/tmp/in.txt' })
    assert.equal(res.statusCode, 400)
    const { error_code, message } = res.json()
    assert.equal(error_code, 400)
    assert.match(message, /^Connector configuration is invalid and contains the following 1 error\(s\):\n/)
    assert.match(message, /Missing required configuration "topic" which has no default value\./)
    assert.match(message, /You can also find the above list of errors at the endpoint `\/connector-plugins\//)
  })

  test('answers 400 when config.name differs from name', async () => {
    const res = await create('files', sourceConfig({ name: 'other' }))
    assert.equal(res.statusCode, 400)
    assert.deepEqual(res.json(), {
      error_code: 400,
      message: "Connector name configuration (other) doesn't match connector name in the URL (files)",
    })
  })

  test('answers 400 for a config value that is an object', async () => {
    const res = await create('files', { ...sourceConfig(), nested: { a: 1 } } as never)
    assert.equal(res.statusCode, 400)
  })

  test('takes numbers and booleans as strings, as Jackson does', async () => {
    const res = await create('files', { ...sourceConfig(), 'tasks.max': 2 } as never)
    assert.equal(res.statusCode, 201)
    assert.equal(res.json().config['tasks.max'], '2')
    assert.equal(res.json().tasks.length, 2)
  })

  test('answers 400 with error_code for a body that is not JSON', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().error_code, 400)
  })
})

describe('GET /connectors', () => {
  test('lists connector names', async () => {
    await create('b')
    await create('a')
    const res = await server.app.inject({ method: 'GET', url: '/connectors' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), ['a', 'b'])
  })

  test('expands status and info per connector', async () => {
    await create('a')
    const res = await server.app.inject({ method: 'GET', url: '/connectors?expand=status&expand=info' })
    assert.equal(res.statusCode, 200)
    const body = res.json()
    assert.equal(body.a.status.connector.state, 'RUNNING')
    assert.equal(body.a.info.type, 'source')
  })

  test('leaves out a connector deleted while its expansions are read', async () => {
    await create('a')
    await create('b')
    const original = herder.connectorStatus.bind(herder)
    herder.connectorStatus = async (name) => {
      if (name === 'a') herder.connectorsByName.delete('a')
      return original(name)
    }
    const res = await server.app.inject({ method: 'GET', url: '/connectors?expand=status' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(Object.keys(res.json()), ['b'])
  })

  test('ignores unknown expansions', async () => {
    await create('a')
    const res = await server.app.inject({ method: 'GET', url: '/connectors?expand=everything' })
    assert.deepEqual(res.json(), { a: {} })
  })
})

describe('GET /connectors/{c}', () => {
  test('answers the connector info', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().name, 'files')
  })

  test('answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/nope' })
    assert.equal(res.statusCode, 404)
    assert.deepEqual(res.json(), { error_code: 404, message: 'Connector nope not found' })
  })

  test('serves a path with a trailing slash', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/' })
    assert.equal(res.statusCode, 200)
  })
})

describe('connector config', () => {
  test('GET answers the raw config, provider references unresolved', async () => {
    herder.secrets = { 'db:password': 'hunter2' }
    await create('db', { 'connector.class': 'DatabaseSource', 'db.password': PASSWORD_REF })
    const res = await server.app.inject({ method: 'GET', url: '/connectors/db/config' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json()['db.password'], PASSWORD_REF)
  })

  test('PUT creates a missing connector with 201 and Location', async () => {
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/config', payload: sourceConfig() })
    assert.equal(res.statusCode, 201)
    assert.equal(res.headers.location, 'http://localhost:80/connectors/files')
    assert.equal(res.json().config.name, 'files')
  })

  test('PUT updates an existing connector with 200', async () => {
    await create('files')
    const res = await server.app.inject({
      method: 'PUT',
      url: '/connectors/files/config',
      payload: sourceConfig({ topic: 'other' }),
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().config.topic, 'other')
  })

  test('PUT answers 400 when the body names another connector', async () => {
    const res = await server.app.inject({
      method: 'PUT',
      url: '/connectors/files/config',
      payload: sourceConfig({ name: 'x' }),
    })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().message, "Connector name configuration (x) doesn't match connector name in the URL (files)")
  })

  test('PUT answers 400 naming the field of an invalid value', async () => {
    const res = await server.app.inject({
      method: 'PUT',
      url: '/connectors/files/config',
      payload: sourceConfig({ 'batch.size': 'lots' }),
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.json().message, /Invalid value lots for configuration batch\.size/)
  })

  test('PATCH merges keys and removes those set to null', async () => {
    await create('files')
    const res = await server.app.inject({
      method: 'PATCH',
      url: '/connectors/files/config',
      payload: { topic: 'patched', file: null },
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().config.topic, 'patched')
    assert.equal(res.json().config.file, undefined)
  })

  test('PATCH answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'PATCH', url: '/connectors/nope/config', payload: { a: 'b' } })
    assert.equal(res.statusCode, 404)
  })
})

describe('connector status and state changes', () => {
  test('status shows the connector and its tasks', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/status' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), {
      name: 'files',
      connector: { state: 'RUNNING', worker_id: 'localhost:8083' },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: 'localhost:8083' }],
      type: 'source',
    })
  })

  test('status answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/nope/status' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'No status found for connector nope')
  })

  test('pause answers 202 and the connector shows PAUSED', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/pause' })
    assert.equal(res.statusCode, 202)
    assert.equal(res.body, '')
    assert.equal(herder.connectorsByName.get('files')?.targetState, 'PAUSED')
  })

  test('pause accepts an empty body sent as application/json', async () => {
    await create('files')
    const res = await server.app.inject({
      method: 'PUT',
      url: '/connectors/files/pause',
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(res.statusCode, 202)
  })

  test('pause answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/nope/pause' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'Unknown connector nope')
  })

  test('resume answers 202 and the connector runs again', async () => {
    await create('files', sourceConfig(), { initial_state: 'STOPPED' })
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/resume' })
    assert.equal(res.statusCode, 202)
    assert.equal(herder.connectorsByName.get('files')?.targetState, 'STARTED')
  })

  test('stop answers 204 and the connector shows STOPPED without tasks', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/stop' })
    assert.equal(res.statusCode, 204)
    const status = await server.app.inject({ method: 'GET', url: '/connectors/files/status' })
    assert.equal(status.json().connector.state, 'STOPPED')
    assert.deepEqual(status.json().tasks, [])
  })

  test('restart with default query restarts the connector only: 204 without body', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'POST', url: '/connectors/files/restart' })
    assert.equal(res.statusCode, 204)
    assert.deepEqual(herder.served.at(-1), 'restartConnector')
  })

  test('restart with includeTasks answers 202 with the planned states', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'POST', url: '/connectors/files/restart?includeTasks=true' })
    assert.equal(res.statusCode, 202)
    assert.equal(res.json().connector.state, 'RESTARTING')
    assert.equal(res.json().tasks[0].state, 'RESTARTING')
  })

  test('restart with onlyFailed restarts only failed tasks', async () => {
    await create('files', sourceConfig({ 'tasks.max': '2' }))
    herder.failTask('files', 1)
    const res = await server.app.inject({
      method: 'POST',
      url: '/connectors/files/restart?includeTasks=true&onlyFailed=true',
    })
    assert.equal(res.statusCode, 202)
    assert.deepEqual(
      res.json().tasks.map((t: { state: string }) => t.state),
      ['RUNNING', 'RESTARTING'],
    )
  })

  test('restart answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/connectors/nope/restart' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().message, 'Unknown connector: nope')
  })

  test('delete answers 204 and the connector is gone', async () => {
    await create('files')
    const res = await server.app.inject({ method: 'DELETE', url: '/connectors/files' })
    assert.equal(res.statusCode, 204)
    const after = await server.app.inject({ method: 'GET', url: '/connectors/files' })
    assert.equal(after.statusCode, 404)
  })

  test('delete answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'DELETE', url: '/connectors/nope' })
    assert.equal(res.statusCode, 404)
  })
})

describe('paths', () => {
  test('a path no resource serves answers Jersey-style 404', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/nothing/here' })
    assert.equal(res.statusCode, 404)
    assert.deepEqual(res.json(), { error_code: 404, message: 'HTTP 404 Not Found' })
  })

  test('a path served for other methods answers Jersey-style 405', async () => {
    const res = await server.app.inject({ method: 'DELETE', url: '/connectors/files/config' })
    assert.equal(res.statusCode, 405)
    assert.deepEqual(res.json(), { error_code: 405, message: 'HTTP 405 Method Not Allowed' })
  })

  test('a connector name with spaces and slashes round-trips through the path', async () => {
    await create('a b/c')
    const res = await server.app.inject({ method: 'GET', url: `/connectors/${encodeURIComponent('a b/c')}` })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().name, 'a b/c')
  })

  test('a connector name longer than 100 characters is served', async () => {
    const name = 'c'.repeat(300)
    await create(name)
    const res = await server.app.inject({ method: 'GET', url: `/connectors/${name}/status` })
    assert.equal(res.statusCode, 200)
  })
})
