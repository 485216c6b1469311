/**
 * The converters a connector config names itself are validated as Java's AbstractHerder.validateConverterConfig
 * does: their class, and their own keys under the converter's prefix (expectations from Java's
 * ConnectorValidationIntegrationTest).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { StringConverter } from '../../../src/converters/string-converter.ts'
import { validateConnectorConfig } from '../../../src/herder/connector-validation.ts'
import type { ConfigInfos } from '../../../src/herder/herder.ts'
import { demoRegistry } from '../../support/demo-plugins.ts'

class ThrowingConverter extends StringConverter {
  constructor() {
    super()
    throw new Error('no converter today')
  }
}

class NoConfigDefConverter extends StringConverter {
  override config() {
    return undefined as never
  }
}

function registry() {
  const plugins = demoRegistry()
  plugins.register({ type: 'converter', plugin: ThrowingConverter, className: 'com.example.ThrowingConverter' })
  plugins.register({ type: 'converter', plugin: NoConfigDefConverter, className: 'com.example.NoConfigDefConverter' })
  return plugins
}

const ctx = { plugins: registry(), workerGroupId: 'connect-cluster' }
const sink = { name: 'k', 'connector.class': 'DemoSink', topics: 't' }

function errorsOf(infos: ConfigInfos): Record<string, string[]> {
  return Object.fromEntries(
    infos.configs.flatMap((c) =>
      c.value !== null && c.value.errors.length > 0 ? [[c.value.name, c.value.errors]] : [],
    ),
  )
}

function configNamed(infos: ConfigInfos, name: string) {
  return infos.configs.find((c) => c.value?.name === name)
}

describe('converter validation', () => {
  test("a converter's own keys are listed under its prefix, with their declarations", async () => {
    const infos = await validateConnectorConfig(ctx, {
      ...sink,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    })
    assert.equal(infos.error_count, 0, JSON.stringify(errorsOf(infos)))
    const schemas = configNamed(infos, 'value.converter.schemas.enable')
    assert.equal(schemas?.value?.value, 'false')
    assert.equal(schemas?.definition?.name, 'value.converter.schemas.enable')
    assert.equal(schemas?.definition?.type, 'BOOLEAN')
    assert.equal(configNamed(infos, 'value.converter.converter.type')?.value?.value, 'value')
    assert.equal(infos.configs.at(-1)?.value?.name.startsWith('value.converter.'), true)
  })

  test('a bad value of a converter key is an error on the prefixed key', async () => {
    const infos = await validateConnectorConfig(ctx, {
      ...sink,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'notaboolean',
    })
    assert.equal(infos.error_count, 1)
    assert.deepEqual(errorsOf(infos), {
      'key.converter.schemas.enable': [
        'Invalid value notaboolean for configuration schemas.enable: Expected value to be either true or false',
      ],
    })
  })

  test('a converter class that is not installed is an error on the converter key', async () => {
    const infos = await validateConnectorConfig(ctx, { ...sink, 'key.converter': 'WheresTheFruit' })
    assert.equal(infos.error_count, 1)
    assert.deepEqual(errorsOf(infos), {
      'key.converter': [
        'Invalid value WheresTheFruit for configuration key.converter: Class WheresTheFruit could not be found.',
      ],
    })
  })

  test('a plugin of another kind is not a converter', async () => {
    const plugins = ctx.plugins
    const connector = plugins.find('connector', 'DemoSink')?.className ?? ''
    const infos = await validateConnectorConfig(ctx, { ...sink, 'header.converter': connector })
    assert.deepEqual(errorsOf(infos), {
      'header.converter': [`Class class ${connector} does not implement the HeaderConverter interface`],
    })
  })

  test('a converter that cannot be created fails validation on its key', async () => {
    const infos = await validateConnectorConfig(ctx, { ...sink, 'key.converter': 'com.example.ThrowingConverter' })
    assert.equal(infos.error_count, 1)
    assert.deepEqual(errorsOf(infos), {
      'key.converter': ['Failed to load class com.example.ThrowingConverter: no converter today'],
    })
  })

  test('a converter without a ConfigDef passes, as Java lets older converters pass', async () => {
    const infos = await validateConnectorConfig(ctx, {
      ...sink,
      'value.converter': 'com.example.NoConfigDefConverter',
      'value.converter.anything': 'x',
    })
    assert.equal(infos.error_count, 0, JSON.stringify(errorsOf(infos)))
  })

  test("the worker's converters and keys without a converter class are not validated here", async () => {
    const infos = await validateConnectorConfig(ctx, { ...sink, 'value.converter.schemas.enable': 'notaboolean' })
    assert.equal(infos.error_count, 0)
    assert.equal(configNamed(infos, 'value.converter.schemas.enable'), undefined)
  })
})
