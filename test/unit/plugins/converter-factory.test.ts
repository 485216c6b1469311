import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { builtinConverterPlugins } from '../../../src/converters/plugins.ts'
import { SimpleHeaderConverter } from '../../../src/converters/simple-header-converter.ts'
import { StringConverter } from '../../../src/converters/string-converter.ts'
import { Schema } from '../../../src/data/schema.ts'
import { ConfigError } from '../../../src/errors.ts'
import { newConverter, newHeaderConverter } from '../../../src/plugins/converter-factory.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'

const registry = new PluginRegistry(builtinConverterPlugins())
const worker = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
}
const text = (b: Uint8Array | null) => Buffer.from(b ?? []).toString()

describe('newConverter', () => {
  it('uses the worker converter with its prefixed settings', () => {
    const value = newConverter(registry, 'value', {}, worker)
    assert.ok(value instanceof JsonConverter)
    assert.equal(text(value.fromConnectData('t', Schema.INT32_SCHEMA, 1)), '1')
    assert.ok(newConverter(registry, 'key', {}, worker) instanceof StringConverter)
  })
  it('lets a connector name its own converter and settings', () => {
    const value = newConverter(registry, 'value', { 'value.converter': 'Json' }, worker)
    assert.equal(
      text(value.fromConnectData('t', Schema.INT32_SCHEMA, 1)),
      '{"schema":{"type":"int32","optional":false},"payload":1}',
    )
  })
  it('fails when no config names a converter', () => {
    assert.throws(() => newConverter(registry, 'key', {}, {}), ConfigError)
  })
})

describe('newHeaderConverter', () => {
  it('defaults to SimpleHeaderConverter', () => {
    assert.ok(newHeaderConverter(registry, {}, worker) instanceof SimpleHeaderConverter)
    assert.ok(newHeaderConverter(registry, { 'header.converter': 'JsonConverter' }, worker) instanceof JsonConverter)
  })
})
