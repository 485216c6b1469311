import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseStandaloneConfig } from '../../../src/config/connect/standalone-config.ts'
import { ConfigError } from '../../../src/errors.ts'
import { createStandaloneHerder } from '../../../src/herder/standalone-herder.ts'
import { demoRegistry } from '../../support/demo-plugins.ts'
import { silentLog } from '../../support/rest.ts'
import { WorkerDouble } from '../../support/worker-double.ts'

const PROPS = {
  'offset.storage.file.filename': '/tmp/unused.offsets',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
}

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('timed out')
}

describe('the standalone config (StandaloneConfig)', () => {
  test('offset.storage.file.filename is required; group.id and the internal topics are not', () => {
    assert.equal(parseStandaloneConfig(PROPS).offsetFile, '/tmp/unused.offsets')
    assert.throws(
      () => parseStandaloneConfig({ ...PROPS, 'offset.storage.file.filename': ' ' }),
      (e: Error) => e instanceof ConfigError && e.key === 'offset.storage.file.filename',
    )
  })
})

describe('the standalone herder', () => {
  test('one process owns every connector and task, without a broker group; internal endpoints are refused', async () => {
    const plugins = demoRegistry()
    const { herder, rest } = createStandaloneHerder({
      config: parseStandaloneConfig(PROPS).worker,
      plugins,
      clusterId: async () => 'cluster-1',
      log: silentLog,
      createWorker: (workerId, _listener, statusStore) =>
        new WorkerDouble(workerId, statusStore, plugins, () => herder.core.generation),
    })
    await herder.start('http://127.0.0.1:8083/')
    try {
      const created = await until(() =>
        rest.putConnectorConfig(
          'src',
          { name: 'src', 'connector.class': 'DemoSourceConnector', topic: 't', 'tasks.max': '2' },
          { allowReplace: false },
        ),
      )
      assert.equal(created.created, true)
      assert.deepEqual(await rest.connectors(), ['src'])
      const status = await until(async () => {
        const s = await rest.connectorStatus('src')
        return s.connector.state === 'RUNNING' && s.tasks.length === 2 ? s : undefined
      })
      assert.equal(status.type, 'source')
      assert.equal(await rest.kafkaClusterId(), 'cluster-1')
      await assert.rejects(rest.putTaskConfigs('src', []), /standalone mode does not support externally setting task/)
      await assert.rejects(rest.fenceZombieSourceTasks('src'), /standalone mode does not support exactly-once/)
    } finally {
      await herder.stop()
    }
  })
})
