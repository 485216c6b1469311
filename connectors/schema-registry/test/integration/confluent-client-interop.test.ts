/**
 * Bytes from another Confluent-format client read back identically, and the other way round: the Node client
 * @kafkajs/confluent-schema-registry (with avsc) registers and encodes through the same real registry, tsconnect's
 * AvroConverter decodes; and what the AvroConverter writes, that client decodes.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { ConversionPendingError, SchemaBuilder, Struct } from 'tsconnect'
import { testSchemaRegistry } from '../../../../test/support/services.ts'
import { AvroConverter } from '../../src/index.ts'

async function settle<T>(convert: () => T): Promise<T> {
  for (let i = 0; i < 20; i++) {
    try {
      return convert()
    } catch (e) {
      if (!(e instanceof ConversionPendingError)) throw e
      await e.ready
    }
  }
  throw new Error('still pending after 20 tries')
}

const ORDER = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
    { name: 'qty', type: 'int' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'prices', type: { type: 'map', values: 'double' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
}

describe('interoperability with another Confluent-format client', () => {
  test('a record that @kafkajs/confluent-schema-registry encoded reads back identically', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('interop-in')
    const client = new SchemaRegistry({ host: sr.url })
    const { id } = await client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(ORDER) },
      { subject: `${topic}-value` },
    )
    const bytes = await client.encode(id, {
      id: 7,
      item: 'book',
      qty: 2,
      note: null,
      tags: ['a', 'b'],
      prices: { eur: 9.5 },
      status: 'PAID',
      ts: 1_700_000_000_000,
    })
    const converter = new AvroConverter()
    converter.configure({ 'schema.registry.url': sr.url }, false)
    const { schema, value } = await settle(() => converter.toConnectData(topic, bytes))
    assert.equal(schema?.name, 'shop.Order')
    assert.equal(schema?.version, 1)
    assert.deepEqual(
      schema?.fields.map((f) => [f.name, f.schema.type, f.schema.optional]),
      [
        ['id', 'INT64', false],
        ['item', 'STRING', false],
        ['qty', 'INT32', false],
        ['note', 'STRING', true],
        ['tags', 'ARRAY', false],
        ['prices', 'MAP', false],
        ['status', 'STRING', false],
        ['ts', 'INT64', false],
      ],
    )
    assert.equal(schema?.field('ts')?.schema.name, 'org.apache.kafka.connect.data.Timestamp')
    const s = value as Struct
    assert.equal(s.get('id'), 7)
    assert.equal(s.get('item'), 'book')
    assert.equal(s.get('note'), null)
    assert.deepEqual(s.get('tags'), ['a', 'b'])
    assert.deepEqual(s.get('prices'), new Map([['eur', 9.5]]))
    assert.equal(s.get('status'), 'PAID')
    assert.deepEqual(s.get('ts'), new Date(1_700_000_000_000))
  })

  test('what the AvroConverter writes, @kafkajs/confluent-schema-registry decodes', async (t) => {
    const sr = await testSchemaRegistry(t)
    const topic = sr.topic('interop-out')
    const schema = SchemaBuilder.struct()
      .name('shop.Line')
      .field('sku', SchemaBuilder.string())
      .field('count', SchemaBuilder.int16())
      .field('price', SchemaBuilder.float64())
      .field('gift', SchemaBuilder.bool().optional())
      .field('labels', SchemaBuilder.map(SchemaBuilder.string(), SchemaBuilder.string()))
      .build()
    const converter = new AvroConverter()
    converter.configure({ 'schema.registry.url': sr.url }, false)
    const value = new Struct(schema)
      .put('sku', 'x-1')
      .put('count', 3)
      .put('price', 2.25)
      .put('gift', true)
      .put('labels', new Map([['c', 'red']]))
    const bytes = (await settle(() => converter.fromConnectData(topic, schema, value))) as Uint8Array
    const decoded = await new SchemaRegistry({ host: sr.url }).decode(Buffer.from(bytes))
    assert.deepEqual({ ...decoded }, { sku: 'x-1', count: 3, price: 2.25, gift: true, labels: { c: 'red' } })
  })
})
