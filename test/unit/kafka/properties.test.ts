import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError } from '../../../src/errors.ts'
import { parseClientProperties, parseJaasOptions } from '../../../src/kafka/properties.ts'

describe('parseClientProperties', () => {
  test('splits bootstrap.servers and keeps client.id', () => {
    const s = parseClientProperties({ 'bootstrap.servers': 'a:9092, b:9093', 'client.id': 'w1' }, 'admin')
    assert.deepEqual(s.base.bootstrapBrokers, ['a:9092', 'b:9093'])
    assert.equal(s.base.clientId, 'w1')
    assert.deepEqual(s.warnings, [])
  })

  test('rejects a missing bootstrap.servers naming the key', () => {
    assert.throws(
      () => parseClientProperties({}, 'producer'),
      (e: unknown) => e instanceof ConfigError && e.key === 'bootstrap.servers',
    )
  })

  test("defaults producers to Java's acks=all with idempotence", () => {
    const s = parseClientProperties({ 'bootstrap.servers': 'k:9092' }, 'producer')
    assert.equal(s.producer.acks, -1)
    assert.equal(s.producer.idempotent, true)
  })

  test('maps acks and compression.type', () => {
    const s = parseClientProperties(
      { 'bootstrap.servers': 'k:9092', acks: '1', 'compression.type': 'ZSTD' },
      'producer',
    )
    assert.equal(s.producer.acks, 1)
    assert.equal(s.producer.compression, 'zstd')
  })

  test('rejects a bad value naming the key and the allowed values', () => {
    assert.throws(
      () => parseClientProperties({ 'bootstrap.servers': 'k:9092', acks: 'most' }, 'producer'),
      (e: unknown) => e instanceof ConfigError && e.key === 'acks' && /all, -1, 0, 1/.test(e.message),
    )
    assert.throws(
      () => parseClientProperties({ 'bootstrap.servers': 'k:9092', 'request.timeout.ms': 'soon' }, 'admin'),
      (e: unknown) => e instanceof ConfigError && e.key === 'request.timeout.ms',
    )
  })

  test('maps isolation.level for consumers', () => {
    const s = parseClientProperties({ 'bootstrap.servers': 'k:9092', 'isolation.level': 'read_committed' }, 'consumer')
    assert.equal(s.consumer.isolationLevel, 1)
  })

  test('warns about unknown keys, keys without effect and keys of another client kind', () => {
    const s = parseClientProperties(
      { 'bootstrap.servers': 'k:9092', 'linger.ms': '5', 'no.such.key': 'x', 'isolation.level': 'read_committed' },
      'producer',
    )
    assert.equal(s.warnings.length, 3)
    assert.match(s.warnings.join('\n'), /linger\.ms has no effect/)
    assert.match(s.warnings.join('\n'), /no\.such\.key is not a known producer property/)
    assert.match(s.warnings.join('\n'), /isolation\.level is a consumer property/)
  })

  test('accepts serializer keys silently, as Connect always moves bytes', () => {
    const s = parseClientProperties(
      { 'bootstrap.servers': 'k:9092', 'key.serializer': 'org.apache.kafka.common.serialization.ByteArraySerializer' },
      'producer',
    )
    assert.deepEqual(s.warnings, [])
  })

  test('turns SASL_SSL with PLAIN into TLS and SASL options', () => {
    const s = parseClientProperties(
      {
        'bootstrap.servers': 'k:9093',
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config':
          'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3\\"cret";',
        'ssl.endpoint.identification.algorithm': '',
      },
      'admin',
    )
    assert.deepEqual(s.base.sasl, { mechanism: 'PLAIN', username: 'alice', password: 's3"cret' })
    assert.equal(typeof s.base.tls?.checkServerIdentity, 'function')
  })

  test('rejects a JKS trust store with advice', () => {
    assert.throws(
      () =>
        parseClientProperties(
          { 'bootstrap.servers': 'k:9093', 'security.protocol': 'SSL', 'ssl.truststore.location': '/x.jks' },
          'admin',
        ),
      (e: unknown) => e instanceof ConfigError && e.key === 'ssl.truststore.type' && /PEM/.test(e.message),
    )
  })

  test('rejects GSSAPI, which Node clients cannot do', () => {
    assert.throws(
      () => parseClientProperties({ 'bootstrap.servers': 'k:9093', 'security.protocol': 'SASL_PLAINTEXT' }, 'admin'),
      (e: unknown) => e instanceof ConfigError && e.key === 'sasl.mechanism',
    )
  })
})

describe('parseJaasOptions', () => {
  test('reads quoted and bare options', () => {
    assert.deepEqual(parseJaasOptions('X required username="u" password=p;'), { username: 'u', password: 'p' })
  })
})
