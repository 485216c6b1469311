/** Which test services a run starts: those its test files call for, and those asked for by name. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { servicesToStart } from '../../../tools/services/registry.ts'
import { SERVICE_USES } from '../../support/services.ts'

// Built from pieces: this file must not itself contain a helper call, or test/run.ts would start that service for
// every run that selects it.
const call = (helper: string) => `const service = await ${helper}(t)`
const postgresTest = call('testPostgres')
const s3Test = call('testS3')
const unitTest = `test('pure', () => assert.equal(1, 1))`

test('a run of files that call no service helper starts no service', () => {
  assert.deepEqual(servicesToStart([unitTest], SERVICE_USES), [])
})

test('each helper called in a selected file starts its service once, in the registry order', () => {
  assert.deepEqual(servicesToStart([s3Test, postgresTest, postgresTest], SERVICE_USES), ['postgres', 's3'])
})

test('a helper only named, not called, starts nothing', () => {
  assert.deepEqual(servicesToStart([`import { testOpenSearch } from './services.ts'`], SERVICE_USES), [])
})

test('TSCONNECT_TEST_SERVICES adds services by name, and `all` adds every one', () => {
  assert.deepEqual(servicesToStart([unitTest], SERVICE_USES, 'mariadb, opensearch'), ['mariadb', 'opensearch'])
  assert.deepEqual(servicesToStart([], SERVICE_USES, 'all'), [
    'postgres',
    'mariadb',
    's3',
    'opensearch',
    'schema-registry',
    'java-plugins',
    'chromium',
    'jvm-host',
  ])
})

test('an unknown service name is an error that lists the known ones', () => {
  assert.throws(() => servicesToStart([], SERVICE_USES, 'mongodb'), /unknown test service mongodb \(known: postgres,/)
})
