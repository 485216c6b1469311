import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type HeldAck, HeldAcks } from '../../src/held-acks.ts'

function setup(ids: number[]) {
  const acks = new HeldAcks()
  const sent: number[] = []
  const holds = ids.map((id) => acks.hold(id))
  const held = (i: number) => holds[i] as HeldAck
  for (const id of ids)
    assert.equal(
      acks.offer(id, () => sent.push(id)),
      true,
    )
  return { acks, sent, held }
}

test('an acknowledgement leaves only once its record is committed', () => {
  const { acks, sent, held } = setup([7])
  assert.equal(sent.length, 0)
  acks.commit(held(0))
  assert.deepEqual(sent, [7])
  assert.equal(acks.size, 0)
})

test('acknowledgements leave in arrival order: a committed message waits for those before it', () => {
  const { acks, sent, held } = setup([1, 2, 3])
  acks.commit(held(2))
  acks.commit(held(1))
  assert.equal(sent.length, 0)
  acks.commit(held(0))
  assert.deepEqual(sent, [1, 2, 3])
})

test('a record committed before the client asked to acknowledge it is acknowledged when the client asks', () => {
  const acks = new HeldAcks()
  const sent: number[] = []
  const held = acks.hold(4)
  acks.commit(held)
  assert.equal(sent.length, 0)
  assert.equal(
    acks.offer(4, () => sent.push(4)),
    true,
  )
  assert.deepEqual(sent, [4])
})

test('an acknowledgement of a message not held goes at once (offer answers false)', () => {
  const acks = new HeldAcks()
  assert.equal(
    acks.offer(9, () => {}),
    false,
  )
})

test('after the connection closed, nothing held is ever sent, committed or not', () => {
  const { acks, sent, held } = setup([1, 2])
  assert.equal(acks.reset(), 2)
  acks.commit(held(0))
  acks.commit(held(1))
  assert.equal(sent.length, 0)
  // The same packet id on the next connection is a new message of its own.
  const again = acks.hold(1)
  acks.offer(1, () => sent.push(101))
  acks.commit(again)
  assert.deepEqual(sent, [101])
})

test('drained() resolves once the last held acknowledgement left', async () => {
  const { acks, held } = setup([1])
  let drained = false
  const waiting = acks.drained().then(() => {
    drained = true
  })
  await Promise.resolve()
  assert.equal(drained, false)
  acks.commit(held(0))
  await waiting
  assert.equal(drained, true)
})
