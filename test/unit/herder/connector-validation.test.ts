// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config-provider references are ${...} on purpose
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { BadRequestError, NotFoundError } from '../../../src/errors.ts'
import {
  invalidConfigError,
  pluginConfigKeys,
  validateConnectorConfig,
} from '../../../src/herder/connector-validation.ts'
import type { ConfigInfos } from '../../../src/herder/herder.ts'
import { TSCONNECT_VERSION } from '../../../src/util/version.ts'
import { demoRegistry } from '../../support/demo-plugins.ts'

const ctx = { plugins: demoRegistry(), workerGroupId: 'connect-cluster' }

function errorsOf(infos: ConfigInfos): Record<string, string[]> {
  return Object.fromEntries(
    infos.configs.flatMap((c) =>
      c.value !== null && c.value.errors.length > 0 ? [[c.value?.name, c.value.errors]] : [],
    ),
  )
}

describe('connector config validation', () => {
  test('a valid source config has no errors, and lists framework keys, then the connector keys', async () => {
    const infos = await validateConnectorConfig(ctx, { name: 's', 'connector.class': 'DemoSource', topic: 't' })
    assert.equal(infos.error_count, 0, JSON.stringify(errorsOf(infos)))
    assert.equal(infos.name, 'DemoSource', 'named after connector.class as given, as Java does')
    const names = infos.configs.map((c) => c.value?.name)
    assert.ok(names.indexOf('connector.class') < names.indexOf('topic'))
    assert.deepEqual(infos.groups.slice(0, 2), ['Common', 'Transforms'])
    const tasksMax = infos.configs.find((c) => c.value?.name === 'tasks.max')
    assert.equal(tasksMax?.definition?.default_value, '1')
    assert.equal(tasksMax?.definition?.order_in_group, 4, 'after connector.plugin.version, as in Kafka 4.3')
    const version = infos.configs.find((c) => c.value?.name === 'connector.plugin.version')
    assert.equal(version?.definition?.default_value, '1.0', "the connector's version")
    assert.deepEqual(version?.value?.recommended_values, ['1.0'])
  })

  test("shows the worker's converters as defaults, every converter class as recommended, and their versions", async () => {
    const withWorker = { ...ctx, workerConverters: { key: 'JsonConverter', header: 'SimpleHeaderConverter' } }
    const infos = await validateConnectorConfig(withWorker, {
      name: 's',
      'connector.class': 'DemoSource',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    })
    const config = (name: string) => infos.configs.find((c) => c.value?.name === name)
    assert.equal(config('key.converter')?.definition?.default_value, 'org.apache.kafka.connect.json.JsonConverter')
    assert.equal(config('key.converter')?.value?.value, 'org.apache.kafka.connect.json.JsonConverter')
    assert.ok(
      config('key.converter')?.value?.recommended_values.includes('org.apache.kafka.connect.storage.StringConverter'),
    )
    assert.ok(
      config('header.converter')?.value?.recommended_values.includes(
        'org.apache.kafka.connect.storage.SimpleHeaderConverter',
      ),
    )
    // The version of the converter in effect: the config's where it names one, else the worker's.
    assert.equal(config('value.converter.plugin.version')?.value?.value, TSCONNECT_VERSION)
    assert.equal(config('key.converter.plugin.version')?.definition?.default_value, TSCONNECT_VERSION)
  })

  test('reports every problem at once, the connector keys included', async () => {
    const infos = await validateConnectorConfig(ctx, { name: 's', 'connector.class': 'DemoSource', 'tasks.max': '0' })
    const errors = errorsOf(infos)
    assert.deepEqual(Object.keys(errors).sort(), ['tasks.max', 'topic'])
    assert.equal(infos.error_count, 2)
    const e = invalidConfigError(infos)
    assert.equal(e.key, 'tasks.max')
    assert.match(e.message, /^Connector configuration is invalid and contains the following 2 error\(s\):\n/)
  })

  test('a null value is reported as Java reports it', async () => {
    const infos = await validateConnectorConfig(ctx, { name: 's', 'connector.class': 'DemoSource', topic: null })
    assert.deepEqual(errorsOf(infos).topic, [
      'Missing required configuration "topic" which has no default value.',
      'Null value can not be supplied as the configuration value.',
    ])
  })

  test("a sink needs exactly one of topics and topics.regex, and a consumer group other than the workers'", async () => {
    const neither = await validateConnectorConfig(ctx, { name: 'k', 'connector.class': 'DemoSink' })
    assert.deepEqual(errorsOf(neither).topics, ['Must configure one of topics or topics.regex'])
    const both = await validateConnectorConfig(ctx, {
      name: 'k',
      'connector.class': 'DemoSink',
      topics: 'a',
      'topics.regex': 'a.*',
    })
    assert.match(errorsOf(both)['topics.regex']?.[0] ?? '', /mutually exclusive/)
    const clash = await validateConnectorConfig(ctx, { name: 'cluster', 'connector.class': 'DemoSink', topics: 'a' })
    assert.deepEqual(errorsOf(clash).name, [
      'Consumer group connect-cluster conflicts with Connect worker group connect-cluster',
    ])
  })

  test('transforms are enriched with their own keys', async () => {
    const infos = await validateConnectorConfig(ctx, {
      name: 's',
      'connector.class': 'DemoSource',
      topic: 't',
      transforms: 'route',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
    })
    const errors = errorsOf(infos)
    assert.ok(errors['transforms.route.regex'], JSON.stringify(errors))
    assert.ok(infos.groups.includes('Transforms: route'))
  })

  test('a value from a config provider is validated resolved but shown as its reference', async () => {
    const infos = await validateConnectorConfig(
      {
        ...ctx,
        resolve: async (c) => ({
          ...c,
          'tasks.max': c['tasks.max'] === '${env:TASKS}' ? '0' : (c['tasks.max'] ?? null),
        }),
      },
      { name: 's', 'connector.class': 'DemoSource', topic: 't', 'tasks.max': '${env:TASKS}' },
    )
    const tasksMax = infos.configs.find((c) => c.value?.name === 'tasks.max')
    assert.equal(tasksMax?.value?.value, '${env:TASKS}')
    assert.match(tasksMax?.value?.errors[0] ?? '', /Value must be at least 1/)
    assert.doesNotMatch(JSON.stringify(infos), /Invalid value 0 /)
  })

  test('without connector.class, or with an unknown one, the request is bad', async () => {
    await assert.rejects(
      validateConnectorConfig(ctx, { name: 'x' }),
      (e: unknown) => e instanceof BadRequestError && /contains no connector type/.test(e.message),
    )
    await assert.rejects(validateConnectorConfig(ctx, { 'connector.class': 'Nope' }), BadRequestError)
  })

  test("a plugin's config definition lists its keys, then the framework's", () => {
    const keys = pluginConfigKeys(ctx.plugins, 'DemoSource')
    assert.equal(keys[0]?.name, 'topic')
    assert.ok(keys.some((k) => k.name === 'tasks.max'))
    assert.throws(() => pluginConfigKeys(ctx.plugins, 'Nope'), NotFoundError)
  })
})
