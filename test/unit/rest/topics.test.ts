import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

async function serverWithConnector(props: Record<string, string> = {}) {
  const herder = new InMemoryHerder()
  const server = testServer(herder, props)
  await server.app.inject({ method: 'POST', url: '/connectors', payload: { name: 'files', config: sourceConfig() } })
  herder.connectorsByName.get('files')?.topics.push('lines')
  return { herder, server }
}

describe('active topics', () => {
  test('GET answers the topics keyed by connector', async () => {
    const { server } = await serverWithConnector()
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/topics' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { files: { topics: ['lines'] } })
  })

  test('GET of an unknown connector answers an empty list, as Java does', async () => {
    const { server } = await serverWithConnector()
    const res = await server.app.inject({ method: 'GET', url: '/connectors/nope/topics' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { nope: { topics: [] } })
  })

  test('reset answers 202 and empties the list', async () => {
    const { herder, server } = await serverWithConnector()
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/topics/reset' })
    assert.equal(res.statusCode, 202)
    assert.deepEqual(herder.connectorsByName.get('files')?.topics, [])
  })

  test('GET answers 403 when topic tracking is disabled', async () => {
    const { server } = await serverWithConnector({ 'topic.tracking.enable': 'false' })
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/topics' })
    assert.equal(res.statusCode, 403)
    assert.deepEqual(res.json(), { error_code: 403, message: 'Topic tracking is disabled.' })
  })

  test('reset answers 403 when resets are disabled', async () => {
    const { server } = await serverWithConnector({ 'topic.tracking.allow.reset': 'false' })
    const res = await server.app.inject({ method: 'PUT', url: '/connectors/files/topics/reset' })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().message, 'Topic tracking reset is disabled.')
  })
})
