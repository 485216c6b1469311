import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError } from '../../../src/errors.ts'
import {
  exactlyOnceSourceSupport,
  internalClientIdBase,
  internalClientProperties,
  internalTopicSettings,
} from '../../../src/stores/topic-settings.ts'

const worker = {
  'bootstrap.servers': 'k:9092',
  'group.id': 'connect-cluster',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
  'offset.storage.partitions': '10',
  'offset.storage.replication.factor': '-1',
  'offset.storage.segment.bytes': '1048576',
  'offset.storage.cleanup.policy': 'delete',
  'config.storage.partitions': '4',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
}

describe('internal topic settings from worker properties', () => {
  test('as DistributedConfig reads them: defaults, pass-through topic configs, cleanup.policy ignored', () => {
    const warnings: string[] = []
    const logger = { warn: (m: string) => warnings.push(m) }
    assert.deepEqual(internalTopicSettings(worker, 'offset', logger), {
      topic: 'connect-offsets',
      setting: 'offset.storage.topic',
      partitions: 10,
      replicationFactor: -1,
      configs: { 'segment.bytes': '1048576' },
    })
    assert.deepEqual(internalTopicSettings(worker, 'status'), {
      topic: 'connect-status',
      setting: 'status.storage.topic',
      partitions: 5,
      replicationFactor: 3,
      configs: {},
    })
    assert.equal(internalTopicSettings(worker, 'config', logger).partitions, 1)
    assert.equal(warnings.length, 2)
  })

  test('a missing topic or a bad count is a ConfigError naming the key', () => {
    assert.throws(
      () => internalTopicSettings({}, 'config'),
      (e: unknown) => e instanceof ConfigError && e.key === 'config.storage.topic',
    )
    assert.throws(
      () => internalTopicSettings({ ...worker, 'status.storage.partitions': '0' }, 'status'),
      (e: unknown) => e instanceof ConfigError && e.key === 'status.storage.partitions',
    )
    assert.throws(() => exactlyOnceSourceSupport({ 'exactly.once.source.support': 'maybe' }), ConfigError)
  })

  test("internal clients get the worker's client keys and Java's client ids", () => {
    assert.equal(internalClientIdBase(worker), 'connect-cluster-')
    assert.equal(internalClientIdBase({ ...worker, 'client.id': 'w1' }), 'connect-cluster-w1-')
    assert.deepEqual(internalClientProperties(worker, 'connect-cluster-configs'), {
      'bootstrap.servers': 'k:9092',
      'client.id': 'connect-cluster-configs',
    })
  })
})
