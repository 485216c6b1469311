/**
 * Bytes written by real Java Connect workers (Kafka 4.3.1), captured by test/fixtures/connect-protocol/capture.ts:
 * they decode to what Java meant, and re-encode to the very same bytes.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { decodeAssignment, encodeAssignment } from '../../../src/protocol/connect-assignment.ts'
import { decodeWorkerMetadata, encodeWorkerMetadata } from '../../../src/protocol/connect-metadata.ts'

const fixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/connect-protocol/java-captured.json', import.meta.url), 'utf8'),
) as { kafka: string; captured: Record<string, { hex: string }> }

function bytes(name: string): Buffer {
  const f = fixtures.captured[name]
  assert.ok(f, `fixture ${name}`)
  return Buffer.from(f.hex, 'hex')
}

describe(`Connect protocol bytes from Java workers (Kafka ${fixtures.kafka})`, () => {
  test('the first assignment from a Java leader: sessioned, no work yet, no revocation, no delay', () => {
    const wire = bytes('java-assignment-v2')
    const a = decodeAssignment(wire)
    assert.equal(a.version, 2)
    assert.equal(a.error, 0)
    assert.match(a.leader, /^connect-127\.0\.0\.1:\d+-[0-9a-f-]{36}$/)
    assert.match(a.leaderUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/)
    assert.equal(a.configOffset, 5n)
    assert.deepEqual([a.assigned.connectors, a.assigned.tasks, a.revoked.tasks, a.delay], [[], [], [], 0])
    assert.deepEqual(encodeAssignment(a), wire)
  })

  test('the follow-up assignment from a Java leader hands over task 0 of the sink', () => {
    const wire = bytes('java-assignment-v2-follow-up')
    const a = decodeAssignment(wire)
    assert.deepEqual(a.assigned, { connectors: [], tasks: [{ connector: 'sink', task: 0 }] })
    assert.deepEqual(encodeAssignment(a), wire)
  })

  test('a fresh Java worker announces its URL and config offset with a null allocation', () => {
    const wire = bytes('java-metadata-v2-no-allocation')
    const m = decodeWorkerMetadata(wire)
    assert.equal(m.version, 2)
    assert.match(m.url, /^http:\/\/127\.0\.0\.1:\d+\/$/)
    assert.equal(m.configOffset, 5n)
    assert.equal(m.allocation, null)
    assert.deepEqual(encodeWorkerMetadata(m), wire)
  })

  test('a Java worker that has been assigned (here: nothing) reports that assignment, not null', () => {
    const wire = bytes('java-metadata-v2-with-allocation')
    const m = decodeWorkerMetadata(wire)
    assert.ok(m.allocation)
    assert.equal(m.allocation.version, 2)
    assert.match(m.allocation.leaderUrl, /^http:\/\/tsconnect:8083$/, 'the assignment tsconnect sent it')
    assert.deepEqual(encodeWorkerMetadata(m), wire)
  })
})
