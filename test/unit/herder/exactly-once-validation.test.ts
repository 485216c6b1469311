/**
 * The exactly-once preflight checks of the validate endpoint (KIP-618), as a distributed worker makes them:
 * exactly.once.support=required and transaction.boundary=connector are checked against what the connector says.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  type ConnectorTransactionBoundaries,
  type ExactlyOnceSupport,
  SourceConnector,
} from '../../../src/api/connector.ts'
import { SourceTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { validateConnectorConfig } from '../../../src/herder/connector-validation.ts'
import type { ConfigInfos } from '../../../src/herder/herder.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'

/** What the connector under test answers. */
const answers: { support: ExactlyOnceSupport | null; boundaries: ConnectorTransactionBoundaries } = {
  support: null,
  boundaries: 'UNSUPPORTED',
}

class Task extends SourceTask {
  version = () => '1'
  start() {}
  poll = async () => null
  stop() {}
}

class EosSource extends SourceConnector {
  version = () => '1'
  start() {}
  taskClass = () => Task
  taskConfigs = () => [{}]
  stop() {}
  config = () => new ConfigDef()
  override exactlyOnceSupport(): ExactlyOnceSupport | null {
    return answers.support
  }
  override canDefineTransactionBoundaries(): ConnectorTransactionBoundaries {
    return answers.boundaries
  }
}

const plugins = new PluginRegistry([{ type: 'source', plugin: EosSource }])

async function errors(config: Record<string, string>, enabled: boolean | undefined): Promise<Record<string, string[]>> {
  const infos: ConfigInfos = await validateConnectorConfig(
    { plugins, workerGroupId: 'g', ...(enabled === undefined ? {} : { exactlyOnceSourceEnabled: enabled }) },
    { name: 'c', 'connector.class': 'EosSource', ...config },
  )
  return Object.fromEntries(
    infos.configs.flatMap((c) => (c.value && c.value.errors.length > 0 ? [[c.value.name, c.value.errors]] : [])),
  )
}

describe('exactly-once preflight validation', () => {
  test('required passes when the worker has support enabled and the connector says SUPPORTED', async () => {
    answers.support = 'SUPPORTED'
    assert.deepEqual(await errors({ 'exactly.once.support': 'required' }, true), {})
  })

  test('required fails on a worker without exactly-once source support', async () => {
    answers.support = 'SUPPORTED'
    assert.deepEqual(await errors({ 'exactly.once.support': 'required' }, false), {
      'exactly.once.support': ['This worker does not have exactly-once source support enabled.'],
    })
  })

  test('required fails when the connector says UNSUPPORTED, or cannot tell', async () => {
    answers.support = 'UNSUPPORTED'
    assert.deepEqual(await errors({ 'exactly.once.support': 'required' }, true), {
      'exactly.once.support': [
        'The connector does not support exactly-once semantics with the provided configuration.',
      ],
    })
    answers.support = null
    const [message] = (await errors({ 'exactly.once.support': 'required' }, true))['exactly.once.support'] ?? []
    assert.match(message ?? '', /^The connector does not implement the API required for preflight validation/)
  })

  test('requested is never checked', async () => {
    answers.support = 'UNSUPPORTED'
    assert.deepEqual(await errors({ 'exactly.once.support': 'requested' }, false), {})
  })

  test('transaction.boundary=connector needs a connector that can define transactions', async () => {
    answers.boundaries = 'UNSUPPORTED'
    assert.deepEqual(await errors({ 'transaction.boundary': 'connector' }, true), {
      'transaction.boundary': [
        'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
      ],
    })
    answers.boundaries = 'SUPPORTED'
    assert.deepEqual(await errors({ 'transaction.boundary': 'connector' }, true), {})
  })

  test('transaction.boundary.interval.ms must not be negative', async () => {
    assert.deepEqual(Object.keys(await errors({ 'transaction.boundary.interval.ms': '-1' }, true)), [
      'transaction.boundary.interval.ms',
    ])
  })

  test('a standalone worker (no exactly-once context) makes no preflight check', async () => {
    answers.support = 'UNSUPPORTED'
    assert.deepEqual(await errors({ 'exactly.once.support': 'required' }, undefined), {})
  })
})
