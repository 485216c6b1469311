import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { envNameToKey, parseOverrides, propertiesFromEnv } from '../../../src/cli/overrides.ts'
import { ConfigError } from '../../../src/errors.ts'

describe('worker properties from the environment', () => {
  test('maps CONNECT_ names to dotted keys', () => {
    assert.equal(envNameToKey('CONNECT_BOOTSTRAP_SERVERS'), 'bootstrap.servers')
    assert.equal(envNameToKey('CONNECT_REST_ADVERTISED_HOST_NAME'), 'rest.advertised.host.name')
  })

  test('double underscores stand for underscores and triple ones for dashes', () => {
    assert.equal(envNameToKey('CONNECT_CONFIG_PROVIDERS_MY__FILE_CLASS'), 'config.providers.my_file.class')
    assert.equal(envNameToKey('CONNECT_SOME___DASHED_KEY'), 'some-dashed.key')
  })

  test('takes only CONNECT_ variables', () => {
    assert.deepEqual(
      propertiesFromEnv({ CONNECT_GROUP_ID: 'g', PATH: '/bin', CONNECT_: 'x', TSCONNECT_LOG_LEVEL: 'info' }),
      {
        'group.id': 'g',
      },
    )
  })
})

describe('--override arguments', () => {
  test('reads both spellings and keeps = inside values', () => {
    assert.deepEqual(parseOverrides(['w.properties', '--override', 'a=1', '--override=b=x=y']), { a: '1', b: 'x=y' })
  })

  test('rejects an override without key=value', () => {
    assert.throws(() => parseOverrides(['--override', 'novalue']), ConfigError)
    assert.throws(() => parseOverrides(['--override']), ConfigError)
  })
})
