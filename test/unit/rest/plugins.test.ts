import assert from 'node:assert/strict'
import { beforeEach, describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

// Config provider references, as a client writes them.
const USER_REF = `\${vault:db:user}`
const PASSWORD_REF = `\${vault:db:password}`

let herder: InMemoryHerder
let server: ReturnType<typeof testServer>

beforeEach(() => {
  herder = new InMemoryHerder({ secrets: { 'db:user': 'admin', 'db:password': 'hunter2' } })
  server = testServer(herder)
})

function validate(plugin: string, config: Record<string, unknown>) {
  return server.app.inject({ method: 'PUT', url: `/connector-plugins/${plugin}/config/validate`, payload: config })
}

function validatedValue(body: { configs: Array<{ value: { name: string; value: string | null } }> }, name: string) {
  return body.configs.find((c) => c.value.name === name)?.value
}

describe('GET /connector-plugins', () => {
  test('lists connector plugins only by default', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connector-plugins' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(
      res.json().map((p: { type: string }) => p.type),
      ['sink', 'source', 'source'],
    )
  })

  test('lists every plugin with connectorsOnly=false', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connector-plugins?connectorsOnly=false' })
    assert.ok(res.json().some((p: { type: string }) => p.type === 'converter'))
  })

  test('leaves out the version of a plugin without one', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connector-plugins' })
    const db = res.json().find((p: { class: string }) => p.class === 'org.example.DatabaseSourceConnector')
    assert.deepEqual(db, { class: 'org.example.DatabaseSourceConnector', type: 'source' })
  })
})

describe('GET /connector-plugins/{plugin}/config', () => {
  test('answers the plugin config definition, own keys first', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connector-plugins/FileStreamSource/config' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json()[0].name, 'file')
    assert.ok(res.json().some((k: { name: string }) => k.name === 'connector.class'))
  })

  test('answers 404 for an unknown plugin', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connector-plugins/Nope/config' })
    assert.equal(res.statusCode, 404)
    assert.deepEqual(res.json(), { error_code: 404, message: 'Unknown plugin Nope.' })
  })
})

describe('PUT /connector-plugins/{plugin}/config/validate', () => {
  test('answers the validation with its error count and the field at fault', async () => {
    const res = await validate('FileStreamSource', { 'connector.class': 'FileStreamSource', name: 'x' })
    assert.equal(res.statusCode, 200)
    const body = res.json()
    assert.equal(body.name, 'org.apache.kafka.connect.file.FileStreamSourceConnector')
    assert.equal(body.error_count, 1)
    assert.deepEqual(validatedValue(body, 'topic'), {
      name: 'topic',
      value: null,
      recommended_values: [],
      errors: ['Missing required configuration "topic" which has no default value.'],
      visible: true,
    })
  })

  test('accepts the full class name, the simple name and the alias alike', async () => {
    const connectorClass = 'org.apache.kafka.connect.file.FileStreamSourceConnector'
    for (const plugin of [connectorClass, 'FileStreamSourceConnector', 'FileStreamSource']) {
      const res = await validate(plugin, sourceConfig({ name: 'x', 'connector.class': connectorClass }))
      assert.equal(res.statusCode, 200, plugin)
    }
  })

  test('answers 400 when connector.class is another plugin', async () => {
    const res = await validate('FileStreamSink', sourceConfig())
    assert.equal(res.statusCode, 400)
    assert.equal(
      res.json().message,
      'Included connector type FileStreamSource does not match request type FileStreamSink',
    )
  })

  test('shows a password-typed value as [hidden]', async () => {
    const res = await validate('DatabaseSource', {
      'connector.class': 'DatabaseSource',
      name: 'db',
      'db.password': 'hunter2',
    })
    assert.equal(res.statusCode, 200)
    assert.equal(validatedValue(res.json(), 'db.password')?.value, '[hidden]')
    assert.doesNotMatch(res.body, /hunter2/)
  })

  test('shows a config provider reference as written, not resolved', async () => {
    const res = await validate('DatabaseSource', {
      'connector.class': 'DatabaseSource',
      name: 'db',
      'db.user': USER_REF,
      'db.password': PASSWORD_REF,
    })
    assert.equal(validatedValue(res.json(), 'db.user')?.value, USER_REF)
    assert.doesNotMatch(res.body, /admin|hunter2/)
  })

  test('reports a null value as an error of that field', async () => {
    const res = await validate('FileStreamSource', sourceConfig({ name: 'x', file: null as never }))
    assert.deepEqual(validatedValue(res.json(), 'file'), {
      name: 'file',
      value: null,
      recommended_values: [],
      errors: ['Null value can not be supplied as the configuration value.'],
      visible: true,
    })
  })

  test('answers 400 for a config without connector.class', async () => {
    const res = await validate('FileStreamSource', { name: 'x' })
    assert.equal(res.statusCode, 400)
  })
})
