import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { RecordToSend } from '../../../src/kafka/topic-log.ts'
import type { TransactionalTopicWriter } from '../../../src/kafka/transactional-writer.ts'
import { TransactionalPrivilegedWriter } from '../../../src/stores/privileged-writer.ts'

/** A transactional writer whose claims fail while `refuse` says so (a missing ACL, then one added). */
function scriptedWriters(state: { refuse: string | undefined; claims: number; written: RecordToSend[] }) {
  return (): TransactionalTopicWriter => ({
    async claim() {
      state.claims++
      if (state.refuse) throw new Error(state.refuse)
    },
    async sendInTransaction(records) {
      state.written.push(...records)
    },
    async close() {},
  })
}

const record: RecordToSend = { key: Buffer.from('k'), value: Buffer.from('v') }

describe('privileged writes with a transactional writer', () => {
  test('a write after a failed claim claims again and fails with the claim’s cause, naming what was refused', async () => {
    const state = { refuse: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' as string | undefined, claims: 0, written: [] }
    const writer = new TransactionalPrivilegedWriter(scriptedWriters(state))
    await assert.rejects(writer.claim(), /fencable producer for config topic: TRANSACTIONAL_ID_AUTHORIZATION_FAILED/)
    await assert.rejects(writer.write([record]), /TRANSACTIONAL_ID_AUTHORIZATION_FAILED/)
    assert.equal(state.claims, 2)
    assert.equal(state.written.length, 0)
  })

  test('once the cause is gone, the next write claims and succeeds', async () => {
    const state = { refuse: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' as string | undefined, claims: 0, written: [] }
    const writer = new TransactionalPrivilegedWriter(scriptedWriters(state))
    await assert.rejects(writer.claim())
    state.refuse = undefined
    await writer.write([record])
    assert.equal(state.written.length, 1)
  })
})
