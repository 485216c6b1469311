/**
 * The JDBC package's pure parts: URLs, the SQL each dialect writes, the offsets' bytes in Java's HashMap order,
 * task grouping, time-zone text and the config checks that validation reports.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  BigDecimal,
  Decimal,
  JsonConverter,
  Schema,
  SchemaBuilder,
  SourceRecord,
  Struct,
  validateToConfigInfos,
} from 'tsconnect'
import { mysqlDialect } from '../../src/dialect/mysql.ts'
import { postgresDialect } from '../../src/dialect/postgres.ts'
import { ConfluentJdbcSinkConnector, JdbcSourceConnector, parseJdbcUrl } from '../../src/index.ts'
import { bindValue } from '../../src/sink/bind-values.ts'
import { offsetMap, partitionOf } from '../../src/source/table-querier.ts'
import { groupPartitions } from '../../src/source/tables.ts'
import { parseWallTime, wallTime } from '../../src/time.ts'

describe('JDBC URLs', () => {
  test('PostgreSQL: host, port, database and query properties', () => {
    assert.deepEqual(parseJdbcUrl('jdbc:postgresql://db.example:6543/inventory?user=app&password=s%3Dcret&ssl=true'), {
      kind: 'postgresql',
      subprotocol: 'postgresql',
      host: 'db.example',
      port: 6543,
      database: 'inventory',
      properties: { user: 'app', password: 's=cret', ssl: 'true' },
    })
  })
  test('PostgreSQL short form and default port', () => {
    const u = parseJdbcUrl('jdbc:postgresql:shop')
    assert.deepEqual([u.host, u.port, u.database], ['localhost', 5432, 'shop'])
    assert.equal(parseJdbcUrl('jdbc:postgresql://h/db').port, 5432)
  })
  test('MySQL and MariaDB: the first of several hosts, port 3306, optional database', () => {
    const m = parseJdbcUrl('jdbc:mysql://a:3307,b:3308/sales')
    assert.deepEqual([m.kind, m.host, m.port, m.database], ['mysql', 'a', 3307, 'sales'])
    const r = parseJdbcUrl('jdbc:mariadb://[::1]/')
    assert.deepEqual([r.kind, r.subprotocol, r.host, r.port, r.database], ['mysql', 'mariadb', '::1', 3306, ''])
  })
  test('anything else is a ConfigError naming the key, without the query string', () => {
    assert.throws(() => parseJdbcUrl('jdbc:oracle:thin:@h:1521:x'), /connection.url.*oracle database is not supported/)
    assert.throws(() => parseJdbcUrl('postgres://h/db'), /not a JDBC URL/)
    assert.throws(
      () => parseJdbcUrl('jdbc:mysql://h:port/db?password=secret'),
      (e: Error) => !e.message.includes('secret'),
    )
  })
})

describe('dialects', () => {
  test('upserts: ON CONFLICT on PostgreSQL, ON DUPLICATE KEY on MySQL; only keys: nothing to update', () => {
    assert.equal(
      postgresDialect.upsert('"t"', ['"id"', '"v"'], ['"id"'], '($1,$2)'),
      'INSERT INTO "t" ("id","v") VALUES ($1,$2) ON CONFLICT ("id") DO UPDATE SET "v"=EXCLUDED."v"',
    )
    assert.equal(
      postgresDialect.upsert('"t"', ['"id"'], ['"id"'], '($1)'),
      'INSERT INTO "t" ("id") VALUES ($1) ON CONFLICT ("id") DO NOTHING',
    )
    assert.equal(
      mysqlDialect.upsert('`t`', ['`id`', '`v`'], ['`id`'], '(?,?)'),
      'INSERT INTO `t` (`id`,`v`) VALUES (?,?) ON DUPLICATE KEY UPDATE `v`=VALUES(`v`)',
    )
  })
  test('quoting doubles the quote character', () => {
    assert.equal(postgresDialect.quote('a"b'), '"a""b"')
    assert.equal(mysqlDialect.quote('a`b'), '`a``b`')
  })
  test('column types per database and flavour; MySQL keys are bounded', () => {
    const dec = Decimal.builder(2).parameter('connect.decimal.precision', '10').build()
    assert.equal(postgresDialect.columnType(dec, false, 'confluent'), 'DECIMAL')
    assert.equal(postgresDialect.columnType(dec, false, 'debezium'), 'numeric(10,2)')
    assert.equal(mysqlDialect.columnType(dec, false, 'confluent'), 'DECIMAL(65,2)')
    assert.equal(mysqlDialect.columnType(Schema.STRING_SCHEMA, true, 'confluent'), 'VARCHAR(256)')
    assert.equal(mysqlDialect.columnType(Schema.STRING_SCHEMA, false, 'confluent'), 'TEXT')
    assert.equal(postgresDialect.columnType(Schema.INT32_SCHEMA, false, 'debezium'), 'integer')
  })
})

describe('source offsets, as Confluent writes them', () => {
  const json = new JsonConverter()
  json.configure({ 'schemas.enable': false }, false)
  const bytes = (m: unknown) => Buffer.from(json.fromConnectData('t', null, m) ?? []).toString()
  test('partition {protocol, table} and the query partition, in HashMap order', () => {
    assert.equal(
      bytes(partitionOf({ catalog: 'db', schema: 'public', table: 'users' })),
      '{"protocol":"1","table":"db.public.users"}',
    )
    assert.equal(bytes(partitionOf(null)), '{"query":"query"}')
  })
  test('offsets in HashMap(3) order: timestamp_nanos, incrementing, timestamp', () => {
    assert.equal(
      bytes(offsetMap({ incrementing: 7n, timestamp: { epochMs: 1_700_000_000_123, nanos: 123_456_789 } })),
      '{"timestamp_nanos":123456789,"incrementing":7,"timestamp":1700000000123}',
    )
    assert.equal(bytes(offsetMap({ incrementing: 2n ** 62n, timestamp: null })), `{"incrementing":${2n ** 62n}}`)
  })
  test('a record built with them survives the worker JSON converter', () => {
    const schema = SchemaBuilder.struct().name('users').field('id', Schema.INT32_SCHEMA).build()
    const r = new SourceRecord({
      sourcePartition: partitionOf({ catalog: 'db', schema: null, table: 'users' }),
      sourceOffset: offsetMap({ incrementing: 1n, timestamp: null }),
      topic: 'x',
      valueSchema: schema,
      value: new Struct(schema).put('id', 1),
    })
    assert.equal(bytes(r.sourcePartition), '{"protocol":"1","table":"db.users"}')
  })
})

test('tables are grouped contiguously, sizes differing by at most one', () => {
  assert.deepEqual(groupPartitions([1, 2, 3, 4, 5, 6, 7], 3), [
    [1, 2, 3],
    [4, 5],
    [6, 7],
  ])
  assert.deepEqual(groupPartitions([1, 2], 5), [[1], [2]])
  assert.deepEqual(groupPartitions([], 3), [])
})

describe('time-zone text', () => {
  test('wall time in UTC and in a zone with daylight saving, and back', () => {
    const t = Date.UTC(2024, 6, 1, 12, 0, 0, 250)
    assert.equal(wallTime(t, 'UTC', 7), '2024-07-01 12:00:00.250007')
    assert.equal(wallTime(t, 'Europe/Berlin'), '2024-07-01 14:00:00.250000')
    assert.deepEqual(parseWallTime('2024-07-01 14:00:00.250000', 'Europe/Berlin'), { epochMs: t, nanos: 250_000_000 })
    assert.deepEqual(parseWallTime('2024-07-01 12:00:00.25+00', 'Europe/Berlin'), { epochMs: t, nanos: 250_000_000 })
  })
  test('values bind without loss: 64-bit integers and decimals as text, booleans per database', () => {
    assert.equal(bindValue(2n ** 63n - 1n, Schema.INT64_SCHEMA, 'postgresql', 'UTC'), '9223372036854775807')
    assert.equal(bindValue(new BigDecimal(-12345n, 3), Decimal.schema(3), 'mysql', 'UTC'), '-12.345')
    assert.equal(bindValue(true, Schema.BOOLEAN_SCHEMA, 'mysql', 'UTC'), 1)
    const micro = SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build()
    assert.equal(bindValue(1_700_000_000_123_456n, micro, 'postgresql', 'UTC'), '2023-11-14 22:13:20.123456')
  })
})

describe('validation names the key at fault', () => {
  test('sink: a bad URL, and delete.enabled without pk.mode=record_key', async () => {
    const connector = new ConfluentJdbcSinkConnector()
    const errors = async (props: Record<string, string>) =>
      Object.fromEntries(
        (await connector.validate(props))
          .filter((v) => v.errorMessages.length > 0)
          .map((v) => [v.name, v.errorMessages[0]]),
      )
    assert.match((await errors({ 'connection.url': 'jdbc:db2://h/x' }))['connection.url'] ?? '', /db2/)
    assert.match(
      (await errors({ 'connection.url': 'jdbc:postgresql://h/x', 'delete.enabled': 'true' }))['delete.enabled'] ?? '',
      /record_key/,
    )
  })
  test('source: mode is required, and a database that does not answer is named on connection.url', async () => {
    const infos = validateToConfigInfos('JdbcSource', new JdbcSourceConnector().config(), { 'topic.prefix': 'x' })
    assert.ok(infos.error_count >= 1)
    const values = await new JdbcSourceConnector().validate({
      'connection.url': 'jdbc:postgresql://127.0.0.1:9/none',
      'topic.prefix': 'x',
      mode: 'bulk',
    })
    assert.match(values.find((v) => v.name === 'connection.url')?.errorMessages[0] ?? '', /Cannot connect/)
    const noMode = await new JdbcSourceConnector().validate({
      'connection.url': 'jdbc:postgresql://h/x',
      'topic.prefix': 'x',
    })
    assert.match(noMode.find((v) => v.name === 'mode')?.errorMessages[0] ?? '', /mode/)
  })
})
