/**
 * The young generation held while a worker command starts (startup-heap.ts) is the command's default only: a
 * user's own young-generation flags are kept.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { youngGenerationConfigured } from '../../../src/cli/startup-heap.ts'

describe('the young generation at start-up', () => {
  test('a process without young-generation flags gets the hold', () => {
    assert.equal(youngGenerationConfigured([], undefined), false)
    assert.equal(youngGenerationConfigured(['--enable-source-maps'], '--max-old-space-size=512'), false)
  })

  test('--max-semi-space-size on the command line or in NODE_OPTIONS is the user’s', () => {
    assert.equal(youngGenerationConfigured(['--max-semi-space-size=8'], undefined), true)
    assert.equal(youngGenerationConfigured([], '--max-old-space-size=512 --max-semi-space-size=8'), true)
  })

  test('V8’s underscore spelling and the growth factor count too', () => {
    assert.equal(youngGenerationConfigured(['--max_semi_space_size=8'], ''), true)
    assert.equal(youngGenerationConfigured([], '--semi-space-growth-factor=4'), true)
  })
})
