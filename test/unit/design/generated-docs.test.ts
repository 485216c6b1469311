/**
 * The generated pages are what `npm run docs` writes from today's ConfigDefs (the runtime's, and each connector
 * package's), so a key, default or description changed without regenerating fails here.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { connectorPages, generatedPages } from '../../../scripts/docs.ts'

const ROOT = new URL('../../../', import.meta.url)

for (const page of [...generatedPages(), ...(await connectorPages())]) {
  test(`${page.path} is what \`npm run docs\` writes`, () => {
    assert.equal(readFileSync(new URL(page.path, ROOT), 'utf8'), page.text)
  })
}
