/**
 * The run's Apicurio Registry answers Confluent's Schema Registry REST calls: a registered Avro schema gets an id,
 * reads back by id and as the subject's latest version, and a schema the subject's BACKWARD rule refuses is a 409.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testSchemaRegistry } from '../../support/services.ts'

const CONTENT_TYPE = { 'content-type': 'application/vnd.schemaregistry.v1+json' }

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: CONTENT_TYPE,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, json: await response.json() }
}

test('a schema registered through the Confluent-compatible API reads back by id and as the latest version', async (t) => {
  const registry = await testSchemaRegistry(t)
  const subject = `${registry.topic()}-value`
  const schema = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}'
  const registered = await call(`${registry.url}/subjects/${subject}/versions`, 'POST', { schema })
  assert.equal(registered.status, 200)
  const { id } = registered.json as { id: number }

  assert.deepEqual((await call(`${registry.url}/schemas/ids/${id}`, 'GET')).json, { schema })
  assert.deepEqual((await call(`${registry.url}/subjects/${subject}/versions/latest`, 'GET')).json, {
    subject,
    version: 1,
    id,
    schema,
  })

  await call(`${registry.url}/config/${subject}`, 'PUT', { compatibility: 'BACKWARD' })
  const incompatible = await call(`${registry.url}/subjects/${subject}/versions`, 'POST', {
    schema: '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
  })
  assert.equal(incompatible.status, 409)
})
