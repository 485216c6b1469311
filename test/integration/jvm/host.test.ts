/**
 * The JVM plugin host process on its own (no broker): Connect data crosses to Java and back unchanged, and a host
 * killed with SIGKILL fails what was pending with the reason and comes back by itself.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { BigDecimal } from '../../../src/data/big-decimal.ts'
import { Decimal, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import {
  decodeAny,
  decodeValue,
  encodeAny,
  encodeValue,
  SchemaTable,
  schemasFrom,
} from '../../../src/jvm/data-codec.ts'
import { JvmHost, JvmHostDiedError } from '../../../src/jvm/host.ts'
import { ensureJvmHost } from '../../../src/jvm/host-build.ts'
import { rootLogger } from '../../../src/util/log.ts'
import { ensureKafka } from '../../../tools/kafka/jars.ts'
import { until } from '../../support/herder-cluster.ts'
import { jvmHost } from '../../support/services.ts'

let host: JvmHost

before(async () => {
  jvmHost()
  const build = await ensureJvmHost()
  host = new JvmHost({
    javaCommand: 'java',
    maxHeap: '128m',
    jvmOptions: [],
    classpath: build.classpath,
    pluginProps: { 'plugin.path': ensureKafka().pluginPath, 'plugin.discovery': 'service_load' },
    log: rootLogger().child({ component: 'jvm-host-test' }),
    restartInitialMs: 100,
  })
  await host.start()
})

after(async () => {
  await host?.stop()
})

const row = SchemaBuilder.struct()
  .name('io.example.Row')
  .field('id', Schema.INT64_SCHEMA)
  .field('amount', Decimal.builder(3).optional().build())
  .field('at', Timestamp.SCHEMA)
  .field('time', Time.SCHEMA)
  .field('small', Schema.INT16_SCHEMA)
  .field('f', Schema.FLOAT32_SCHEMA)
  .field('d', Schema.FLOAT64_SCHEMA)
  .field('blob', Schema.BYTES_SCHEMA)
  .field('labels', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build())
  .field('nested', SchemaBuilder.array(SchemaBuilder.struct().field('x', Schema.BOOLEAN_SCHEMA).build()).build())
  .field('withDefault', SchemaBuilder.string().optional().defaultValue('dflt').build())
  .build()

describe('the JVM plugin host', () => {
  test('Connect data goes to Java and comes back unchanged', async () => {
    const nested = row.fields.find((f) => f.name === 'nested')?.schema.valueSchema as Schema
    const value = new Struct(row)
      .put('id', -(2n ** 63n))
      .put('amount', new BigDecimal(123456789123456789n, 3))
      .put('at', new Date(1_700_000_000_123))
      .put('time', new Date(3_600_000))
      .put('small', -32768)
      .put('f', Math.fround(0.1))
      .put('d', Number.POSITIVE_INFINITY)
      .put('blob', new Uint8Array([1, 2, 3, 250]))
      .put(
        'labels',
        new Map([
          ['k', null],
          ['ü', 'v'],
        ]),
      )
      .put('nested', [new Struct(nested).put('x', true)])
      .put('withDefault', null)
    const schemaless = new Map<unknown, unknown>([
      ['lsn', 2n ** 62n + 1n],
      ['items', [1, 'two', null]],
    ])
    const table = new SchemaTable()
    const answer = (await host.call('echo', {
      values: [
        [table.id(row), encodeValue(row, value)],
        [-1, encodeAny(schemaless)],
        [table.id(Schema.OPTIONAL_STRING_SCHEMA), null],
      ],
      schemas: table.schemas,
    })) as { schemas: never[]; values: [number, unknown][] }
    const schemas = schemasFrom(answer.schemas)
    const [first, second, third] = answer.values
    const back = decodeValue(schemas[first?.[0] as number] ?? null, first?.[1]) as Struct
    assert.ok(back.schema.equals(row))
    assert.ok(back.equals(value), `${String(back)}\n!=\n${String(value)}`)
    assert.equal(back.getWithoutDefault('withDefault'), null)
    assert.deepEqual(decodeAny(second?.[1]), schemaless)
    assert.equal(third?.[1], null)
  })

  test('a host killed with SIGKILL fails the pending requests and is started again', async () => {
    const pid = host.pid
    const generation = host.generation
    assert.ok(pid !== undefined)
    process.kill(pid, 'SIGKILL')
    await assert.rejects(host.callInstance(generation, 'poll', { instance: 1 }), JvmHostDiedError)
    await until('the host is back', 60_000, async () => (host.pid !== undefined && host.pid !== pid ? true : undefined))
    assert.ok(host.generation > generation)
    const answer = (await host.call('validate', {
      class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      props: { topic: 't' },
    })) as { values: unknown[] }
    assert.ok(answer.values.length > 0)
  })
})
