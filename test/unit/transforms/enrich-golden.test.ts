/**
 * The transform and predicate keys of a connector config, declared and validated as Kafka 4.3.1's
 * ConnectorConfig.enrich does: test/fixtures/transforms/enrich-golden.txt is what the Java worker's code printed for
 * the config below (EnrichGolden.java, captured by capture.sh), one key per line.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { predicatesConfigKey, transformsConfigKey } from '../../../src/config/connect/transform-keys.ts'
import { convertToString } from '../../../src/config/types.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'
import { enrichConnectorConfigDef } from '../../../src/transforms/enrich.ts'
import { registerBuiltinTransforms } from '../../../src/transforms/plugins.ts'
import { TSCONNECT_VERSION } from '../../../src/util/version.ts'

const PROPS = {
  'connector.class': 'org.apache.kafka.connect.tools.VerifiableSourceConnector',
  transforms: 'route,k,x',
  'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
  'transforms.route.regex': '(.*)',
  'transforms.route.replacement': '$1-copy',
  'transforms.route.predicate': 'notTest',
  'transforms.k.type': 'org.apache.kafka.connect.transforms.ValueToKey',
  'transforms.k.negate': 'true',
  'transforms.x.type': 'com.example.Nope',
  predicates: 'notTest',
  'predicates.notTest.type': 'TopicNameMatches',
  'predicates.notTest.pattern': 'test',
}

function render(def: ConfigDef, props: Record<string, string>): string[] {
  const values = def.validateAll(props)
  return [...def.configKeys.values()]
    .filter((k) => k.name.startsWith('transforms') || k.name.startsWith('predicates'))
    .map((k) => {
      const v = values.get(k.name)
      const dflt = k.hasDefault ? String(convertToString(k.defaultValue, k.type)) : '<none>'
      return [
        k.name,
        k.type,
        `default=${dflt}`,
        k.importance,
        k.group,
        k.orderInGroup,
        k.width,
        k.displayName,
        `doc=${k.documentation}`,
        `errors=[${v?.errorMessages.join(', ')}]`,
        `recommended=${v?.recommendedValues.length}`,
        `visible=${v?.visible}`,
      ].join(' | ')
    })
}

describe("Connector config enrichment matches Kafka 4.3.1's", () => {
  it('declares and validates the same keys, in the same order, with the same errors', () => {
    const registry = new PluginRegistry()
    registerBuiltinTransforms(registry)
    // The worker's connector definition: `transforms` and `predicates` come 12th and 13th in Java's Common group.
    const base = new ConfigDef().define(transformsConfigKey(12)).define(predicatesConfigKey(13))
    const ours = render(enrichConnectorConfigDef(registry, base, PROPS, false), PROPS)
    const java = readFileSync(new URL('../../fixtures/transforms/enrich-golden.txt', import.meta.url), 'utf8')
      .trimEnd()
      .split('\n')
      // Our built-ins carry tsconnect's version where Java's carry Kafka's.
      .map((line) => line.replace('default=4.3.1', `default=${TSCONNECT_VERSION}`))
    assert.deepEqual(ours, java)
  })
})
