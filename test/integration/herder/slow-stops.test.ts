/**
 * Issue 28's reproduction, on a real worker process and the real broker (auto-creation off): FileStreamSource
 * connectors writing to a topic that does not exist have tasks that cannot finish their in-flight sends, so each
 * stop runs into task.shutdown.graceful.timeout.ms. Deleting them all at once must not hold the herder: every
 * DELETE answers 204 within the REST timeout, the list is empty right after, and SIGTERM stops the worker cleanly.
 * (Before the fix each deletion waited out its task's graceful timeout on the herder's loop, one after another.)
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { startDistributed, testDir } from '../../support/connect-process.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { uniqueName } from '../../support/kafka.ts'

/** Enough that one graceful timeout after another (5 s each) overruns the REST timeout (10 s here) many times. */
const CONNECTORS = 30

describe('deleting connectors whose tasks cannot stop', () => {
  test('every DELETE answers 204 within the REST timeout, the list is empty right after, SIGTERM stops the worker', async () => {
    const worker = await startDistributed(clusterProperties({ 'task.shutdown.graceful.timeout.ms': '5000' }))
    const input = join(testDir(), 'slow-stops.txt')
    writeFileSync(input, Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n'))
    const missing = uniqueName('missing-topic')
    const names = Array.from({ length: CONNECTORS }, (_, i) => `stuck-${i}`)
    for (const name of names) {
      const created = await http(`${worker.url}/connectors`, 'POST', {
        name,
        config: { 'connector.class': 'FileStreamSource', file: input, topic: missing, 'tasks.max': '1' },
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
    }
    await until(`${CONNECTORS} tasks RUNNING`, 120_000, async () => {
      const statuses = await Promise.all(names.map((n) => http(`${worker.url}/connectors/${n}/status`)))
      const running = statuses.filter((s) => {
        const body = s.body as { tasks?: { state: string }[] } | undefined
        return s.status === 200 && body?.tasks?.length === 1 && body.tasks[0]?.state === 'RUNNING'
      })
      return running.length === CONNECTORS ? true : undefined
    })

    const deletes = await Promise.all(names.map((n) => http(`${worker.url}/connectors/${n}`, 'DELETE')))
    assert.deepEqual(
      deletes.map((d) => d.status),
      names.map(() => 204),
      JSON.stringify(deletes.find((d) => d.status !== 204)?.body),
    )
    const list = await http(`${worker.url}/connectors`)
    assert.equal(list.status, 200, JSON.stringify(list.body))
    assert.deepEqual(list.body, [])
    // Still healthy while the abandoned tasks settle in the background.
    const root = await http(`${worker.url}/`)
    assert.equal(root.status, 200)

    assert.equal(await worker.stop(), 0, worker.run.stderr())
  })
})
