import assert from 'node:assert/strict'
import { beforeEach, describe, test } from 'node:test'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { sourceConfig, testServer } from '../../support/rest.ts'

let herder: InMemoryHerder
let server: ReturnType<typeof testServer>

const OFFSET = { partition: { filename: '/tmp/in.txt' }, offset: { position: 42 } }

beforeEach(async () => {
  herder = new InMemoryHerder()
  server = testServer(herder)
  await server.app.inject({
    method: 'POST',
    url: '/connectors',
    payload: { name: 'files', config: sourceConfig(), initial_state: 'STOPPED' },
  })
})

describe('connector offsets', () => {
  test('GET answers the offsets', async () => {
    herder.connectorsByName.get('files')?.offsets.push(OFFSET)
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/offsets' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { offsets: [OFFSET] })
  })

  test('GET writes 64-bit offset values beyond 2^53 as exact JSON integers', async () => {
    herder.connectorsByName
      .get('files')
      ?.offsets.push({ partition: { server: 'pgsrv' }, offset: { lsn: 2n ** 63n - 1n } })
    const res = await server.app.inject({ method: 'GET', url: '/connectors/files/offsets' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.body, '{"offsets":[{"partition":{"server":"pgsrv"},"offset":{"lsn":9223372036854775807}}]}')
  })

  test('PATCH reads 64-bit offset values beyond 2^53 as bigints, not rounded numbers', async () => {
    const res = await server.app.inject({
      method: 'PATCH',
      url: '/connectors/files/offsets',
      headers: { 'content-type': 'application/json' },
      payload: '{"offsets":[{"partition":{"server":"pgsrv"},"offset":{"lsn":1796318608608456673,"txId":751}}]}',
    })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(herder.connectorsByName.get('files')?.offsets, [
      { partition: { server: 'pgsrv' }, offset: { lsn: 1796318608608456673n, txId: 751 } },
    ])
  })

  test('GET answers 404 for an unknown connector', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/connectors/nope/offsets' })
    assert.equal(res.statusCode, 404)
  })

  test('PATCH alters the offsets of a stopped connector', async () => {
    const res = await server.app.inject({
      method: 'PATCH',
      url: '/connectors/files/offsets',
      payload: { offsets: [OFFSET] },
    })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { message: 'The offsets for this connector have been altered successfully' })
    assert.deepEqual(herder.connectorsByName.get('files')?.offsets, [OFFSET])
  })

  test('PATCH answers 400 for an empty list', async () => {
    const res = await server.app.inject({ method: 'PATCH', url: '/connectors/files/offsets', payload: { offsets: [] } })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().message, 'Partitions / offsets need to be provided for an alter offsets request')
  })

  test('PATCH answers 400 while the connector is not stopped', async () => {
    herder.setTargetState('files', 'STARTED')
    const res = await server.app.inject({
      method: 'PATCH',
      url: '/connectors/files/offsets',
      payload: { offsets: [OFFSET] },
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.json().message, /^Connectors must be in the STOPPED state before their offsets can be modified/)
  })

  test('DELETE resets the offsets', async () => {
    herder.connectorsByName.get('files')?.offsets.push(OFFSET)
    const res = await server.app.inject({ method: 'DELETE', url: '/connectors/files/offsets' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { message: 'The offsets for this connector have been reset successfully' })
    assert.deepEqual(herder.connectorsByName.get('files')?.offsets, [])
  })
})
