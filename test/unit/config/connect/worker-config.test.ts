import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { reassignAtOncePolicy, scheduledDelayPolicy } from '../../../../src/assignors/lost-work.ts'
import { REST_CONFIG_DEF } from '../../../../src/config/connect/rest-config-def.ts'
import { workerConfigDocs } from '../../../../src/config/connect/standalone-config.ts'
import { parseWorkerConfig, WORKER_CONFIG_DEF } from '../../../../src/config/connect/worker-config.ts'
import { ConfigError } from '../../../../src/errors.ts'
import { coordinatorUnreachableMsOf, lostWorkPolicyOf } from '../../../../src/herder/group-settings.ts'
import { restConfigFromProperties } from '../../../../src/rest/config.ts'

const minimal = {
  'group.id': 'connect-cluster',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
}

function configErrorFor(props: Record<string, string>): ConfigError {
  try {
    parseWorkerConfig(props)
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e))
    return e
  }
  assert.fail('expected a ConfigError')
}

describe('the distributed worker config', () => {
  test("scheduled.rebalance.max.delay.ms not set: tsconnect's reassign-at-once policy; set, even to Java's default: Java's", () => {
    assert.equal(lostWorkPolicyOf(parseWorkerConfig(minimal)), reassignAtOncePolicy)
    const explicit = parseWorkerConfig({ ...minimal, 'scheduled.rebalance.max.delay.ms': '300000' })
    assert.equal(explicit.isSet('scheduled.rebalance.max.delay.ms'), true)
    assert.equal(lostWorkPolicyOf(explicit), scheduledDelayPolicy)
  })

  test("heartbeats every 1 s by default, yet gives its work up after Java's 3 s without a coordinator; set, both follow it", () => {
    const defaults = parseWorkerConfig(minimal)
    assert.equal(defaults.getInt('heartbeat.interval.ms'), 1000)
    assert.equal(coordinatorUnreachableMsOf(defaults), 3000)
    const explicit = parseWorkerConfig({ ...minimal, 'heartbeat.interval.ms': '2000' })
    assert.equal(coordinatorUnreachableMsOf(explicit), 2000)
  })

  test('automatic restarts are on by default: 10 attempts, 1 s doubling up to 60 s', () => {
    const config = parseWorkerConfig(minimal)
    assert.equal(config.getBoolean('tsconnect.auto.restart.enable'), true)
    assert.equal(config.getInt('tsconnect.auto.restart.max.attempts'), 10)
    assert.equal(config.getLong('tsconnect.auto.restart.initial.backoff.ms'), 1000)
    assert.equal(config.getLong('tsconnect.auto.restart.max.backoff.ms'), 60000)
  })

  test("takes Java's defaults for everything but the required keys (and tsconnect's own, specified above)", () => {
    const config = parseWorkerConfig(minimal)
    assert.deepEqual(config.getList('bootstrap.servers'), ['localhost:9092'])
    assert.equal(config.getInt('session.timeout.ms'), 10000)
    assert.equal(config.getInt('rebalance.timeout.ms'), 60000)
    assert.equal(config.getInt('scheduled.rebalance.max.delay.ms'), 300000)
    assert.equal(config.getInt('offset.storage.partitions'), 25)
    assert.equal(config.getShort('config.storage.replication.factor'), 3)
    assert.equal(config.protocol, 'sessioned')
    assert.deepEqual(config.getList('listeners'), ['http://:8083'])
    assert.equal(config.getString('header.converter'), 'org.apache.kafka.connect.storage.SimpleHeaderConverter')
    assert.equal(config.restRequestTimeoutMs, 60000)
  })

  for (const key of Object.keys(minimal)) {
    test(`a missing ${key} is an error naming it`, () => {
      const props: Record<string, string> = { ...minimal }
      delete props[key]
      const e = configErrorFor(props)
      assert.equal(e.key, key)
      assert.equal(e.message, `Missing required configuration "${key}" which has no default value.`)
    })
  }

  test('a bad value is an error naming the key and the value', () => {
    const e = configErrorFor({ ...minimal, 'session.timeout.ms': 'soon' })
    assert.equal(e.key, 'session.timeout.ms')
    assert.match(e.message, /Invalid value soon for configuration session\.timeout\.ms/)
    assert.equal(configErrorFor({ ...minimal, 'connect.protocol': 'fancy' }).key, 'connect.protocol')
    assert.equal(configErrorFor({ ...minimal, 'offset.storage.partitions': '0' }).key, 'offset.storage.partitions')
    assert.equal(
      configErrorFor({ ...minimal, 'scheduled.rebalance.max.delay.ms': '-1' }).key,
      'scheduled.rebalance.max.delay.ms',
    )
  })

  test("an empty listeners value is refused with Java's message, as the REST settings refuse it", () => {
    const e = configErrorFor({ ...minimal, listeners: ' ' })
    assert.equal(e.key, 'listeners')
    assert.match(e.message, /at least one URL is expected/)
  })

  test('the REST keys are declared once, for the worker config and the REST settings alike', () => {
    for (const [name, key] of REST_CONFIG_DEF.configKeys) {
      assert.deepEqual(WORKER_CONFIG_DEF.configKeys.get(name), key, name)
    }
    assert.equal(
      restConfigFromProperties({}).allowedOrigins,
      REST_CONFIG_DEF.configKeys.get('access.control.allow.origin')?.defaultValue,
    )
  })

  test('-1 asks for the broker default partitions and replication factor', () => {
    const config = parseWorkerConfig({
      ...minimal,
      'offset.storage.partitions': '-1',
      'status.storage.replication.factor': '-1',
    })
    assert.equal(config.getInt('offset.storage.partitions'), -1)
    assert.equal(config.getShort('status.storage.replication.factor'), -1)
  })

  test('connect.protocol is case-insensitive', () => {
    assert.equal(parseWorkerConfig({ ...minimal, 'connect.protocol': 'EAGER' }).protocol, 'eager')
  })

  test('the signature algorithm must be one of the verification algorithms', () => {
    const e = configErrorFor({
      ...minimal,
      'inter.worker.signature.algorithm': 'HmacSHA512',
      'inter.worker.verification.algorithms': 'HmacSHA256',
    })
    assert.equal(e.key, 'inter.worker.signature.algorithm')
  })

  test('keys it does not declare stay in the raw properties for the parts that read them', () => {
    const config = parseWorkerConfig({ ...minimal, 'producer.linger.ms': '5' })
    assert.equal(config.props['producer.linger.ms'], '5')
  })

  test('the worker config page lists every key of the definition and the standalone offsets file', () => {
    const committed = workerConfigDocs()
    for (const name of WORKER_CONFIG_DEF.names()) assert.ok(committed.includes(`| ${name} |`), name)
    assert.ok(committed.includes('| offset.storage.file.filename |'), 'the standalone offsets file')
  })
})
