/**
 * docs/errors.md documents the error table of src/errors.ts (the habit of fastify's test that every error code is
 * documented): one row per code, with the code's retriable flag, and no row for a code that does not exist.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { ERROR_CODES } from '../../../src/errors.ts'

const page = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const rows = new Map(
  [...page.matchAll(/^\| `([A-Z_]+)` +\| (yes|no) +\|/gm)].map((m) => [m[1] ?? '', m[2] === 'yes'] as const),
)

test('every error code has a row in docs/errors.md with its retriable flag', () => {
  for (const [code, { retriable }] of Object.entries(ERROR_CODES)) {
    assert.equal(rows.get(code), retriable, `${code} (retriable: ${retriable})`)
  }
})

test('docs/errors.md has no row for a code that does not exist', () => {
  assert.deepEqual(
    [...rows.keys()].filter((code) => !(code in ERROR_CODES)),
    [],
  )
})
