/**
 * The sequence package in a real cluster, through the connector harness: two connect-distributed workers load it
 * from plugin.path by its package name, the worker running its task is killed with -9 mid-stream, and the count
 * shows at-least-once delivery: every number arrives, some twice. The sequence starts beyond 2^53, so the resumed
 * task's position went through the real offsets topic as a 64-bit integer: a JS number would have rounded it to a
 * multiple of 256 there.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { JsonConverter, type Struct } from 'tsconnect'
import {
  ConnectorHarness,
  countSequence,
  createTestTopic,
  topicRecordCount,
  topicRecords,
} from '../../../../test/support/connector-harness.ts'
import { until } from '../../../../test/support/herder-cluster.ts'

const START = 2n ** 60n + 1n

/** The sequence numbers in the topic, in order, read with the public JsonConverter (bigints beyond 2^53). */
async function numbersIn(topic: string): Promise<bigint[]> {
  const converter = new JsonConverter()
  converter.configure({}, false)
  return (await topicRecords(topic)).map(
    (r) => (converter.toConnectData(topic, Buffer.from(r.value ?? '')).value as Struct).get('seq') as bigint,
  )
}

/** The `next` offsets committed for connector seq (its sequence is named after it), as the bytes spell them. */
async function committedNexts(offsetsTopic: string): Promise<Set<string | undefined>> {
  return new Set(
    (await topicRecords(offsetsTopic))
      .filter((r) => r.key === '["seq",{"sequence":"seq"}]')
      .map((r) => /^\{"next":(\d+)\}$/.exec(r.value ?? '')?.[1]),
  )
}

function highestOf(numbers: readonly bigint[]): bigint {
  let highest = START
  for (const n of numbers) if (n > highest) highest = n
  return highest
}

describe('SequenceSource under kill -9 of the worker running its task', () => {
  let harness: ConnectorHarness | undefined
  after(() => harness?.close())

  test('loses no number, resumes from the exact 64-bit offset committed before the kill', async () => {
    const topic = await createTestTopic('sequence-kill')
    harness = await ConnectorHarness.start({
      pluginPath: '@tsconnect/connector-sequence',
      props: { 'offset.flush.interval.ms': '1000' },
    })
    await harness.createConnector('seq', {
      'connector.class': 'SequenceSource',
      topic,
      start: String(START),
      'batch.size': '20',
      'poll.interval.ms': '20',
    })
    // The kill point: mid-stream, after the task committed an offset at least once.
    const offsetsTopic = harness.props['offset.storage.topic'] as string
    const killed = await harness.killTaskOwnerWhen(
      'seq',
      async () => (await committedNexts(offsetsTopic)).size > 0 && (await topicRecordCount(topic)) >= 500,
    )
    const atKill = await topicRecordCount(topic)
    const owner = await harness.taskOwner('seq')
    assert.notEqual(owner.id, killed.id)
    // The new task first repeats what the old one wrote after its last commit; wait for numbers beyond those.
    await until('200 new numbers after the kill', 60_000, async () =>
      highestOf(await numbersIn(topic)) >= START + BigInt(atKill) + 200n ? true : undefined,
    )
    await harness.stopConnector('seq')
    const numbers = await numbersIn(topic)
    const highest = highestOf(numbers)
    const verdict = countSequence(START, Number(highest - START) + 1, numbers)
    console.log(
      `# sequence under kill -9: ${verdict.sent} numbers, ${verdict.lost} lost, ${verdict.duplicated} duplicated`,
    )
    assert.equal(verdict.lost, 0, JSON.stringify(verdict.lostRanges))
    assert.equal(verdict.unexpected, 0)
    assert.ok(verdict.sent > atKill, `the new task wrote nothing beyond the ${atKill} records before the kill`)

    // Where the new task took over (a step back in the topic), it started at an offset the old one committed.
    const committed = await committedNexts(offsetsTopic)
    const resumes = numbers.filter((n, i) => i > 0 && n <= (numbers[i - 1] as bigint))
    for (const n of resumes) assert.ok(committed.has(String(n)), `resumed at ${n}, which no committed offset holds`)
    assert.ok([...committed].every((n) => n !== undefined && BigInt(n) > START))
  })
})
