/**
 * A FileStreamSource task on the real broker moves a 100,000-line file into a topic; killed in the middle
 * (SIGKILL: no drain, no final commit) and restarted, it resumes from its committed offset: no line is missing,
 * and the only duplicates are the records produced after the last commit before the kill, counted exactly.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { encodeOffsetKey } from '../../../src/protocol/offset-records.ts'
import { createKafkaOffsetStore } from '../../../src/stores/kafka-stores.ts'
import { uniqueName } from '../../support/kafka.ts'
import { quietLogger } from '../../support/stores.ts'
import { createTopic, endOffset, eventually, readAll, startWorker, workerProps } from './support.ts'

const LINES = 100_000
/** Fixed-width lines, so a committed position says how many lines it covers. */
const line = (i: number) => `line-${String(i).padStart(6, '0')}`
const LINE_BYTES = line(0).length + 1

describe('FileStreamSource on Kafka', () => {
  test('moves a 100,000-line file; killed and restarted, it resumes from its committed offset with no gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fss-kill-'))
    const file = join(dir, 'input.txt')
    const topic = uniqueName('file-lines')
    await createTopic(topic)
    // Half the file first: the kill lands while the task waits for (or reads) the rest.
    writeFileSync(file, Array.from({ length: LINES / 2 }, (_, i) => `${line(i)}\n`).join(''))
    const props = workerProps({ 'offset.flush.interval.ms': '200' })
    const name = uniqueName('file-source')
    const config = { name, 'connector.class': 'FileStreamSource', file, topic, 'batch.size': '500' }

    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'fixtures', 'source-worker.ts'), JSON.stringify(props), JSON.stringify(config)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const offsets = createKafkaOffsetStore(props, { logger: quietLogger(), fetchMaxWaitMs: 100 })
    const key = encodeOffsetKey(name, { filename: file })
    try {
      await eventually(() => child.stdout.read() !== null || child.exitCode !== null, 'the child worker')
      await offsets.start()
      // Wait until the task committed part of the file, then append the rest and kill it mid-way.
      await eventually(async () => (await offsets.get([key]))[0] !== null, 'a first commit')
      appendFileSync(file, Array.from({ length: LINES / 2 }, (_, i) => `${line(LINES / 2 + i)}\n`).join(''))
      await eventually(async () => (await endOffset(topic)) > BigInt(LINES / 2), 'records past the first half')
    } finally {
      child.kill('SIGKILL')
    }
    await new Promise((r) => child.once('exit', r))
    const producedAtKill = Number(await endOffset(topic))
    const [committed] = await offsets.get([key])
    await offsets.stop()
    const committedLines = (JSON.parse(committed?.toString() ?? '{}').position as number) / LINE_BYTES
    assert.ok(Number.isInteger(committedLines) && committedLines > 0, `committed ${committed}`)
    assert.ok(committedLines <= producedAtKill, 'Invariant 1: nothing is committed beyond what Kafka has')

    const restarted = await startWorker(props)
    try {
      await restarted.worker.startTask({ connector: name, task: 0 }, config, config, 'STARTED')
      const expectedTotal = LINES + (producedAtKill - committedLines)
      await eventually(async () => Number(await endOffset(topic)) >= expectedTotal, 'the whole file', 60000)
      const values = (await readAll(topic)).map((r) => r.value?.toString())
      const seen = new Map<string, number>()
      for (const v of values) seen.set(v as string, (seen.get(v as string) ?? 0) + 1)
      for (let i = 0; i < LINES; i++) assert.ok(seen.has(line(i)), `line ${i} is missing`)
      const duplicates = values.length - LINES
      // Exactly the records produced after the last commit before the kill are produced again.
      assert.equal(duplicates, producedAtKill - committedLines)
      for (const [v, n] of seen) if (n > 1) assert.ok(Number(v.slice(5)) >= committedLines, `${v} duplicated`)
      console.log(`# killed at ${producedAtKill} records, committed ${committedLines} lines, ${duplicates} duplicates`)
    } finally {
      await restarted.stop()
    }
  })
})
