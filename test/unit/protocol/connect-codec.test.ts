/**
 * The Connect group protocol codec: hand-written byte vectors for every layout (from Java's ConnectProtocol /
 * IncrementalCooperativeConnectProtocol, KIP-415), round trips, and property tests.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { CorruptDataError } from '../../../src/errors.ts'
import { type ConnectAssignment, decodeAssignment, encodeAssignment } from '../../../src/protocol/connect-assignment.ts'
import { decodeWorkerMetadata, encodeWorkerMetadata } from '../../../src/protocol/connect-metadata.ts'
import { type ConnectorsAndTasks, compareTaskIds } from '../../../src/protocol/connector-assignments.ts'

/** Hex fragments (spaces allowed) and quoted ASCII text, joined into bytes. */
function bytes(...parts: string[]): Buffer {
  return Buffer.concat(
    parts.map((p) =>
      p.startsWith("'") ? Buffer.from(p.slice(1, -1), 'ascii') : Buffer.from(p.replace(/ /g, ''), 'hex'),
    ),
  )
}

const none: ConnectorsAndTasks = { connectors: [], tasks: [] }

describe('worker metadata', () => {
  test('v0 (default): version 0, url, config offset', () => {
    const wire = bytes('0000', '000d', "'http://a:8083'", '00000000 0000002a')
    assert.deepEqual(
      encodeWorkerMetadata({ version: 0, url: 'http://a:8083', configOffset: 42n, allocation: null }),
      wire,
    )
    assert.deepEqual(decodeWorkerMetadata(wire), {
      version: 0,
      url: 'http://a:8083',
      configOffset: 42n,
      allocation: null,
    })
  })

  test('v1 (compatible) without an allocation writes null bytes (-1); offset -1 means nothing read', () => {
    const wire = bytes('0001', '0001', "'u'", 'ffffffff ffffffff', 'ffffffff')
    assert.deepEqual(encodeWorkerMetadata({ version: 1, url: 'u', configOffset: -1n, allocation: null }), wire)
    assert.deepEqual(decodeWorkerMetadata(wire), { version: 1, url: 'u', configOffset: -1n, allocation: null })
  })

  test('v2 (sessioned) embeds the current assignment with the same header version', () => {
    const allocation = bytes(
      '0002 0000', // version 2, no error
      '0001',
      "'L'",
      '0001',
      "'U'", // leader, leader url
      '00000000 00000005', // config offset 5
      '00000001',
      '0001',
      "'c'",
      '00000002',
      'ffffffff',
      '00000000', // assignment: c → [connector, task 0]
      '00000000', // revoked: empty array
      '00000000', // delay 0
    )
    assert.equal(allocation.length, 0x2d)
    const wire = bytes('0002', '0001', "'u'", '00000000 00000009', '0000002d', allocation.toString('hex'))
    const metadata = {
      version: 2,
      url: 'u',
      configOffset: 9n,
      allocation: {
        version: 1, // rewritten to the metadata's version when encoding
        error: 0,
        leader: 'L',
        leaderUrl: 'U',
        configOffset: 5n,
        assigned: { connectors: ['c'], tasks: [{ connector: 'c', task: 0 }] },
        revoked: none,
        delay: 0,
      },
    }
    assert.deepEqual(encodeWorkerMetadata(metadata), wire)
    assert.deepEqual(decodeWorkerMetadata(wire), { ...metadata, allocation: { ...metadata.allocation, version: 2 } })
  })

  test('v0 metadata read by the v1 reader has no allocation; a v1 message cut before the allocation too', () => {
    assert.equal(decodeWorkerMetadata(bytes('0001', '0001', "'u'", '00000000 00000001')).allocation, null)
  })

  test('trailing bytes after the known fields are ignored (a future version appends fields)', () => {
    const m = decodeWorkerMetadata(bytes('0003', '0001', "'u'", '00000000 00000001', 'ffffffff', 'cafe'))
    assert.equal(m.version, 3)
    assert.equal(m.allocation, null)
  })

  test('malformed metadata is rejected with CorruptDataError', () => {
    const cases: [string, Buffer][] = [
      ['empty', bytes('')],
      ['negative version', bytes('ffff', '0001', "'u'", '00000000 00000001')],
      ['string longer than the message', bytes('0000', '0010', "'u'")],
      ['negative string length', bytes('0000', '8000', '00000000 00000001')],
      ['offset cut short', bytes('0000', '0001', "'u'", '0000')],
      ['allocation longer than the message', bytes('0001', '0001', "'u'", '00000000 00000001', '00000010', '0001')],
      ['allocation of garbage', bytes('0001', '0001', "'u'", '00000000 00000001', '00000002', 'ffff')],
      ['invalid UTF-8 in url', bytes('0000', '0002', 'c328', '00000000 00000001')],
    ]
    for (const [name, wire] of cases) {
      assert.throws(() => decodeWorkerMetadata(wire), CorruptDataError, name)
    }
  })
})

describe('assignment', () => {
  const v0 = bytes(
    '0000', // version 0
    '0001', // error CONFIG_MISMATCH
    '0003',
    "'m-1'", // leader
    '0008',
    "'http://l'", // leader url
    '00000000 00000007', // config offset
    '00000002', // two connector entries
    '0001',
    "'a'",
    '00000003',
    'ffffffff 00000000 00000001', // a: connector, tasks 0, 1
    '0001',
    "'b'",
    '00000001',
    '00000002', // b: task 2 only
  )
  const v0Assignment: ConnectAssignment = {
    version: 0,
    error: 1,
    leader: 'm-1',
    leaderUrl: 'http://l',
    configOffset: 7n,
    assigned: {
      connectors: ['a'],
      tasks: [
        { connector: 'a', task: 0 },
        { connector: 'a', task: 1 },
        { connector: 'b', task: 2 },
      ],
    },
    revoked: none,
    delay: 0,
  }

  test('v0: complete assignment, -1 for the connector, no revoked and no delay on the wire', () => {
    assert.deepEqual(encodeAssignment(v0Assignment), v0)
    assert.deepEqual(decodeAssignment(v0), v0Assignment)
  })

  const v1 = bytes(
    '0001 0000', // version 1, no error
    '0001',
    "'L'",
    '0001',
    "'U'",
    '00000000 00000064', // config offset 100
    '00000001',
    '0001',
    "'x'",
    '00000001',
    '00000003', // assignment: x task 3
    '00000001',
    '0001',
    "'y'",
    '00000002',
    'ffffffff 00000000', // revoked: y connector and task 0
    '000493e0', // delay 300000
  )
  const v1Assignment: ConnectAssignment = {
    version: 1,
    error: 0,
    leader: 'L',
    leaderUrl: 'U',
    configOffset: 100n,
    assigned: { connectors: [], tasks: [{ connector: 'x', task: 3 }] },
    revoked: { connectors: ['y'], tasks: [{ connector: 'y', task: 0 }] },
    delay: 300000,
  }

  test('v1: incremental assignment with revoked items and a scheduled delay', () => {
    assert.deepEqual(encodeAssignment(v1Assignment), v1)
    assert.deepEqual(decodeAssignment(v1), v1Assignment)
  })

  test('v2 is the v1 layout with header 2', () => {
    const v2 = Buffer.from(v1)
    v2.writeInt16BE(2, 0)
    assert.deepEqual(encodeAssignment({ ...v1Assignment, version: 2 }), v2)
    assert.deepEqual(decodeAssignment(v2), { ...v1Assignment, version: 2 })
  })

  test('the v1 reader tolerates missing trailing fields: revoked empty, delay 0', () => {
    const head = bytes('0001 0000', '0001', "'L'", '0001', "'U'", '00000000 00000001')
    const noArrays = decodeAssignment(head)
    assert.deepEqual([noArrays.assigned, noArrays.revoked, noArrays.delay], [none, none, 0])
    const noRevoked = decodeAssignment(Buffer.concat([head, bytes('00000000')]))
    assert.deepEqual([noRevoked.revoked, noRevoked.delay], [none, 0])
    const noDelay = decodeAssignment(Buffer.concat([head, bytes('00000000', '00000000')]))
    assert.equal(noDelay.delay, 0)
  })

  test('null arrays (-1) read as empty sets', () => {
    const a = decodeAssignment(
      bytes('0001 0000', '0001', "'L'", '0001', "'U'", '00000000 00000001', 'ffffffff ffffffff 00000005'),
    )
    assert.deepEqual([a.assigned, a.revoked, a.delay], [none, none, 5])
  })

  test('Java always writes the arrays, even empty ones (count 0, not -1)', () => {
    const wire = encodeAssignment({ ...v1Assignment, assigned: none, revoked: none, delay: 0 })
    assert.deepEqual(wire.subarray(wire.length - 12), bytes('00000000 00000000 00000000'))
  })

  test('malformed assignments are rejected with CorruptDataError', () => {
    const head = '0001 0000 0001 4c 0001 55 0000000000000001'
    const cases: [string, Buffer][] = [
      ['negative version', bytes('fffe 0000 0001 4c 0001 55 0000000000000001')],
      ['missing leader url', bytes('0001 0000 0001 4c')],
      ['missing config offset', bytes('0001 0000 0001 4c 0001 55')],
      ['array count beyond the message', bytes(head, '7fffffff')],
      ['negative array count', bytes(head, 'fffffffe')],
      ['null task list', bytes(head, '00000001 0001 61 ffffffff')],
      ['task id below -1', bytes(head, '00000001 0001 61 00000001 fffffffe')],
      ['delay cut short', bytes(head, '00000000 00000000 0000')],
    ]
    for (const [name, wire] of cases) {
      assert.throws(() => decodeAssignment(wire), CorruptDataError, name)
    }
  })
})

const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\u0000'))
const work: fc.Arbitrary<ConnectorsAndTasks> = fc
  .uniqueArray(fc.record({ connector: name, taskCount: fc.nat(4), runsConnector: fc.boolean() }), {
    selector: (c) => c.connector,
    maxLength: 6,
  })
  .map((cs) => ({
    connectors: cs.filter((c) => c.runsConnector).map((c) => c.connector),
    tasks: cs.flatMap((c) => Array.from({ length: c.taskCount }, (_, task) => ({ connector: c.connector, task }))),
  }))
const assignment: fc.Arbitrary<ConnectAssignment> = fc.record({
  version: fc.constantFrom(1, 2),
  error: fc.constantFrom(0, 1),
  leader: fc.string({ maxLength: 20 }),
  leaderUrl: fc.string({ maxLength: 30 }),
  configOffset: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }),
  assigned: work,
  revoked: work,
  delay: fc.nat(),
})

function normal(w: ConnectorsAndTasks): ConnectorsAndTasks {
  return { connectors: [...w.connectors].sort(), tasks: [...w.tasks].sort(compareTaskIds) }
}

describe('properties', () => {
  test('v1/v2 assignments round-trip, with the same sets of connectors and tasks', () => {
    fc.assert(
      fc.property(assignment, (a) => {
        const back = decodeAssignment(encodeAssignment(a))
        assert.deepEqual(
          { ...back, assigned: normal(back.assigned), revoked: normal(back.revoked) },
          {
            ...a,
            assigned: normal(a.assigned),
            revoked: normal(a.revoked),
          },
        )
        assert.deepEqual(encodeAssignment(back), encodeAssignment(a))
      }),
    )
  })

  test('v0 assignments round-trip their complete set', () => {
    fc.assert(
      fc.property(assignment, (a) => {
        const v0 = { ...a, version: 0, revoked: none, delay: 0 }
        const back = decodeAssignment(encodeAssignment(v0))
        assert.deepEqual(normal(back.assigned), normal(v0.assigned))
        assert.deepEqual([back.revoked, back.delay], [none, 0])
      }),
    )
  })

  test('metadata round-trips in every version', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2),
        fc.string(),
        fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }),
        fc.option(assignment),
        (version, url, configOffset, allocation) => {
          const back = decodeWorkerMetadata(encodeWorkerMetadata({ version, url, configOffset, allocation }))
          assert.equal(back.version, version)
          assert.equal(back.url, url)
          assert.equal(back.configOffset, configOffset)
          if (version === 0 || allocation === null) assert.equal(back.allocation, null)
          else assert.deepEqual(normal(back.allocation?.assigned ?? none), normal(allocation.assigned))
        },
      ),
    )
  })

  test('arbitrary bytes either decode or raise CorruptDataError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        for (const decode of [decodeAssignment, decodeWorkerMetadata]) {
          try {
            decode(Buffer.from(raw))
          } catch (err) {
            assert.ok(err instanceof CorruptDataError, String(err))
          }
        }
      }),
      { numRuns: 2000 },
    )
  })

  test('truncating a valid message anywhere decodes a prefix or raises CorruptDataError', () => {
    fc.assert(
      fc.property(assignment, fc.nat(), (a, cut) => {
        const wire = encodeAssignment(a)
        try {
          decodeAssignment(wire.subarray(0, cut % (wire.length + 1)))
        } catch (err) {
          assert.ok(err instanceof CorruptDataError, String(err))
        }
      }),
    )
  })
})
