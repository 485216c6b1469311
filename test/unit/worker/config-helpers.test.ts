/**
 * The pieces of a task's set-up that are pure functions of configs: client settings under the override policy
 * (KIP-458), and topic creation groups (KIP-158).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { consumerConfigs, producerConfigs } from '../../../src/worker/client-configs.ts'
import { topicCreationGroups, topicSpecFor } from '../../../src/worker/topic-creation.ts'

describe('task client settings', () => {
  test('worker producer.* then connector producer.override.* win over the base values', () => {
    const p = producerConfigs(
      'c',
      2,
      { 'producer.override.linger.ms': '5' },
      { 'bootstrap.servers': 'k:9092', 'producer.linger.ms': '1', 'producer.acks': '1' },
    )
    assert.equal(p['client.id'], 'connector-producer-c-2')
    assert.equal(p['linger.ms'], '5')
    assert.equal(p.acks, '1')
  })

  test('sink consumers join connect-<name> unless consumer.override.group.id says otherwise', () => {
    assert.equal(consumerConfigs('s', 0, {}, {})['group.id'], 'connect-s')
    assert.equal(consumerConfigs('s', 0, { 'consumer.override.group.id': 'mine' }, {})['group.id'], 'mine')
  })

  test('the None and Principal policies reject overrides with Java message', () => {
    const worker = { 'connector.client.config.override.policy': 'None' }
    assert.throws(
      () => producerConfigs('c', 0, { 'producer.override.acks': '1' }, worker),
      /The 'None' policy does not allow 'acks' to be overridden in the connector configuration\./,
    )
    const principal = { 'connector.client.config.override.policy': 'Principal' }
    assert.equal(
      producerConfigs('c', 0, { 'producer.override.sasl.mechanism': 'PLAIN' }, principal)['sasl.mechanism'],
      'PLAIN',
    )
    assert.throws(() => producerConfigs('c', 0, { 'producer.override.acks': '1' }, principal), /'Principal' policy/)
  })
})

describe('topic creation groups', () => {
  const config = {
    'topic.creation.default.partitions': '3',
    'topic.creation.default.replication.factor': '-1',
    'topic.creation.groups': 'logs',
    'topic.creation.logs.include': 'logs-.*, audit',
    'topic.creation.logs.exclude': 'logs-secret',
    'topic.creation.logs.partitions': '1',
    'topic.creation.logs.cleanup.policy': 'compact',
  }

  test('off unless the worker allows it and the connector has topic.creation.* keys', () => {
    assert.equal(topicCreationGroups({}, {}), null)
    assert.equal(topicCreationGroups(config, { 'topic.creation.enable': 'false' }), null)
  })

  test('the first matching group wins, exclusion beats inclusion, and the default group takes the rest', () => {
    const groups = topicCreationGroups(config, {}) ?? []
    assert.deepEqual(topicSpecFor(groups, 'logs-app'), {
      name: 'logs-app',
      partitions: 1,
      replicationFactor: -1,
      configs: { 'cleanup.policy': 'compact' },
    })
    assert.equal(topicSpecFor(groups, 'audit').partitions, 1)
    assert.equal(topicSpecFor(groups, 'logs-secret').partitions, 3)
    assert.equal(topicSpecFor(groups, 'orders').partitions, 3)
  })

  test('the default group needs its partitions and replication factor', () => {
    assert.throws(() => topicCreationGroups({ 'topic.creation.default.partitions': '1' }, {}), /replication.factor/)
  })
})
