import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SinkConnector, SourceConnector } from '../../../src/api/connector.ts'
import type { ConnectRecord } from '../../../src/api/records.ts'
import type { SinkTask, SourceTask } from '../../../src/api/task.ts'
import type { Transformation } from '../../../src/api/transformation.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { builtinConverterPlugins } from '../../../src/converters/plugins.ts'
import { StringConverter } from '../../../src/converters/string-converter.ts'
import { ConfigError, ConnectError } from '../../../src/errors.ts'
import { PluginRegistry, prunedName, simpleName } from '../../../src/plugins/registry.ts'

class FileStreamSourceConnector extends SourceConnector {
  version = () => '4.0.0'
  start() {}
  stop() {}
  config = () => new ConfigDef()
  taskConfigs = () => []
  taskClass(): new () => SourceTask {
    throw new Error('not needed')
  }
}

class FileStreamSinkConnector extends SinkConnector {
  version = () => '4.0.0'
  start() {}
  stop() {}
  config = () => new ConfigDef()
  taskConfigs = () => []
  taskClass(): new () => SinkTask {
    throw new Error('not needed')
  }
}

function transform(): new () => Transformation {
  return class implements Transformation {
    configure() {}
    apply(r: ConnectRecord) {
      return r
    }
    config = () => new ConfigDef()
    close() {}
  }
}

function registry(): PluginRegistry {
  return new PluginRegistry([
    ...builtinConverterPlugins(),
    {
      type: 'source',
      plugin: FileStreamSourceConnector,
      javaClassName: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    },
    {
      type: 'sink',
      plugin: FileStreamSinkConnector,
      javaClassName: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    },
    {
      type: 'transformation',
      plugin: transform(),
      className: 'InsertFieldValue',
      javaClassName: 'org.apache.kafka.connect.transforms.InsertField$Value',
    },
    {
      type: 'transformation',
      plugin: transform(),
      className: 'CastValue',
      javaClassName: 'org.apache.kafka.connect.transforms.Cast$Value',
    },
  ])
}

describe('simpleName and prunedName', () => {
  it('follow Java PluginUtils', () => {
    assert.equal(simpleName('org.apache.kafka.connect.json.JsonConverter'), 'JsonConverter')
    assert.equal(simpleName('org.apache.kafka.connect.transforms.InsertField$Value'), 'Value')
    assert.equal(prunedName('org.apache.kafka.connect.json.JsonConverter', 'converter'), 'Json')
    assert.equal(prunedName('org.apache.kafka.connect.json.JsonConverter', 'header_converter'), 'JsonConverter')
    assert.equal(prunedName('org.apache.kafka.connect.storage.SimpleHeaderConverter', 'header_converter'), 'Simple')
    assert.equal(prunedName('FileStreamSourceConnector', 'source'), 'FileStreamSource')
    assert.equal(prunedName('ConnectorOnly', 'sink'), 'ConnectorOnly')
  })
})

describe('PluginRegistry.resolve', () => {
  const r = registry()
  it('finds a plugin by its own name, its Java class name and its aliases', () => {
    for (const name of ['JsonConverter', 'org.apache.kafka.connect.json.JsonConverter', 'Json']) {
      assert.equal(r.resolve('converter', name).plugin, JsonConverter, name)
    }
    assert.equal(
      r.resolve('header_converter', 'org.apache.kafka.connect.storage.StringConverter').plugin,
      StringConverter,
    )
    assert.equal(r.resolve('connector', 'FileStreamSource').plugin, FileStreamSourceConnector)
    assert.equal(
      r.resolve('connector', 'org.apache.kafka.connect.file.FileStreamSinkConnector').plugin,
      FileStreamSinkConnector,
    )
    assert.equal(r.resolve('header_converter', 'SimpleHeaderConverter').className, 'SimpleHeaderConverter')
  })
  it('resolves inner-class transforms by their Java names but not by the ambiguous simple name', () => {
    assert.equal(
      r.resolve('transformation', 'org.apache.kafka.connect.transforms.InsertField$Value').className,
      'InsertFieldValue',
    )
    assert.equal(r.aliases().has('Value'), false)
    assert.equal(r.find('transformation', 'Value'), undefined)
  })
  it('keeps plugin types apart', () => {
    assert.equal(r.find('converter', 'FileStreamSource'), undefined)
    assert.equal(r.find('converter', 'SimpleHeaderConverter'), undefined)
  })
  it('says what exists when nothing matches, as Java does', () => {
    assert.throws(
      () => r.resolve('connector', 'Nope'),
      (e: unknown) =>
        e instanceof ConnectError &&
        e.code === 'NOT_FOUND' &&
        e.message.startsWith(
          'Failed to find any class that implements Connector and which name matches Nope, available connectors are: PluginDesc{klass=org.apache.kafka.connect.file.FileStreamSourceConnector',
        ),
    )
  })
  it('rejects a connector name that matches several connectors by simple name', () => {
    class A extends FileStreamSinkConnector {}
    const twice = new PluginRegistry([
      { type: 'sink', plugin: A, className: 'com.a.DupConnector' },
      { type: 'sink', plugin: FileStreamSinkConnector, className: 'com.b.DupConnector' },
    ])
    assert.throws(
      () => twice.resolve('connector', 'Dup'),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith('More than one connector matches alias Dup.'),
    )
  })
  it('creates new instances', () => {
    const a = r.newInstance('converter', 'Json')
    assert.ok(a instanceof JsonConverter)
    assert.notEqual(a, r.newInstance('converter', 'Json'))
  })
})

describe('PluginRegistry.register', () => {
  it('ignores the same plugin twice and rejects two classes under one name', () => {
    const r = new PluginRegistry()
    r.register({ type: 'converter', plugin: JsonConverter })
    r.register({ type: 'converter', plugin: JsonConverter })
    assert.equal(r.plugins('converter').length, 1)
    assert.throws(
      () => r.register({ type: 'converter', plugin: StringConverter, className: 'JsonConverter' }),
      ConfigError,
    )
  })
})

describe('PluginRegistry.list', () => {
  it('lists connectors with class, type and version as GET /connector-plugins', () => {
    assert.deepEqual(registry().list(), [
      { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '4.0.0' },
      { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.0.0' },
    ])
  })
  it('lists every type with connectorsOnly=false in Java order, leaving out an unknown version', () => {
    const all = registry().list(false)
    assert.deepEqual(
      [...new Set(all.map((p) => p.type))],
      ['sink', 'source', 'transformation', 'converter', 'header_converter'],
    )
    assert.ok(
      all.some((p) => p.class === 'org.apache.kafka.connect.json.JsonConverter' && p.type === 'header_converter'),
    )
    const value = all.find((p) => p.class === 'org.apache.kafka.connect.transforms.Cast$Value')
    assert.deepEqual(value, { class: 'org.apache.kafka.connect.transforms.Cast$Value', type: 'transformation' })
  })
})
