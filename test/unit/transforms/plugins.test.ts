import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PluginRegistry } from '../../../src/plugins/registry.ts'
import { builtinTransformPlugins, registerBuiltinTransforms } from '../../../src/transforms/plugins.ts'

const TRANSFORMS = [
  'Cast$Key',
  'Cast$Value',
  'DropHeaders',
  'ExtractField$Key',
  'ExtractField$Value',
  'Filter',
  'Flatten$Key',
  'Flatten$Value',
  'HeaderFrom$Key',
  'HeaderFrom$Value',
  'HoistField$Key',
  'HoistField$Value',
  'InsertField$Key',
  'InsertField$Value',
  'InsertHeader',
  'MaskField$Key',
  'MaskField$Value',
  'RegexRouter',
  'ReplaceField$Key',
  'ReplaceField$Value',
  'SetSchemaMetadata$Key',
  'SetSchemaMetadata$Value',
  'TimestampConverter$Key',
  'TimestampConverter$Value',
  'TimestampRouter',
  'ValueToKey',
].map((n) => `org.apache.kafka.connect.transforms.${n}`)
const PREDICATES = ['HasHeaderKey', 'RecordIsTombstone', 'TopicNameMatches'].map(
  (n) => `org.apache.kafka.connect.transforms.predicates.${n}`,
)

function registry(): PluginRegistry {
  const r = new PluginRegistry()
  registerBuiltinTransforms(r)
  return r
}

describe('Built-in transform plugins', () => {
  it("resolve by every one of Java's class names", () => {
    const r = registry()
    for (const name of TRANSFORMS) assert.equal(r.resolve('transformation', name).displayName, name)
    for (const name of PREDICATES) assert.equal(r.resolve('predicate', name).displayName, name)
  })

  it("resolve by Java's unique aliases", () => {
    const r = registry()
    for (const alias of ['DropHeaders', 'Filter', 'InsertHeader', 'RegexRouter', 'TimestampRouter', 'ValueToKey']) {
      assert.equal(r.resolve('transformation', alias).displayName, `org.apache.kafka.connect.transforms.${alias}`)
    }
    for (const alias of ['HasHeaderKey', 'RecordIsTombstone', 'TopicNameMatches']) {
      assert.equal(r.resolve('predicate', alias).displayName, `org.apache.kafka.connect.transforms.predicates.${alias}`)
    }
  })

  it('have no alias "Key" or "Value", which several share, as in Java', () => {
    assert.equal(registry().find('transformation', 'Value'), undefined)
    assert.equal(registry().find('transformation', 'Key'), undefined)
  })

  it('resolve by our own class names too', () => {
    assert.equal(
      registry().resolve('transformation', 'InsertFieldValue').displayName,
      'org.apache.kafka.connect.transforms.InsertField$Value',
    )
  })

  it("are listed by REST under Java's names, with a version", () => {
    const listed = registry().list(false)
    assert.deepEqual(
      listed.map((p) => p.class),
      [...TRANSFORMS, ...PREDICATES],
    )
    assert.ok(listed.every((p) => typeof p.version === 'string'))
    assert.deepEqual([...new Set(listed.map((p) => p.type))], ['transformation', 'predicate'])
  })

  it('make working instances with a config definition', () => {
    for (const descriptor of builtinTransformPlugins()) {
      const instance = new descriptor.plugin()
      assert.ok('config' in instance && typeof instance.config === 'function', descriptor.javaClassName)
    }
  })

  it('can be registered twice without error', () => {
    const r = registry()
    assert.doesNotThrow(() => registerBuiltinTransforms(r))
  })
})
