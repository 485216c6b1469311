/**
 * `node_modules/.bin/node --conditions=tsconnect-source bench/avro-converter.ts --registry URL [--records N]
 * [--rounds R]`: records per second on one core through io.confluent.connect.avro.AvroConverter (the
 * @tsconnect/connector-schema-registry package) against JsonConverter with schemas.enable=true, both ways
 * (fromConnectData: Struct to bytes; toConnectData: bytes to Struct), on the same Struct values, plus the bytes per
 * record. The registry is a real one (`npm run services -- start schema-registry`, then its
 * TSCONNECT_TEST_SCHEMA_REGISTRY_URL): the first record registers and fetches the schema, the rounds after the
 * warm-up make no registry call, so what is timed is the converter alone. No broker.
 */
import { parseArgs } from 'node:util'
import { ConversionPendingError, type Converter, JsonConverter, Schema, SchemaBuilder, Struct } from 'tsconnect'
import { AvroConverter } from '../connectors/schema-registry/src/index.ts'

const { values } = parseArgs({
  options: { records: { type: 'string' }, rounds: { type: 'string' }, registry: { type: 'string' } },
})
const RECORDS = Number(values.records ?? 100_000)
const ROUNDS = Number(values.rounds ?? 5)
const REGISTRY = values.registry ?? process.env.TSCONNECT_TEST_SCHEMA_REGISTRY_URL
if (!REGISTRY) throw new Error('--registry URL (or TSCONNECT_TEST_SCHEMA_REGISTRY_URL) is required')

const SCHEMA = SchemaBuilder.struct()
  .name('com.example.Order')
  .version(1)
  .field('id', Schema.INT64_SCHEMA)
  .field('customer', Schema.STRING_SCHEMA)
  .field('amount_cents', Schema.INT32_SCHEMA)
  .field('currency', Schema.STRING_SCHEMA)
  .field('paid', Schema.BOOLEAN_SCHEMA)
  .field('score', Schema.FLOAT64_SCHEMA)
  .field('note', Schema.OPTIONAL_STRING_SCHEMA)
  .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
  .build()

const structs = Array.from({ length: RECORDS }, (_, i) =>
  new Struct(SCHEMA)
    .put('id', 1_000_000 + i)
    .put('customer', `customer-${i % 1000}`)
    .put('amount_cents', (i * 37) % 100_000)
    .put('currency', 'EUR')
    .put('paid', i % 2 === 0)
    .put('score', i / 7)
    .put('note', i % 10 === 0 ? 'check' : null)
    .put('tags', ['a', `t${i % 5}`]),
)

const topic = `bench-avro-${process.pid}`

async function warm(converter: Converter): Promise<void> {
  for (let i = 0; i < 10; i++) {
    try {
      const bytes = converter.fromConnectData(topic, SCHEMA, structs[0])
      converter.toConnectData(topic, bytes)
      return
    } catch (e) {
      if (!(e instanceof ConversionPendingError)) throw e
      await e.ready
    }
  }
  throw new Error('the converter did not warm up')
}

function timed(run: () => void): number {
  const start = process.hrtime.bigint()
  run()
  return RECORDS / (Number(process.hrtime.bigint() - start) / 1e9)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

async function measure(name: string, converter: Converter) {
  await warm(converter)
  const encoded: Uint8Array[] = new Array(RECORDS)
  const writes: number[] = []
  const reads: number[] = []
  for (let r = 0; r <= ROUNDS; r++) {
    const w = timed(() => {
      for (let i = 0; i < RECORDS; i++) encoded[i] = converter.fromConnectData(topic, SCHEMA, structs[i]) as Uint8Array
    })
    const rd = timed(() => {
      for (let i = 0; i < RECORDS; i++) converter.toConnectData(topic, encoded[i] as Uint8Array)
    })
    // Round 0 warms the JIT.
    if (r > 0) {
      writes.push(w)
      reads.push(rd)
    }
  }
  const bytes = encoded.reduce((n, b) => n + b.length, 0) / RECORDS
  return {
    converter: name,
    'fromConnectData rec/s': Math.round(median(writes)),
    'toConnectData rec/s': Math.round(median(reads)),
    'bytes/record': Math.round(bytes * 10) / 10,
  }
}

const avro = new AvroConverter()
avro.configure({ 'schema.registry.url': REGISTRY }, false)
const json = new JsonConverter()
json.configure({ 'schemas.enable': 'true' }, false)
const rows = [await measure('AvroConverter', avro), await measure('JsonConverter (schemas.enable)', json)]
avro.close()
console.log(`${RECORDS} records x ${ROUNDS} rounds (median round), one core, Node ${process.version}`)
console.table(rows)
