import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { stripVTControlCharacters } from 'node:util'
import { outputFormat, Printer } from '../../../src/ctl/output.ts'
import { UsageError } from '../../../src/ctl/usage.ts'

function printer(color: boolean): { p: Printer; text: () => string } {
  let text = ''
  return {
    p: new Printer({ write: (t: string) => (text += t) }, color),
    text: () => text,
  }
}

describe('CLI output', () => {
  test('tables align columns by the widest cell, with no trailing spaces', () => {
    const { p, text } = printer(false)
    p.table(
      ['NAME', 'STATE'],
      [
        ['a-long-name', p.state('RUNNING')],
        ['b', p.state('FAILED')],
      ],
    )
    assert.equal(text(), 'NAME         STATE\na-long-name  RUNNING\nb            FAILED\n')
  })

  test('with colour, states are coloured and columns stay aligned by their visible width', () => {
    const { p, text } = printer(true)
    p.table(['NAME', 'TASKS', 'WORKER'], [['a', p.states([{ id: 0, state: 'FAILED' }]), 'w1']])
    const plain = stripVTControlCharacters(text())
    assert.equal(plain, 'NAME  TASKS      WORKER\na     0: FAILED  w1\n')
    assert.ok(text().includes('\u001b[31mFAILED\u001b[39m'), 'FAILED in red')
  })

  test('on a terminal, a long last column is cut to the terminal’s width; elsewhere it is whole', () => {
    const row = [['a', 'x'.repeat(40)]]
    let tty = ''
    new Printer({ write: (t: string) => (tty += t), isTTY: true, columns: 20 }, false).table(['N', 'ERROR'], row)
    assert.equal(tty, `N  ERROR\na  ${'x'.repeat(16)}…\n`)
    const { p, text } = printer(false)
    p.table(['N', 'ERROR'], row)
    assert.equal(text(), `N  ERROR\na  ${'x'.repeat(40)}\n`)
  })

  test('-o takes table, json or yaml; anything else is a usage error', () => {
    assert.equal(outputFormat(undefined), 'table')
    assert.equal(outputFormat('JSON'), 'json')
    assert.throws(() => outputFormat('xml'), UsageError)
  })
})
