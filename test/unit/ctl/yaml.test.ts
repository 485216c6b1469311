import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { toYaml } from '../../../src/ctl/yaml.ts'

describe('YAML output', () => {
  test('objects and lists nest in block style, list items of objects start on the dash line', () => {
    const yaml = toYaml([{ name: 'a', tasks: [{ id: 0, state: 'RUNNING' }], config: {} }])
    assert.equal(yaml, '- name: a\n  tasks:\n    - id: 0\n      state: RUNNING\n  config: {}\n')
  })

  test('strings that would read back as something else are quoted', () => {
    const yaml = toYaml({
      a: 'true',
      b: '12',
      c: '',
      d: 'x: y',
      e: 'http://h:1',
      f: 'line\nnext',
      g: '-1',
      h: 'plain.value',
      i: 'n',
    })
    assert.equal(
      yaml,
      'a: "true"\nb: "12"\nc: ""\nd: "x: y"\ne: "http://h:1"\nf: "line\\nnext"\ng: "-1"\nh: plain.value\ni: "n"\n',
    )
  })

  test('numbers, booleans and null are YAML scalars; undefined fields are left out, as in JSON', () => {
    assert.equal(toYaml({ count: 3, b: false, z: null, u: undefined, l: [] }), 'count: 3\nb: false\nz: null\nl: []\n')
  })
})
