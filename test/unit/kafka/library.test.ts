/**
 * @platformatic/kafka loaded with its option schemas compiled on first use (library.ts): each schema is compiled
 * when its validator first runs, and the validators answer as the library's eager ones do.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createProducer } from '../../../src/kafka/clients.ts'
import { deferSchemaCompilation, kafkaLibrary } from '../../../src/kafka/library.ts'

/** A stand-in for ajv: counts compilations; its validators accept strings and keep an error otherwise. */
function fakeAjv() {
  const compiled: unknown[] = []
  const ajv = {
    compile(schema: unknown) {
      compiled.push(schema)
      const validator = (data: unknown) => {
        validator.errors = typeof data === 'string' ? null : [{ message: 'must be string' }]
        return validator.errors === null
      }
      validator.errors = null as unknown
      return validator
    },
  }
  return { ajv, compiled }
}

describe('the Kafka client library', () => {
  test('a schema is compiled when its validator first runs, once', () => {
    const { ajv, compiled } = fakeAjv()
    assert.equal(deferSchemaCompilation(ajv), true)
    const validate = ajv.compile({ type: 'string' })
    assert.equal(compiled.length, 0)
    assert.equal(validate('a'), true)
    assert.equal(validate(1), false)
    assert.equal(compiled.length, 1)
  })

  test('a deferred validator keeps the errors of its last call, as an ajv validator does', () => {
    const { ajv } = fakeAjv()
    deferSchemaCompilation(ajv)
    const validate = ajv.compile({ type: 'string' })
    assert.equal(validate.errors, null)
    validate(1)
    assert.deepEqual(validate.errors, [{ message: 'must be string' }])
    validate('a')
    assert.equal(validate.errors, null)
  })

  test('something that is not an ajv instance is left alone', () => {
    assert.equal(deferSchemaCompilation(undefined), false)
    assert.equal(deferSchemaCompilation({}), false)
  })

  test('the library’s strict mode still rejects bad client options with its own message', () => {
    assert.throws(
      () => new kafkaLibrary.Producer({ clientId: 'c', bootstrapBrokers: ['127.0.0.1:1'], timeout: -5, strict: true }),
      { message: '/options/timeout must be >= 0.' },
    )
  })

  test('a client made from good properties passes the library’s checks', async () => {
    const producer = createProducer({ 'bootstrap.servers': '127.0.0.1:1', 'client.id': 'library-test' })
    await producer.close()
  })
})
