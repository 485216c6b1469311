/**
 * Automatic restarts on the real broker, with the real worker in-process: a FileStreamSink whose file cannot be
 * opened fails at start; the worker restarts it with backoff, REST shows the attempts, and the task reaches RUNNING
 * once the fault clears, or stays FAILED once the attempts are used up.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { type RunningWorker, startDistributedWorker } from '../../../src/cli/distributed-wiring.ts'
import type { ConnectorStateInfo } from '../../../src/herder/herder.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { uniqueName } from '../../support/kafka.ts'

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-auto-restart-'))
const running: RunningWorker[] = []
after(async () => {
  await Promise.all(running.map((w) => w.stop()))
  rmSync(dir, { recursive: true, force: true })
})

async function worker(extra: Record<string, string>): Promise<RunningWorker> {
  const w = await startDistributedWorker(clusterProperties(extra))
  running.push(w)
  return w
}

/** A sink whose file lies in a directory that does not exist (yet): its task fails at start. */
async function brokenSink(w: RunningWorker, name: string, missingDir: string): Promise<void> {
  const config = { 'connector.class': 'FileStreamSink', file: join(missingDir, 'out.txt'), topics: uniqueName('ar') }
  const created = await http(`${w.url}/connectors`, 'POST', { name, config })
  assert.equal(created.status, 201, JSON.stringify(created.body))
}

async function task0(w: RunningWorker, name: string) {
  const r = await http(`${w.url}/connectors/${name}/status`)
  return r.status === 200 ? (r.body as ConnectorStateInfo).tasks[0] : undefined
}

describe('automatic restart of failed tasks', () => {
  test('a task that fails at start is restarted with backoff and runs once the fault clears', async () => {
    const w = await worker({
      'tsconnect.auto.restart.initial.backoff.ms': '200',
      'tsconnect.auto.restart.max.backoff.ms': '1000',
      'tsconnect.auto.restart.max.attempts': '100',
    })
    const missing = join(dir, 'later')
    await brokenSink(w, 'heals', missing)
    const retrying = await until('two automatic restarts shown in status', 30_000, async () => {
      const t = await task0(w, 'heals')
      return (t?.auto_restart?.restarts ?? 0) >= 2 ? t : undefined
    })
    assert.match(retrying.auto_restart?.last_error ?? '', /out\.txt/)
    assert.equal(retrying.auto_restart?.max_restarts, 100)

    mkdirSync(missing)
    const healed = await until('the task RUNNING after the fault cleared', 30_000, async () => {
      const t = await task0(w, 'heals')
      return t?.state === 'RUNNING' && t.auto_restart?.next_restart === null ? t : undefined
    })
    assert.equal(healed.trace, undefined)
  })

  test('after the maximum number of restarts the task stays FAILED', async () => {
    const w = await worker({
      'tsconnect.auto.restart.initial.backoff.ms': '100',
      'tsconnect.auto.restart.max.backoff.ms': '200',
      'tsconnect.auto.restart.max.attempts': '3',
    })
    await brokenSink(w, 'gives-up', join(dir, 'never'))
    const failed = await until('the attempts used up', 30_000, async () => {
      const t = await task0(w, 'gives-up')
      return t?.state === 'FAILED' && t.auto_restart?.restarts === 3 && t.auto_restart.next_restart === null
        ? t
        : undefined
    })
    assert.ok(failed.trace)
    // It stays FAILED: no further attempt comes, however long one waits past the backoff.
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    const later = await task0(w, 'gives-up')
    assert.equal(later?.state, 'FAILED')
    assert.equal(later?.auto_restart?.restarts, 3)
  })
})
