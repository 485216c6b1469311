import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AbstractConfig } from '../../../src/config/abstract-config.ts'
import { ConfigDef, type ConfigValue } from '../../../src/config/config-def.ts'
import { convertToString, Password } from '../../../src/config/types.ts'
import { type Recommender, Validators } from '../../../src/config/validators.ts'
import { ConfigError } from '../../../src/errors.ts'

// Cases and messages follow Java's ConfigDefTest (apache/kafka clients).
describe('ConfigDef.parse', () => {
  const def = new ConfigDef()
    .define({
      name: 'a',
      type: 'INT',
      defaultValue: 5,
      validator: Validators.between(0, 14),
      importance: 'HIGH',
      documentation: 'docs',
    })
    .define({ name: 'b', type: 'LONG', importance: 'HIGH', documentation: 'docs' })
    .define({ name: 'c', type: 'STRING', defaultValue: 'hello', importance: 'HIGH', documentation: 'docs' })
    .define({ name: 'd', type: 'LIST', importance: 'HIGH', documentation: 'docs' })
    .define({ name: 'e', type: 'DOUBLE', importance: 'HIGH', documentation: 'docs' })
    .define({ name: 'f', type: 'CLASS', importance: 'HIGH', documentation: 'docs' })
    .define({ name: 'g', type: 'BOOLEAN', importance: 'HIGH', documentation: 'docs' })
    .define({ name: 'h', type: 'BOOLEAN', importance: 'HIGH', documentation: 'docs' })
    .define({ name: 'j', type: 'PASSWORD', importance: 'HIGH', documentation: 'docs' })

  it('parses every basic type from strings and typed values', () => {
    const v = def.parse({
      a: '1   ',
      b: 2,
      d: ' a , b, c',
      e: 42.5,
      f: 'java.lang.String',
      g: 'true',
      h: 'FalSE',
      j: 'password',
    })
    assert.equal(v.a, 1)
    assert.equal(v.b, 2)
    assert.equal(v.c, 'hello')
    assert.deepEqual(v.d, ['a', 'b', 'c'])
    assert.equal(v.e, 42.5)
    assert.equal(v.f, 'java.lang.String')
    assert.equal(v.g, true)
    assert.equal(v.h, false)
    assert.ok(new Password('password').equals(v.j))
    assert.equal(String(v.j), '[hidden]')
  })
  it('reports a missing required config with Java message', () => {
    assert.throws(
      () => new ConfigDef().define({ name: 'a', type: 'INT', importance: 'HIGH', documentation: 'd' }).parse({}),
      {
        message: 'Missing required configuration "a" which has no default value.',
      },
    )
  })
  it('accepts a null default', () => {
    const v = new ConfigDef()
      .define({ name: 'a', type: 'INT', defaultValue: null, importance: 'LOW', documentation: 'd' })
      .parse({})
    assert.equal(v.a, null)
  })
  it('rejects invalid defaults and double definitions', () => {
    assert.throws(
      () =>
        new ConfigDef().define({
          name: 'a',
          type: 'INT',
          defaultValue: 'hello',
          importance: 'HIGH',
          documentation: 'd',
        }),
      ConfigError,
    )
    assert.throws(
      () =>
        new ConfigDef().define({
          name: 'a',
          type: 'INT',
          defaultValue: -1,
          validator: Validators.between(0, 10),
          importance: 'HIGH',
          documentation: 'd',
        }),
      { message: 'Invalid value -1 for configuration a: Value must be at least 0' },
    )
    const twice = new ConfigDef().define({ name: 'a', type: 'STRING', importance: 'HIGH', documentation: 'd' })
    assert.throws(() => twice.define({ name: 'a', type: 'INT', importance: 'HIGH', documentation: 'd' }), {
      message: 'Configuration a is defined twice.',
    })
  })
  it('rejects bad inputs for each type', () => {
    const bad: [string, unknown[]][] = [
      ['INT', ['hello', '42.5', 42.5, '9223372036854775807', {}]],
      ['LONG', ['hello', '42.5', '922337203685477580700', {}]],
      ['DOUBLE', ['hello', {}]],
      ['STRING', [{}]],
      ['LIST', [53, {}]],
      ['BOOLEAN', ['hello', 'truee', 'fals']],
    ]
    for (const [type, values] of bad) {
      for (const value of values) {
        const d = new ConfigDef().define({ name: 'name', type: type as 'INT', importance: 'HIGH', documentation: 'd' })
        assert.throws(() => d.parse({ name: value }), ConfigError, `${type} ${String(value)}`)
      }
    }
  })
  it('says why a number does not parse', () => {
    const d = new ConfigDef().define({ name: 'a', type: 'INT', importance: 'HIGH', documentation: 'd' })
    assert.throws(() => d.parse({ a: 'non_integer' }), {
      message: 'Invalid value non_integer for configuration a: Not a number of type INT',
    })
  })
})

class IntegerRecommender implements Recommender {
  readonly #hasParent: boolean
  constructor(hasParent: boolean) {
    this.#hasParent = hasParent
  }
  validValues(): unknown[] {
    return this.#hasParent ? [4, 5] : [1, 2, 3]
  }
  visible(): boolean {
    return true
  }
}

function summary(values: ConfigValue[]) {
  return Object.fromEntries(
    values.map((v) => [v.name, { value: v.value, recommended: v.recommendedValues, errors: v.errorMessages }]),
  )
}

describe('ConfigDef.validate', () => {
  it('parses dependents after their parents and runs recommenders (Java testValidate)', () => {
    const def = new ConfigDef()
      .define({
        name: 'a',
        type: 'INT',
        importance: 'HIGH',
        documentation: 'docs',
        group: 'group',
        orderInGroup: 1,
        width: 'SHORT',
        displayName: 'a',
        dependents: ['b', 'c'],
        recommender: new IntegerRecommender(false),
      })
      .define({
        name: 'b',
        type: 'INT',
        importance: 'HIGH',
        documentation: 'docs',
        group: 'group',
        orderInGroup: 2,
        width: 'SHORT',
        displayName: 'b',
        recommender: new IntegerRecommender(true),
      })
      .define({
        name: 'c',
        type: 'INT',
        importance: 'HIGH',
        documentation: 'docs',
        group: 'group',
        orderInGroup: 3,
        width: 'SHORT',
        displayName: 'c',
        recommender: new IntegerRecommender(true),
      })
      .define({
        name: 'd',
        type: 'INT',
        importance: 'HIGH',
        documentation: 'docs',
        group: 'group',
        orderInGroup: 4,
        width: 'SHORT',
        displayName: 'd',
        dependents: ['b'],
        recommender: new IntegerRecommender(false),
      })
    const missingB = 'Missing required configuration "b" which has no default value.'
    const missingC = 'Missing required configuration "c" which has no default value.'
    assert.deepEqual(summary(def.validate({ a: '1', d: '10' })), {
      a: { value: 1, recommended: [1, 2, 3], errors: [] },
      b: { value: null, recommended: [4, 5], errors: [missingB, missingB] },
      c: { value: null, recommended: [4, 5], errors: [missingC] },
      d: { value: 10, recommended: [1, 2, 3], errors: [] },
    })
  })
  it('reports a dependent that is not defined', () => {
    const def = new ConfigDef().define({
      name: 'a',
      type: 'INT',
      importance: 'HIGH',
      documentation: 'docs',
      dependents: ['d'],
    })
    const d = def.validateAll({ a: '1' }).get('d')
    assert.deepEqual(d?.errorMessages, ['d is referred in the dependents, but not defined.'])
    assert.equal(d?.visible, false)
  })
  it('reports a value that does not parse', () => {
    const def = new ConfigDef().define({ name: 'a', type: 'INT', importance: 'HIGH', documentation: 'docs' })
    assert.deepEqual(def.validate({ a: 'non_integer' })[0]?.errorMessages, [
      'Invalid value non_integer for configuration a: Not a number of type INT',
    ])
  })
})

describe('convertToString', () => {
  it('prints values as Java does', () => {
    assert.equal(convertToString(true, 'BOOLEAN'), 'true')
    assert.equal(convertToString(32767, 'SHORT'), '32767')
    assert.equal(convertToString(3.125, 'DOUBLE'), '3.125')
    assert.equal(convertToString(1, 'DOUBLE'), '1.0')
    assert.equal(convertToString(new Password('foobar'), 'PASSWORD'), '[hidden]')
    assert.equal(convertToString('foobar', 'PASSWORD'), 'foobar')
    assert.equal(convertToString(['a', 'bc', 'd'], 'LIST'), 'a,bc,d')
    assert.equal(convertToString(null, 'LIST'), null)
  })
})

describe('Validators', () => {
  it('describe themselves as Java does', () => {
    assert.equal(String(Validators.between(0, 14)), '[0,...,14]')
    assert.equal(String(Validators.atLeast(1)), '[1,...]')
    assert.equal(String(Validators.in('a', 'b')), '[a, b]')
    assert.equal(String(Validators.inIgnoringCase('BASE64', 'NUMERIC')), '(case insensitive) [BASE64, NUMERIC]')
    assert.equal(String(Validators.listAtMost(2)), 'List containing maximum of 2 elements')
  })
  it('reject with Java messages', () => {
    assert.throws(() => Validators.in('a', 'b').ensureValid('k', 'c'), {
      message: 'Invalid value c for configuration k: String must be one of: a, b',
    })
    assert.throws(() => Validators.listAtMost(1).ensureValid('k', ['a', 'b']), {
      message: 'Invalid value [a, b] for configuration k: exceeds maximum list size of [1].',
    })
    assert.throws(() => Validators.nonEmptyStringWithoutControlChars().ensureValid('name', 'a\tb'), {
      message:
        'Invalid value a\tb for configuration name: String may not contain control sequences but had the following ASCII chars: 9',
    })
    assert.throws(() => Validators.nonEmptyStringWithoutControlChars().ensureValid('name', ''), {
      message: 'Invalid value  for configuration name: String may not be empty',
    })
  })
})

describe('AbstractConfig', () => {
  const def = new ConfigDef()
    .define({ name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'd' })
    .define({ name: 'batch.size', type: 'INT', defaultValue: 2000, importance: 'LOW', documentation: 'd' })
  it('gives typed values and rejects unknown names', () => {
    const c = new AbstractConfig(def, { topic: 't', 'producer.acks': 'all' })
    assert.equal(c.getString('topic'), 't')
    assert.equal(c.getInt('batch.size'), 2000)
    assert.deepEqual(c.originalsWithPrefix('producer.'), { acks: 'all' })
    assert.throws(() => c.getString('nope'), { message: "Unknown configuration 'nope'" })
    assert.throws(() => c.getBoolean('topic'), ConfigError)
  })
})

describe('ConfigDef.embed', () => {
  it('adds a child definition under a prefix, with prefixed groups, orders and unprefixed validator names', () => {
    const child = new ConfigDef()
      .define({
        name: 'field',
        type: 'STRING',
        importance: 'HIGH',
        documentation: 'd',
        validator: Validators.nonEmptyString(),
      })
      .define({ name: 'static.value', type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation: 'd' })
    const def = new ConfigDef().embed('transforms.t1.', 'Transforms: t1', 0, child)
    const field = def.configKeys.get('transforms.t1.field')
    assert.equal(field?.group, 'Transforms: t1')
    assert.equal(field?.orderInGroup, 0)
    assert.equal(def.configKeys.get('transforms.t1.static.value')?.orderInGroup, 1)
    assert.deepEqual(def.validateAll({ 'transforms.t1.field': '' }).get('transforms.t1.field')?.errorMessages, [
      'Invalid value  for configuration field: String must be non-empty',
    ])
  })
})

describe('ConfigDef.sortedConfigs', () => {
  it('orders by group, order in group, required first, importance, then name', () => {
    const def = new ConfigDef()
      .define({ name: 'z', type: 'INT', defaultValue: 1, importance: 'LOW', documentation: 'd' })
      .define({ name: 'y', type: 'INT', importance: 'LOW', documentation: 'd' })
      .define({ name: 'x', type: 'INT', defaultValue: 1, importance: 'HIGH', documentation: 'd' })
      .define({ name: 'g', type: 'INT', importance: 'HIGH', documentation: 'd', group: 'G', orderInGroup: 1 })
    assert.deepEqual(
      def.sortedConfigs().map((k) => k.name),
      ['y', 'x', 'z', 'g'],
    )
  })
})

describe('ConfigDef.toMarkdown', () => {
  it('renders public configs in documentation order, defaults as Java prints them', () => {
    const def = new ConfigDef()
      .define({ name: 'ratio', type: 'DOUBLE', defaultValue: 1, importance: 'LOW', documentation: 'A | ratio.' })
      .define({ name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'The topic.' })
      .define({ name: 'hidden', type: 'INT', defaultValue: 1, importance: 'LOW', documentation: 'x', internal: true })
    assert.equal(
      def.toMarkdown(),
      [
        '| Name | Description | Type | Default | Valid Values | Importance |',
        '|---|---|---|---|---|---|',
        '| topic | The topic. | string |  |  | high |',
        '| ratio | A \\| ratio. | double | 1.0 |  | low |',
      ].join('\n'),
    )
  })
})
