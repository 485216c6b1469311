/**
 * A connector's client overrides are validated against the worker's connector.client.config.override.policy, as
 * Java's AbstractHerder.validateClientOverrides (expectations from Java's AbstractHerderTest and its policies).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { invalidConfigError, validateConnectorConfig } from '../../../src/herder/connector-validation.ts'
import type { ConfigInfos } from '../../../src/herder/herder.ts'
import { clientsUsed } from '../../../src/herder/override-validation.ts'
import { demoRegistry } from '../../support/demo-plugins.ts'

const plugins = demoRegistry()
const source = { name: 'connector-name', 'connector.class': 'DemoSource', topic: 't' }
const sink = { name: 'k', 'connector.class': 'DemoSink', topics: 't' }

function ctx(policy?: string, extra: Record<string, string> = {}) {
  const workerConfig = policy === undefined ? extra : { 'connector.client.config.override.policy': policy, ...extra }
  return { plugins, workerGroupId: 'connect-cluster', workerConfig }
}

function errorsOf(infos: ConfigInfos): Record<string, string[]> {
  return Object.fromEntries(
    infos.configs.flatMap((c) =>
      c.value !== null && c.value.errors.length > 0 ? [[c.value.name, c.value.errors]] : [],
    ),
  )
}

function configNamed(infos: ConfigInfos, name: string) {
  return infos.configs.find((c) => c.value?.name === name)?.value
}

describe('client override validation', () => {
  test('the Principal policy allows the SASL keys only, with Java’s message for the others', async () => {
    const infos = await validateConnectorConfig(ctx('Principal'), {
      ...source,
      'producer.override.acks': 'none',
      'producer.override.sasl.jaas.config': 'jaas_config',
    })
    assert.equal(infos.error_count, 1)
    assert.deepEqual(errorsOf(infos), {
      'producer.override.acks': [
        "The 'Principal' policy does not allow 'acks' to be overridden in the connector configuration.",
      ],
    })
    assert.deepEqual(configNamed(infos, 'producer.override.sasl.jaas.config')?.errors, [])
  })

  test('the None policy allows no override, Java’s class name naming it as well', async () => {
    for (const policy of [
      'None',
      'org.apache.kafka.connect.connector.policy.NoneConnectorClientConfigOverridePolicy',
    ]) {
      const infos = await validateConnectorConfig(ctx(policy), { ...sink, 'consumer.override.max.poll.records': '10' })
      assert.deepEqual(errorsOf(infos), {
        'consumer.override.max.poll.records': [
          "The 'None' policy does not allow 'max.poll.records' to be overridden in the connector configuration.",
        ],
      })
    }
  })

  test('the All policy, the default, allows every override and echoes each value as given', async () => {
    const overrides = {
      'producer.override.security.protocol': 'SASL_PLAINTEXT',
      'producer.override.max.request.size': '420',
      'producer.override.max.block.ms': '28980',
      'producer.override.enable.idempotence': 'true',
      'producer.override.bootstrap.servers': 'SASL_PLAINTEXT://localhost:12345,SASL_PLAINTEXT://localhost:23456',
    }
    for (const c of [ctx('All'), ctx()]) {
      const infos = await validateConnectorConfig(c, { ...source, ...overrides })
      assert.equal(infos.error_count, 0)
      for (const [k, v] of Object.entries(overrides)) assert.equal(configNamed(infos, k)?.value, v)
    }
  })

  test('a secret override shows as [hidden], as a PASSWORD client key does in Java', async () => {
    const infos = await validateConnectorConfig(ctx('All'), {
      ...source,
      'producer.override.sasl.jaas.config': 'org.example.Login required password="s3cret";',
    })
    assert.equal(configNamed(infos, 'producer.override.sasl.jaas.config')?.value, '[hidden]')
  })

  test('overrides of a client the connector does not use are not judged', async () => {
    // A sink without a dead letter queue has no producer; a source without topic creation has no admin client.
    const sinkInfos = await validateConnectorConfig(ctx('None'), { ...sink, 'producer.override.acks': '1' })
    assert.equal(sinkInfos.error_count, 0)
    assert.equal(configNamed(sinkInfos, 'producer.override.acks'), undefined)
    const sourceInfos = await validateConnectorConfig(ctx('None'), { ...source, 'admin.override.retries': '1' })
    assert.equal(sourceInfos.error_count, 0)
  })

  test('creating a connector the policy refuses fails with Java’s message naming the key', async () => {
    const infos = await validateConnectorConfig(ctx('None'), { ...source, 'producer.override.linger.ms': '5' })
    const error = invalidConfigError(infos)
    assert.equal(error.key, 'producer.override.linger.ms')
    assert.match(error.message, /The 'None' policy does not allow 'linger.ms' to be overridden/)
  })

  test('which clients a connector uses, as Java’s distributed herder decides', () => {
    assert.deepEqual(clientsUsed('source', {}, {}), ['producer'])
    assert.deepEqual(clientsUsed('source', { 'topic.creation.default.partitions': '1' }, {}), ['producer', 'admin'])
    assert.deepEqual(clientsUsed('source', {}, { 'exactly.once.source.support': 'enabled' }), [
      'producer',
      'admin',
      'consumer',
    ])
    assert.deepEqual(clientsUsed('source', { 'offsets.storage.topic': 'own' }, {}), ['producer', 'admin', 'consumer'])
    assert.deepEqual(clientsUsed('sink', {}, {}), ['consumer'])
    assert.deepEqual(clientsUsed('sink', { 'errors.deadletterqueue.topic.name': 'dlq' }, {}), [
      'producer',
      'admin',
      'consumer',
    ])
  })
})
