/**
 * Validation names what tsconnect's PostgresConnector does not implement instead of ignoring it: another decoding
 * plugin, Debezium keys that would change the records (SSL, masking, custom snapshots), exclusive lists together.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PostgresConnector } from '../../src/connector.ts'

const BASE = {
  'topic.prefix': 'pgsrv',
  'database.hostname': 'localhost',
  'database.user': 'cdc',
  'database.dbname': 'inventory',
  'plugin.name': 'pgoutput',
}

function errors(props: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const v of new PostgresConnector().validate(props)) if (v.errorMessages.length > 0) out[v.name] = v.errorMessages
  return out
}

test("a Debezium config for pgoutput validates with Debezium's defaults", () => {
  assert.deepEqual(errors(BASE), {})
})

test("decoderbufs (Debezium's default plugin) is named as not implemented", () => {
  const { 'plugin.name': _omitted, ...withoutPlugin } = BASE
  assert.match(errors(withoutPlugin)['plugin.name']?.[0] ?? '', /pgoutput only/)
})

test('unimplemented Debezium keys are errors unless set to what tsconnect does anyway', () => {
  const found = errors({
    ...BASE,
    'database.sslmode': 'require',
    'column.mask.with.12.chars': 'inv.customers.email',
    'schema.name.adjustment.mode': 'none',
  })
  assert.match(found['database.sslmode']?.[0] ?? '', /does not implement \(only disable\)/)
  assert.ok(found['column.mask.with.12.chars'])
  assert.equal(found['schema.name.adjustment.mode'], undefined)
})

test('include and exclude lists of one kind may not be set together; a bad snapshot.mode is refused', () => {
  const found = errors({
    ...BASE,
    'table.include.list': 'inv.a',
    'table.exclude.list': 'inv.b',
    'snapshot.mode': 'custom',
  })
  assert.ok(found['table.exclude.list'])
  assert.ok(found['snapshot.mode'])
})
