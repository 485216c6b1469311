/**
 * Faults around the JVM plugin host, on one tsconnect worker running Kafka's FileStream connectors as Java plugins:
 *
 *   - a Java task that blocks (FileStreamSink opening a FIFO nobody reads) holds only its own thread: REST answers
 *     and another Java task keeps moving data;
 *   - kill -9 of the host fails every task it hosted (the status topic records FAILED with the reason), the host is
 *     started again, the worker's automatic restart brings the tasks back, and no line is lost: the source resumes
 *     from its committed offset, the sink from its consumer group's.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import {
  appendFileSync,
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createAdmin, createFetchClient } from '../../../src/kafka/clients.ts'
import { fetchPartition } from '../../../src/kafka/fetch.ts'
import { ensureKafka } from '../../../tools/kafka/jars.ts'
import { compatProperties } from '../../support/compat.ts'
import { type DistributedProcess, startDistributed } from '../../support/connect-process.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testClientProperties, uniqueName } from '../../support/kafka.ts'
import { jvmHost } from '../../support/services.ts'

const WAIT_MS = 120_000
const dir = mkdtempSync(join(tmpdir(), 'jvm-host-faults-'))
const consumer = createFetchClient(testClientProperties())
const group = uniqueName('jvm-faults')
const topic = `${group}-lines`
let worker: DistributedProcess

/** The JVM plugin host under the worker process. */
function hostPid(): number | undefined {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(worker.run.child.pid)], { encoding: 'utf8' })
  const line = out.split('\n').find((l) => l.includes('dev.tsconnect.host.Main'))
  return line === undefined ? undefined : Number(line.trim().split(/\s+/)[0])
}

async function create(name: string, config: Record<string, string>): Promise<void> {
  const answer = await http(`${worker.url}/connectors`, 'POST', { name, config: { 'tasks.max': '1', ...config } })
  assert.equal(answer.status, 201, JSON.stringify(answer.body))
}

async function taskState(name: string): Promise<string | undefined> {
  const s = (await http(`${worker.url}/connectors/${name}/status`)).body as { tasks?: { state: string }[] }
  return s.tasks?.[0]?.state
}

/** The distinct values in the topic so far. */
async function topicValues(): Promise<Set<string>> {
  const values = new Set<string>()
  let offset = 0n
  for (;;) {
    const batch = await fetchPartition(consumer, topic, 0, offset)
    for (const r of batch.records) values.add(r.value?.toString('utf8') ?? '')
    offset = batch.nextOffset
    if (batch.records.length === 0 || offset >= batch.highWatermark) return values
  }
}

function lines(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `line ${from + i}`)
}

before(async () => {
  jvmHost()
  const admin = createAdmin(testClientProperties())
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
  await admin.close()
  worker = await startDistributed(
    compatProperties(group, {
      listeners: 'http://127.0.0.1:0',
      'rest.advertised.host.name': '127.0.0.1',
      'plugin.path': ensureKafka().pluginPath,
      'plugin.discovery': 'service_load',
      'tsconnect.auto.restart.initial.backoff.ms': '500',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    }),
  )
})

after(async () => {
  await worker?.stop()
  await consumer.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the JVM plugin host under faults', () => {
  const input = join(dir, 'input.txt')
  const output = join(dir, 'output.txt')

  test('a Java task that blocks holds only itself: REST answers and other Java tasks move data', async () => {
    const fifo = join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    await create('blocked-sink', { 'connector.class': 'FileStreamSink', file: fifo, topics: topic })
    writeFileSync(input, `${lines(0, 50).join('\n')}\n`)
    await create('source', { 'connector.class': 'FileStreamSource', file: input, topic })
    await create('sink', { 'connector.class': 'FileStreamSink', file: output, topics: topic })
    await until('50 lines in the topic', WAIT_MS, async () => ((await topicValues()).size >= 50 ? true : undefined))
    const started = Date.now()
    const answer = await http(`${worker.url}/connectors?expand=status`)
    assert.equal(answer.status, 200)
    assert.ok(Date.now() - started < 30_000)
    await until('the sink wrote 50 lines', WAIT_MS, async () =>
      readFileSync(output, 'utf8').split('\n').length > 50 ? true : undefined,
    )
    // Release the blocked task (its open() of the FIFO returns once a reader opens it), then drop it.
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK))
    assert.equal((await http(`${worker.url}/connectors/blocked-sink`, 'DELETE')).status, 204)
  })

  test('kill -9 of the host fails its tasks, which come back by themselves with nothing lost', async () => {
    const before = hostPid()
    assert.ok(before !== undefined, 'the worker runs a JVM plugin host')
    process.kill(before, 'SIGKILL')
    appendFileSync(input, `${lines(50, 100).join('\n')}\n`)
    await until('a new host', WAIT_MS, async () => {
      const now = hostPid()
      return now !== undefined && now !== before ? true : undefined
    })
    await until('both tasks RUNNING again', WAIT_MS, async () =>
      (await taskState('source')) === 'RUNNING' && (await taskState('sink')) === 'RUNNING' ? true : undefined,
    )
    const expected = lines(0, 100)
    await until('every line in the topic', WAIT_MS, async () => {
      const values = await topicValues()
      return expected.every((l) => values.has(l)) ? true : undefined
    })
    await until('every line in the sink file', WAIT_MS, async () => {
      const written = new Set(readFileSync(output, 'utf8').split('\n'))
      return expected.every((l) => written.has(l)) ? true : undefined
    })
    // The status topic recorded the failure the host's death caused.
    let failed = false
    let offset = 0n
    for (;;) {
      const batch = await fetchPartition(consumer, `${group}-status`, 0, offset)
      for (const r of batch.records) {
        const value = r.value?.toString('utf8') ?? ''
        if (value.includes('"FAILED"') && value.includes('JVM plugin host')) failed = true
      }
      offset = batch.nextOffset
      if (batch.records.length === 0 || offset >= batch.highWatermark) break
    }
    assert.ok(failed, 'a FAILED status naming the JVM plugin host')
  })
})
