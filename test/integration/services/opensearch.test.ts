/**
 * The run's OpenSearch is a real search server: an indexed document is found by a full-text search.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testOpenSearch } from '../../support/services.ts'

async function call(url: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = (await response.json()) as Record<string, unknown>
  assert.ok(response.ok, `${method} ${url}: HTTP ${response.status} ${JSON.stringify(json)}`)
  return json
}

test('a document indexed in OpenSearch is found by a match query', async (t) => {
  const os = await testOpenSearch(t)
  const info = await call(os.url, 'GET')
  assert.equal((info.version as { distribution?: string }).distribution, 'opensearch')

  await call(`${os.url}/${os.index}/_doc/1?refresh=true`, 'PUT', { name: 'Ada Lovelace', topic: 'engines' })
  await call(`${os.url}/${os.index}/_doc/2?refresh=true`, 'PUT', { name: 'Alan Turing', topic: 'machines' })
  const found = await call(`${os.url}/${os.index}/_search`, 'POST', { query: { match: { name: 'lovelace' } } })
  const hits = (found.hits as { hits: { _id: string; _source: { name: string } }[] }).hits
  assert.deepEqual(
    hits.map((h) => [h._id, h._source.name]),
    [['1', 'Ada Lovelace']],
  )
})
