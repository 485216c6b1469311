import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConnectRecord } from '../../../src/api/records.ts'
import type { Predicate, Transformation } from '../../../src/api/transformation.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { Headers } from '../../../src/data/headers.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConfigError, DataError, RetriableError } from '../../../src/errors.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'
import {
  buildTransformationChain,
  type StageRunner,
  TransformationChain,
  TransformationError,
} from '../../../src/transforms/chain.ts'
import { registerBuiltinTransforms } from '../../../src/transforms/plugins.ts'
import type { StageInfo } from '../../../src/transforms/stage.ts'
import { sinkRecord, sourceRecord } from './helpers.ts'

/** A third-party transform that records what it was configured with and appends its tag to the topic. */
class Tagger implements Transformation {
  static configs: Record<string, unknown>[] = []
  static closed = 0
  #tag = ''
  configure(configs: Readonly<Record<string, unknown>>): void {
    Tagger.configs.push({ ...configs })
    this.#tag = String(configs.tag ?? 'x')
  }
  apply<R extends ConnectRecord>(record: R): R {
    return record.newRecord({ topic: `${record.topic}.${this.#tag}` })
  }
  config(): ConfigDef {
    return new ConfigDef().define({
      name: 'tag',
      type: 'STRING',
      defaultValue: 'x',
      importance: 'HIGH',
      documentation: 'The tag.',
    })
  }
  close(): void {
    Tagger.closed++
  }
}

/** A third-party predicate: the value is an even number. */
class IsEven implements Predicate {
  configure(): void {}
  test(record: ConnectRecord): boolean {
    return typeof record.value === 'number' && record.value % 2 === 0
  }
  config(): ConfigDef {
    return new ConfigDef()
  }
  close(): void {}
}

/** A transform that always fails. */
class Failing implements Transformation {
  configure(): void {}
  apply(): never {
    throw new DataError('boom')
  }
  config(): ConfigDef {
    return new ConfigDef()
  }
  close(): void {}
}

/** A transform whose configure always fails (its ConfigDef accepts anything). */
class RefusesConfig extends Failing {
  override configure(): void {
    throw new ConfigError('refused')
  }
}

function registry(): PluginRegistry {
  const r = new PluginRegistry()
  registerBuiltinTransforms(r)
  r.registerAll([
    { type: 'transformation', plugin: Tagger, className: 'com.example.Tagger' },
    { type: 'transformation', plugin: Failing, className: 'com.example.Failing' },
    { type: 'transformation', plugin: RefusesConfig, className: 'com.example.RefusesConfig' },
    { type: 'predicate', plugin: IsEven, className: 'com.example.IsEven' },
  ])
  return r
}

const chainOf = (props: Record<string, string>) => buildTransformationChain(registry(), props)

describe('Transformation chain', () => {
  it('is empty without transforms', () => {
    const chain = chainOf({})
    assert.ok(chain.isEmpty())
    const record = sourceRecord({ value: 1 })
    assert.equal(chain.apply(record), record)
  })

  it("applies Java's InsertField, ReplaceField and TimestampRouter in the listed order", () => {
    const chain = chainOf({
      transforms: 'insert,replace,route',
      'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.insert.topic.field': 'source_topic',
      'transforms.replace.type': 'org.apache.kafka.connect.transforms.ReplaceField$Value',
      'transforms.replace.exclude': 'secret',
      'transforms.replace.renames': 'source_topic:origin',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.TimestampRouter',
    })
    const schema = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).field('secret', Schema.STRING_SCHEMA).build()
    const out = chain.apply(
      sinkRecord({
        topic: 'orders',
        timestamp: 1483425001864,
        valueSchema: schema,
        value: new Struct(schema).put('id', 1).put('secret', 's'),
      }),
    )
    assert.equal(out?.topic, 'orders-20170103')
    const value = out?.value as Struct
    assert.deepEqual(
      value.schema.fields.map((f) => f.name),
      ['id', 'origin'],
    )
    assert.equal(value.get('origin'), 'orders')
    assert.equal(out?.originalTopic, 'orders')
  })

  it('resolves transforms and predicates by their Java aliases', () => {
    const chain = chainOf({
      transforms: 'drop',
      'transforms.drop.type': 'Filter',
      'transforms.drop.predicate': 'isTest',
      predicates: 'isTest',
      'predicates.isTest.type': 'TopicNameMatches',
      'predicates.isTest.pattern': 'test-.*',
    })
    assert.equal(chain.apply(sourceRecord({ topic: 'test-1' })), null)
    assert.equal(chain.apply(sourceRecord({ topic: 'prod-1' }))?.topic, 'prod-1')
  })

  it('applies a transform only where the negated predicate does not match', () => {
    const chain = chainOf({
      transforms: 'keepTombstones',
      'transforms.keepTombstones.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.keepTombstones.predicate': 'tombstone',
      'transforms.keepTombstones.negate': 'true',
      predicates: 'tombstone',
      'predicates.tombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    })
    assert.equal(chain.apply(sourceRecord({ value: 'v' })), null)
    const tombstone = sourceRecord({ key: 'k' })
    assert.equal(chain.apply(tombstone), tombstone)
  })

  it('reads negate as Java does: only "true", in any case, negates', () => {
    for (const [negate, expected] of [
      ['TRUE', true],
      ['yes', false],
      ['false', false],
    ] as const) {
      const props = {
        transforms: 't',
        'transforms.t.type': 'Filter',
        'transforms.t.predicate': 'p',
        'transforms.t.negate': negate,
        predicates: 'p',
        'predicates.p.type': 'RecordIsTombstone',
      }
      // negate=yes fails validation as a boolean; Java's validation rejects it too.
      if (negate === 'yes') {
        assert.throws(() => chainOf(props), ConfigError)
        continue
      }
      assert.equal(chainOf(props).stages[0]?.negate, expected)
    }
  })

  it('stops at the stage that drops the record', () => {
    const chain = chainOf({
      transforms: 'drop,tag',
      'transforms.drop.type': 'Filter',
      'transforms.tag.type': 'com.example.Tagger',
      'transforms.tag.tag': 'after',
    })
    const seen: string[] = []
    const runner: StageRunner = (stage, run) => {
      seen.push(stage.alias)
      return run()
    }
    assert.equal(chain.apply(sourceRecord(), runner), null)
    assert.deepEqual(seen, ['drop'])
  })

  it('runs third-party transforms and predicates like built-ins, each stage with its own predicate', () => {
    const chain = chainOf({
      transforms: 'a,b',
      'transforms.a.type': 'com.example.Tagger',
      'transforms.a.tag': 'a',
      'transforms.a.predicate': 'even',
      'transforms.b.type': 'Tagger',
      'transforms.b.tag': 'b',
      'transforms.b.predicate': 'even',
      'transforms.b.negate': 'true',
      predicates: 'even',
      'predicates.even.type': 'com.example.IsEven',
    })
    const [a, b] = chain.stages
    assert.ok(a?.predicate instanceof IsEven)
    assert.notEqual(a?.predicate, b?.predicate)
    assert.equal(chain.apply(sourceRecord({ topic: 't', value: 2 }))?.topic, 't.a')
    assert.equal(chain.apply(sourceRecord({ topic: 't', value: 3 }))?.topic, 't.b')
  })

  it('configures a transform with its keys only, without predicate and negate', () => {
    Tagger.configs = []
    chainOf({
      transforms: 'a',
      'transforms.a.type': 'com.example.Tagger',
      'transforms.a.tag': 'x',
      'transforms.a.predicate': 'even',
      'transforms.a.negate': 'false',
      predicates: 'even',
      'predicates.even.type': 'com.example.IsEven',
      'other.key': 'ignored',
    })
    assert.deepEqual(Tagger.configs, [{ type: 'com.example.Tagger', tag: 'x' }])
  })

  it("rejects negate without predicate, with Java's message", () => {
    assert.throws(() => chainOf({ transforms: 'a', 'transforms.a.type': 'Filter', 'transforms.a.negate': 'true' }), {
      name: 'ConfigError',
      message:
        "Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' defining a predicate to be negated.",
    })
  })

  it('rejects a predicate alias that predicates does not list', () => {
    assert.throws(
      () => chainOf({ transforms: 'a', 'transforms.a.type': 'Filter', 'transforms.a.predicate': 'missing' }),
      { name: 'ConfigError', message: "Unknown configuration 'predicates.missing.type'" },
    )
  })

  it('rejects a transform alias listed twice', () => {
    assert.throws(() => chainOf({ transforms: 'a,a', 'transforms.a.type': 'Filter' }), {
      name: 'ConfigError',
      message: 'Invalid value [a, a] for configuration transforms: Duplicate alias provided.',
    })
  })

  it('rejects a missing type as Java does when building', () => {
    assert.throws(() => chainOf({ transforms: 'a' }), {
      message: 'Invalid value null for configuration transforms.a.type: Not a Transformation',
    })
  })

  it('rejects an unknown class', () => {
    assert.throws(() => chainOf({ transforms: 'a', 'transforms.a.type': 'com.example.Nope' }), {
      message:
        'Invalid value com.example.Nope for configuration transforms.a.type: Class com.example.Nope could not be found.',
    })
  })

  it("suggests the Key and Value variants for Java's abstract transforms", () => {
    assert.throws(
      () => chainOf({ transforms: 'a', 'transforms.a.type': 'org.apache.kafka.connect.transforms.InsertField' }),
      {
        message:
          'This class is abstract and cannot be created. Did you mean org.apache.kafka.connect.transforms.InsertField$Key, org.apache.kafka.connect.transforms.InsertField$Value?',
      },
    )
  })

  it('rejects a transform config the transform rejects, naming the prefixed key', () => {
    assert.throws(
      () => chainOf({ transforms: 'a', 'transforms.a.type': 'org.apache.kafka.connect.transforms.ValueToKey' }),
      { message: 'Missing required configuration "transforms.a.fields" which has no default value.' },
    )
  })

  it('closes every transform and predicate', () => {
    Tagger.closed = 0
    const chain = chainOf({
      transforms: 'a,b',
      'transforms.a.type': 'com.example.Tagger',
      'transforms.b.type': 'com.example.Tagger',
    })
    chain.close()
    assert.equal(Tagger.closed, 2)
  })

  it('closes the stages built so far when a later one fails to configure', () => {
    Tagger.closed = 0
    assert.throws(
      () =>
        chainOf({
          transforms: 'a,b',
          'transforms.a.type': 'com.example.Tagger',
          'transforms.b.type': 'com.example.RefusesConfig',
        }),
      { name: 'ConfigError', message: 'refused' },
    )
    assert.equal(Tagger.closed, 1)
  })
})

describe('Transformation chain errors', () => {
  const failing = () =>
    chainOf({
      transforms: 'ok,bad',
      'transforms.ok.type': 'com.example.Tagger',
      'transforms.bad.type': 'com.example.Failing',
    })

  it('throws a TransformationError naming the stage, with the transform error as cause', () => {
    assert.throws(
      () => failing().apply(sourceRecord()),
      (e: unknown) =>
        e instanceof TransformationError &&
        e.stage.alias === 'bad' &&
        e.stage.className === 'com.example.Failing' &&
        e.code === 'DATA_ERROR' &&
        e.cause instanceof DataError &&
        e.message === "Transformation 'bad' (com.example.Failing) failed: boom",
    )
  })

  it('hands each stage to the runner, which may tolerate a failure by skipping the record', () => {
    const failures: [StageInfo, unknown][] = []
    const tolerateAll: StageRunner = (stage, run) => {
      try {
        return run()
      } catch (e) {
        failures.push([stage, e])
        return null
      }
    }
    assert.equal(failing().apply(sourceRecord(), tolerateAll), null)
    assert.equal(failures.length, 1)
    assert.equal(failures[0]?.[0].className, 'com.example.Failing')
  })

  it('lets an asynchronous runner retry a stage', async () => {
    let attempts = 0
    const flaky: Transformation = {
      configure() {},
      apply(record) {
        attempts++
        if (attempts < 3) throw new RetriableError('not yet')
        return record
      },
      config: () => new ConfigDef(),
      close() {},
    }
    const { TransformationStage } = await import('../../../src/transforms/stage.ts')
    const chain = new TransformationChain([
      new TransformationStage({ alias: 'f', className: 'Flaky', transformation: flaky }),
    ])
    const retrying = async <R extends ConnectRecord>(_stage: StageInfo, run: () => R | null): Promise<R | null> => {
      for (;;) {
        try {
          return run()
        } catch (e) {
          if (!(e instanceof RetriableError)) throw e
          await new Promise((resolve) => setImmediate(resolve))
        }
      }
    }
    const record = sourceRecord()
    assert.equal(await chain.applyAsync(record, retrying), record)
    assert.equal(attempts, 3)
  })

  it('keeps the headers of the input record untouched', () => {
    const chain = chainOf({
      transforms: 'h',
      'transforms.h.type': 'InsertHeader',
      'transforms.h.header': 'a',
      'transforms.h.value.literal': 'b',
    })
    const record = sourceRecord({ headers: new Headers() })
    assert.equal(chain.apply(record)?.headers.size, 1)
    assert.equal(record.headers.size, 0)
  })
})

describe('Transformation stage', () => {
  it('reports a transform that returns nothing instead of passing undefined on', async () => {
    const { TransformationStage } = await import('../../../src/transforms/stage.ts')
    const forgetful = {
      configure() {},
      apply() {},
      config: () => new ConfigDef(),
      close() {},
    } as unknown as Transformation
    const stage = new TransformationStage({ alias: 'f', className: 'com.example.Forgetful', transformation: forgetful })
    assert.throws(() => stage.apply(sourceRecord()), {
      name: 'DataError',
      message: 'com.example.Forgetful.apply() returned undefined: return a record, or null to drop it',
    })
  })
})
