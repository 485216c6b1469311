/**
 * The Java Connect reference worker starts from the local Kafka's jars and moves data: later compatibility tests
 * and benchmarks stand on it.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createAdmin, createFetchClient } from '../../../src/kafka/clients.ts'
import { fetchPartition } from '../../../src/kafka/fetch.ts'
import { type JavaConnectWorker, startJavaConnect } from '../../../tools/kafka/connect.ts'
import { testBootstrap, testClientProperties, uniqueName } from '../../support/kafka.ts'

describe('the Java Connect reference worker', () => {
  let dir: string
  let worker: JavaConnectWorker

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'java-connect-'))
    worker = await startJavaConnect({ bootstrap: testBootstrap(), dir, groupId: uniqueName('java-connect') })
  })

  after(async () => {
    await worker?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('lists the FileStream connectors from its plugin path', async () => {
    const plugins = (await (await fetch(`${worker.url}/connector-plugins`)).json()) as { class: string }[]
    const classes = plugins.map((p) => p.class)
    assert.ok(classes.includes('org.apache.kafka.connect.file.FileStreamSourceConnector'), classes.join(', '))
    assert.ok(classes.includes('org.apache.kafka.connect.file.FileStreamSinkConnector'), classes.join(', '))
  })

  test('runs a FileStreamSource connector that moves lines into a topic', async () => {
    const topic = uniqueName('java-file-source')
    const admin = createAdmin(testClientProperties())
    const consumer = createFetchClient(testClientProperties())
    try {
      await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
      const file = join(dir, 'input.txt')
      writeFileSync(file, 'one\ntwo\nthree\n')
      const response = await fetch(`${worker.url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: uniqueName('file-source'),
          config: {
            'connector.class': 'FileStreamSource',
            'tasks.max': '1',
            file,
            topic,
            'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
          },
        }),
      })
      assert.equal(response.status, 201, await response.text())

      const values: string[] = []
      const deadline = Date.now() + 60_000
      let offset = 0n
      while (values.length < 3 && Date.now() < deadline) {
        const batch = await fetchPartition(consumer, topic, 0, offset)
        values.push(...batch.records.map((r) => r.value?.toString() ?? ''))
        offset = batch.nextOffset
        if (batch.records.length === 0) await sleep(200)
      }
      assert.deepEqual(values, ['one', 'two', 'three'])
    } finally {
      await Promise.all([admin.close(), consumer.close()])
    }
  })
})
