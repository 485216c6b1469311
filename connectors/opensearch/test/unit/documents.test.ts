/**
 * What records become in the index: ids by key.ignore and Aiven's key.ignore.id.strategy, tombstones by
 * behavior.on.null.values, bulk lines for insert and upsert, index names from topics, and mappings from schemas.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  ConfigError,
  DataError,
  Schema,
  SchemaBuilder,
  SinkRecord,
  Struct,
  Timestamp,
  validateToConfigInfos,
} from 'tsconnect'
import { ELASTICSEARCH_SINK_CONFIG, parseSearchSinkConfig } from '../../src/config.ts'
import { bulkLines, DocumentConverter, indexName } from '../../src/documents.ts'
import { indexMapping } from '../../src/mappings.ts'

const URL = { 'connection.url': 'http://127.0.0.1:9200' }

function record(key: unknown, value: unknown, valueSchema: SinkRecord['valueSchema'] = null): SinkRecord {
  return new SinkRecord({ topic: 'Orders', kafkaPartition: 1, kafkaOffset: 42, key, value, valueSchema })
}

describe('DocumentConverter', () => {
  test('indexes the value under the key as id, into the topic in lower case', () => {
    const action = new DocumentConverter(parseSearchSinkConfig('confluent', URL)).convert(
      record('k1', new Map([['n', 1]])),
    )
    assert.equal(bulkLines(action as never), '{"index":{"_index":"orders","_id":"k1"}}\n{"n":1}\n')
  })

  test('key.ignore gives topic+partition+offset ids', () => {
    const action = new DocumentConverter(parseSearchSinkConfig('confluent', { ...URL, 'key.ignore': 'true' })).convert(
      record(null, new Map([['n', 1]])),
    )
    assert.equal(action?.kind === 'index' && action.id, 'Orders+1+42')
  })

  test("Aiven's key.ignore.id.strategy=none leaves the id to the cluster", () => {
    const settings = parseSearchSinkConfig('aiven', { ...URL, 'key.ignore': 'true', 'key.ignore.id.strategy': 'none' })
    const action = new DocumentConverter(settings).convert(record(null, new Map([['n', 1]])))
    assert.equal(bulkLines(action as never), '{"index":{"_index":"orders"}}\n{"n":1}\n')
  })

  test('upsert writes an update with doc_as_upsert', () => {
    const settings = parseSearchSinkConfig('confluent', { ...URL, 'write.method': 'upsert' })
    const action = new DocumentConverter(settings).convert(record('k', new Map([['n', 2]])))
    assert.equal(
      bulkLines(action as never),
      '{"update":{"_index":"orders","_id":"k"}}\n{"doc":{"n":2},"doc_as_upsert":true}\n',
    )
  })

  test('a null key as id is a DataError', () => {
    assert.throws(
      () => new DocumentConverter(parseSearchSinkConfig('confluent', URL)).convert(record(null, new Map())),
      DataError,
    )
  })

  test('tombstones: delete deletes by id, ignore skips, fail (Confluent default) throws', () => {
    const del = new DocumentConverter(
      parseSearchSinkConfig('confluent', { ...URL, 'behavior.on.null.values': 'delete' }),
    )
    assert.equal(bulkLines(del.convert(record('k', null)) as never), '{"delete":{"_index":"orders","_id":"k"}}\n')
    assert.equal(new DocumentConverter(parseSearchSinkConfig('aiven', URL)).convert(record('k', null)), null)
    assert.throws(
      () => new DocumentConverter(parseSearchSinkConfig('confluent', URL)).convert(record('k', null)),
      DataError,
    )
  })

  test('index names drop leading - _ + and are lower case', () => {
    assert.equal(indexName('_My-Topic'), 'my-topic')
  })
})

describe('mappings and config', () => {
  test('a struct schema maps field by field', () => {
    const schema = SchemaBuilder.struct()
      .field('id', Schema.INT64_SCHEMA)
      .field('name', Schema.STRING_SCHEMA)
      .field('at', Timestamp.SCHEMA)
      .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .build()
    assert.deepEqual(indexMapping(schema), {
      properties: { id: { type: 'long' }, name: { type: 'text' }, at: { type: 'date' }, tags: { type: 'text' } },
    })
    void Struct
  })

  test('REST validate names connection.url when it is missing and a bad behaviour value', () => {
    const infos = validateToConfigInfos('ElasticsearchSinkConnector', ELASTICSEARCH_SINK_CONFIG, {
      'behavior.on.null.values': 'drop',
    })
    const errors = infos.configs.filter((c) => (c.value?.errors.length ?? 0) > 0).map((c) => c.value?.name)
    assert.deepEqual(errors.sort(), ['behavior.on.null.values', 'connection.url'])
  })

  test('a URL that is not http(s) is a ConfigError', () => {
    assert.throws(() => parseSearchSinkConfig('confluent', { 'connection.url': 'localhost:9200' }), ConfigError)
  })
})
