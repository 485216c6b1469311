import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { UsageError, workerProperties } from '../../../src/cli/connect-distributed.ts'

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-cli-unit-'))
const file = join(dir, 'worker.properties')
writeFileSync(file, 'group.id=from-file\nbootstrap.servers=file:9092\nclient.id=file\n')

describe('the worker properties of connect-distributed', () => {
  test('the file, then CONNECT_* variables, then --override, each overriding the one before', () => {
    const props = workerProperties([file, '--override', 'client.id=override'], {
      CONNECT_BOOTSTRAP_SERVERS: 'env:9092',
      CONNECT_CLIENT_ID: 'env',
      PATH: '/bin',
    })
    assert.deepEqual(props, { 'group.id': 'from-file', 'bootstrap.servers': 'env:9092', 'client.id': 'override' })
  })

  test('the file may come after the overrides', () => {
    assert.equal(workerProperties(['--override', 'a=b', file], {})['group.id'], 'from-file')
  })

  test('no file, or one that cannot be read, is a usage error', () => {
    assert.throws(() => workerProperties([], {}), UsageError)
    assert.throws(() => workerProperties(['--override', 'a=b'], {}), UsageError)
    assert.throws(() => workerProperties([join(dir, 'missing.properties')], {}), /Cannot read worker properties/)
  })
})
