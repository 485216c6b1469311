import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConnectRecord } from '../../../src/api/records.ts'
import type { Transformation } from '../../../src/api/transformation.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { validateToConfigInfos } from '../../../src/config/config-infos.ts'
import { predicatesConfigKey, transformsConfigKey } from '../../../src/config/connect/transform-keys.ts'
import { builtinConverterPlugins } from '../../../src/converters/plugins.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'
import { enrichConnectorConfigDef } from '../../../src/transforms/enrich.ts'
import { registerBuiltinTransforms } from '../../../src/transforms/plugins.ts'
import { TSCONNECT_VERSION } from '../../../src/util/version.ts'

/** A transform that declares keys named like the implicit ones. */
class Shadowing implements Transformation {
  configure(): void {}
  apply<R extends ConnectRecord>(record: R): R {
    return record
  }
  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: 'predicate', type: 'INT', defaultValue: 1, importance: 'LOW', documentation: 'shadowed' })
      .define({ name: 'own', type: 'STRING', defaultValue: 'x', importance: 'LOW', documentation: 'own' })
  }
  close(): void {}
}

function registry(): PluginRegistry {
  const r = new PluginRegistry(builtinConverterPlugins())
  registerBuiltinTransforms(r)
  r.register({ type: 'transformation', plugin: Shadowing, className: 'com.example.Shadowing' })
  return r
}

const base = () => new ConfigDef().define(transformsConfigKey(1)).define(predicatesConfigKey(2))

function validate(props: Record<string, string>) {
  const def = enrichConnectorConfigDef(registry(), base(), props, false)
  return validateToConfigInfos('test', def, props)
}

function config(infos: ReturnType<typeof validate>, name: string) {
  const found = infos.configs.find((c) => (c.definition?.name ?? c.value?.name) === name)
  assert.ok(found, `no config ${name}`)
  return found
}

describe('Connector config enrichment', () => {
  const props = {
    transforms: 'route',
    'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
    'transforms.route.regex': '(.*)',
    'transforms.route.replacement': '$1-copy',
    'transforms.route.predicate': 'notTest',
    predicates: 'notTest',
    'predicates.notTest.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    'predicates.notTest.pattern': 'test',
  }

  it("adds type, plugin.version, predicate, negate and the transform keys under the alias, in Java's groups and orders", () => {
    const def = enrichConnectorConfigDef(registry(), base(), props, true)
    const rows = [...def.configKeys.values()]
      .filter((k) => k.name.startsWith('transforms.route.'))
      .map((k) => [k.name, k.group, k.orderInGroup])
    assert.deepEqual(rows, [
      ['transforms.route.type', 'Transforms: route', 0],
      ['transforms.route.plugin.version', 'Transforms: route', 1],
      ['transforms.route.regex', 'Transforms: route', 2],
      ['transforms.route.replacement', 'Transforms: route', 3],
      // Java's embed orders by name among keys of equal importance.
      ['transforms.route.negate', 'Transforms: route', 4],
      ['transforms.route.predicate', 'Transforms: route', 5],
    ])
    assert.deepEqual(def.groups, ['Transforms', 'Predicates', 'Transforms: route', 'Predicates: notTest'])
    assert.ok(def.configKeys.has('predicates.notTest.pattern'))
  })

  it('describes the type key as Java does', () => {
    const type = config(validate(props), 'transforms.route.type').definition
    assert.deepEqual(type, {
      name: 'transforms.route.type',
      type: 'CLASS',
      required: true,
      default_value: null,
      importance: 'HIGH',
      documentation: "Class for the 'route' transformation.",
      group: 'Transforms: route',
      order_in_group: 0,
      width: 'LONG',
      display_name: 'Transformation type for route',
      dependents: [],
    })
  })

  it('defaults plugin.version to the version of the named plugin', () => {
    const version = config(validate(props), 'transforms.route.plugin.version')
    assert.equal(version.definition?.default_value, TSCONNECT_VERSION)
    assert.deepEqual(version.value?.recommended_values, [TSCONNECT_VERSION])
  })

  it('recommends every transformation class for the type', () => {
    const recommended = config(validate(props), 'transforms.route.type').value?.recommended_values ?? []
    assert.ok(recommended.includes('org.apache.kafka.connect.transforms.InsertField$Value'))
    assert.ok(recommended.includes('com.example.Shadowing'))
    assert.ok(!recommended.includes('org.apache.kafka.connect.transforms.predicates.TopicNameMatches'))
  })

  it('validates without errors a config that is complete', () => {
    assert.equal(validate(props).error_count, 0)
  })

  it('reports a missing transform key under its prefixed name, then its validator under the plain name, as Java', () => {
    const infos = validate({ transforms: 'k', 'transforms.k.type': 'org.apache.kafka.connect.transforms.ValueToKey' })
    assert.deepEqual(config(infos, 'transforms.k.fields').value?.errors, [
      'Missing required configuration "transforms.k.fields" which has no default value.',
      // Kafka 4.3's list validator, which names the key without its prefix.
      "Configuration 'fields' values must not be null.",
    ])
  })

  it('reports an unknown class on the type key and leaves the plugin keys out', () => {
    const infos = validate({ transforms: 'x', 'transforms.x.type': 'com.example.Nope' })
    assert.deepEqual(config(infos, 'transforms.x.type').value?.errors, [
      'Invalid value com.example.Nope for configuration transforms.x.type: Class com.example.Nope could not be found.',
    ])
    assert.equal(
      infos.configs.some((c) => c.definition?.name === 'transforms.x.predicate'),
      false,
    )
  })

  it('reports a plugin of another type', () => {
    const infos = validate({ transforms: 'x', 'transforms.x.type': 'org.apache.kafka.connect.json.JsonConverter' })
    assert.deepEqual(config(infos, 'transforms.x.type').value?.errors, [
      'Class class org.apache.kafka.connect.json.JsonConverter does not implement the Transformation interface',
    ])
  })

  it('reports negate without predicate on the type key', () => {
    const infos = validate({ transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.negate': 'true' })
    assert.deepEqual(config(infos, 'transforms.f.type').value?.errors, [
      "Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated.",
    ])
  })

  it('reports a duplicate alias', () => {
    const infos = validate({ transforms: 'f,f', 'transforms.f.type': 'Filter' })
    assert.deepEqual(config(infos, 'transforms').value?.errors, [
      'Invalid value [f, f] for configuration transforms: Duplicate alias provided.',
    ])
  })

  it('hides transform keys named predicate or negate behind the implicit ones', () => {
    const def = enrichConnectorConfigDef(
      registry(),
      base(),
      { transforms: 's', 'transforms.s.type': 'com.example.Shadowing' },
      true,
    )
    assert.equal(def.configKeys.get('transforms.s.predicate')?.type, 'STRING')
    assert.ok(def.configKeys.has('transforms.s.own'))
  })

  it('gives predicates their type and keys but no predicate or negate', () => {
    const def = enrichConnectorConfigDef(registry(), base(), props, true)
    const names = [...def.configKeys.keys()].filter((n) => n.startsWith('predicates.notTest.'))
    assert.deepEqual(names, [
      'predicates.notTest.type',
      'predicates.notTest.plugin.version',
      'predicates.notTest.pattern',
    ])
    assert.equal(def.configKeys.get('predicates.notTest.type')?.displayName, 'Predicate type for notTest')
  })
})
