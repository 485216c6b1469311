/** The tool connectors answer to Java's class names and aliases; MockConnector is no plugin, as in Java. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { toolConnectorPlugins } from '../../../../src/connectors/tools/plugins.ts'
import { PluginRegistry } from '../../../../src/plugins/registry.ts'

describe('the tool connector plugins', () => {
  const registry = new PluginRegistry(toolConnectorPlugins())

  test('are listed under their Java class names, sources and sinks', () => {
    assert.deepEqual(
      registry
        .list()
        .map((p) => `${p.type} ${p.class}`)
        .sort(),
      [
        'sink org.apache.kafka.connect.tools.MockSinkConnector',
        'sink org.apache.kafka.connect.tools.VerifiableSinkConnector',
        'source org.apache.kafka.connect.tools.MockSourceConnector',
        'source org.apache.kafka.connect.tools.SchemaSourceConnector',
        'source org.apache.kafka.connect.tools.VerifiableSourceConnector',
      ],
    )
  })

  test('resolve by class name, simple name and pruned name', () => {
    for (const name of [
      'org.apache.kafka.connect.tools.VerifiableSourceConnector',
      'VerifiableSourceConnector',
      'VerifiableSource',
    ]) {
      assert.equal(
        registry.resolve('connector', name).displayName,
        'org.apache.kafka.connect.tools.VerifiableSourceConnector',
      )
    }
    assert.equal(registry.resolve('sink', 'MockSink').displayName, 'org.apache.kafka.connect.tools.MockSinkConnector')
    assert.throws(() => registry.resolve('connector', 'MockConnector'))
  })
})
