/**
 * `node_modules/.bin/node bench/transforms-chain.ts [--records N] [--rounds R]`: the cost of a typical SMT chain
 * (InsertField$Value + ReplaceField$Value + TimestampRouter, built from a connector config as the worker builds it)
 * in records per second on one core, for Struct values with a schema and for schemaless Map values. No broker:
 * records are made up front, so only the chain is timed. Each round applies the chain to every record; the table
 * shows the median and best round after a warm-up round, plus the cost per record.
 */
import { parseArgs } from 'node:util'
import { SinkRecord } from '../src/api/records.ts'
import { Schema } from '../src/data/schema.ts'
import { SchemaBuilder } from '../src/data/schema-builder.ts'
import { Struct } from '../src/data/struct.ts'
import { PluginRegistry } from '../src/plugins/registry.ts'
import { buildTransformationChain, type TransformationChain } from '../src/transforms/chain.ts'
import { registerBuiltinTransforms } from '../src/transforms/plugins.ts'

const { values } = parseArgs({ options: { records: { type: 'string' }, rounds: { type: 'string' } } })
const RECORDS = Number(values.records ?? 200_000)
const ROUNDS = Number(values.rounds ?? 7)

const CONFIG = {
  transforms: 'insert,replace,route',
  'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
  'transforms.insert.topic.field': 'source_topic',
  'transforms.insert.timestamp.field': 'ingested_at',
  'transforms.insert.static.field': 'pipeline',
  'transforms.insert.static.value': 'orders-v1',
  'transforms.replace.type': 'org.apache.kafka.connect.transforms.ReplaceField$Value',
  'transforms.replace.exclude': 'internal_note',
  'transforms.replace.renames': 'customer_id:customer,amount_cents:amount',
  'transforms.route.type': 'org.apache.kafka.connect.transforms.TimestampRouter',
  'transforms.route.topic.format': ['$', '{topic}-$', '{timestamp}'].join(''),
  'transforms.route.timestamp.format': 'yyyyMMdd',
}

const SCHEMA = SchemaBuilder.struct()
  .name('com.example.Order')
  .field('id', Schema.INT64_SCHEMA)
  .field('customer_id', Schema.STRING_SCHEMA)
  .field('amount_cents', Schema.INT32_SCHEMA)
  .field('currency', Schema.STRING_SCHEMA)
  .field('paid', Schema.BOOLEAN_SCHEMA)
  .field('internal_note', Schema.OPTIONAL_STRING_SCHEMA)
  .build()

const START = Date.UTC(2026, 10, 26)

function record(i: number, withSchema: boolean): SinkRecord {
  const fields: [string, unknown][] = [
    ['id', i],
    ['customer_id', `c-${i % 1000}`],
    ['amount_cents', (i * 37) % 100_000],
    ['currency', 'EUR'],
    ['paid', i % 2 === 0],
    ['internal_note', i % 10 === 0 ? 'check' : null],
  ]
  let value: unknown
  if (withSchema) {
    const struct = new Struct(SCHEMA)
    for (const [name, v] of fields) struct.put(name, v)
    value = struct
  } else {
    value = new Map(fields)
  }
  return new SinkRecord({
    topic: 'orders',
    kafkaPartition: i % 6,
    kafkaOffset: i,
    timestamp: START + i * 1000,
    valueSchema: withSchema ? SCHEMA : null,
    value,
  })
}

function round(chain: TransformationChain, records: readonly SinkRecord[]): number {
  const start = process.hrtime.bigint()
  let kept = 0
  for (const r of records) if (chain.apply(r) !== null) kept++
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (kept !== records.length) throw new Error(`the chain dropped ${records.length - kept} records`)
  return seconds
}

function measure(withSchema: boolean): { median: number; best: number } {
  const registry = new PluginRegistry()
  registerBuiltinTransforms(registry)
  const chain = buildTransformationChain(registry, CONFIG)
  const records = Array.from({ length: RECORDS }, (_, i) => record(i, withSchema))
  round(chain, records) // warm-up: JIT and schema caches
  const rates = Array.from({ length: ROUNDS }, () => RECORDS / round(chain, records)).sort((a, b) => a - b)
  chain.close()
  return { median: rates[Math.floor(rates.length / 2)] as number, best: rates[rates.length - 1] as number }
}

const rows = [
  ['with schema (Struct)', measure(true)],
  ['schemaless (Map)', measure(false)],
] as const
console.log(
  `InsertField$Value + ReplaceField$Value + TimestampRouter, ${RECORDS} records x ${ROUNDS} rounds, node ${process.version}\n`,
)
console.log(
  `${'values'.padEnd(22)}${'median rec/s'.padStart(14)}${'best rec/s'.padStart(14)}${'µs/record'.padStart(12)}`,
)
for (const [name, { median, best }] of rows) {
  console.log(
    `${name.padEnd(22)}${Math.round(median).toLocaleString('en').padStart(14)}${Math.round(best).toLocaleString('en').padStart(14)}${(1e6 / median).toFixed(2).padStart(12)}`,
  )
}
