import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeFrame, FrameDecoder } from '../../../src/jvm/frames.ts'
import { javaConfigDef, javaConfigValues } from '../../../src/jvm/java-config.ts'
import { parseOrderedJson } from '../../../src/jvm/ordered-json.ts'
import { toJacksonJson } from '../../../src/protocol/jackson-json.ts'

describe('the JVM plugin host protocol', () => {
  it('splits frames however the bytes arrive', () => {
    const bytes = Buffer.concat([encodeFrame({ id: 1, op: 'poll' }), encodeFrame({ re: 1, ok: true, result: 'ü' })])
    const decoder = new FrameDecoder()
    const out: unknown[] = []
    for (let i = 0; i < bytes.length; i += 3) out.push(...decoder.push(bytes.subarray(i, i + 3)))
    assert.deepEqual(out, [
      { id: 1, op: 'poll' },
      { re: 1, ok: true, result: 'ü' },
    ])
  })

  it("reads Java's offset JSON with its field order and 64-bit values, so it is written back byte for byte", () => {
    const text = '{"b":1,"10":"x","a":{"2":true,"1":null},"lsn":9223372036854775807,"f":1.5}'
    const parsed = parseOrderedJson(text)
    assert.ok(parsed instanceof Map)
    assert.deepEqual([...parsed.keys()], ['b', '10', 'a', 'lsn', 'f'])
    assert.equal(parsed.get('lsn'), 9223372036854775807n)
    assert.equal(toJacksonJson(parsed), text)
  })

  it("rebuilds a Java ConfigDef's keys with their defaults, groups and documentation", () => {
    const def = javaConfigDef([
      {
        name: 'batch.size',
        type: 'INT',
        default: '2000',
        required: false,
        importance: 'LOW',
        documentation: 'lines per poll',
        group: null,
        orderInGroup: -1,
        width: 'NONE',
        displayName: 'batch.size',
        dependents: [],
        internal: false,
      },
      {
        name: 'topic',
        type: 'LIST',
        required: true,
        importance: 'HIGH',
        documentation: 'where to write',
        group: 'Common',
        orderInGroup: 1,
        width: 'LONG',
        displayName: 'Topic',
        dependents: [],
        internal: false,
      },
    ])
    const batch = def.configKeys.get('batch.size')
    assert.equal(batch?.defaultValue, 2000)
    assert.equal(def.configKeys.get('topic')?.hasDefault, false)
    assert.deepEqual(def.groups, ['Common'])
  })

  it("maps Java's validated values, hiding passwords", () => {
    const [v] = javaConfigValues([{ name: 'p', value: '[hidden]', recommended: [], errors: ['bad'], visible: true }])
    assert.equal(String(v?.value), '[hidden]')
    assert.deepEqual(v?.errorMessages, ['bad'])
  })
})
