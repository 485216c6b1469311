/**
 * Connector packages in real connect-distributed processes (issue 17): a worker loads a package that plugin.path
 * names by its npm name, and a worker whose plugin.path leaves it out never loads any of its modules, so the
 * catalogue costs nothing to workers that do not use it. Which modules a worker loaded is read from a module trace
 * (test/support/module-trace.ts, preloaded with --import).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import {
  advertisedUrl,
  type ConnectProcess,
  killConnect,
  restReady,
  spawnConnect,
} from '../../../tools/tsconnect-process.ts'
import { propertiesFile, testDir } from '../../support/connect-process.ts'
import { createTestTopic, topicRecordCount } from '../../support/connector-harness.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'

const PACKAGE_DIR = pathToFileURL(new URL('../../../connectors/sequence/', import.meta.url).pathname).href
const TRACE_HOOK = new URL('../../support/module-trace.ts', import.meta.url).pathname

const started: ConnectProcess[] = []
after(() => Promise.all(started.map(killConnect)))

/** Starts a worker with a module trace; answers its URL and the trace file. */
async function tracedWorker(name: string, props: Record<string, string>) {
  const trace = join(testDir(), `${name}-${Date.now()}.modules`)
  const p = spawnConnect([propertiesFile(clusterProperties(props))], {
    env: { TSCONNECT_MODULE_TRACE: trace },
    nodeFlags: ['--import', TRACE_HOOK],
  })
  started.push(p)
  const url = await advertisedUrl(p, 60_000)
  await restReady(p, url, 60_000)
  return {
    url,
    modules: () =>
      readFileSync(trace, 'utf8')
        .split('\n')
        .filter((m) => m !== ''),
  }
}

const sequenceClasses = async (url: string) =>
  ((await http(`${url}/connector-plugins`)).body as { class: string }[])
    .map((p) => p.class)
    .filter((c) => c.startsWith('com.example.'))

describe('connector packages on plugin.path', () => {
  test('a worker loads a package by its npm name, and runs its connector', async () => {
    const worker = await tracedWorker('with', { 'plugin.path': '@tsconnect/connector-sequence' })
    assert.deepEqual(await sequenceClasses(worker.url), [
      'com.example.JsonLinesSinkConnector',
      'com.example.SequenceSourceConnector',
    ])
    assert.ok(worker.modules().includes(`${PACKAGE_DIR}src/sequence-source.ts`), 'the package module was loaded')
    const topic = await createTestTopic('package-sequence')
    const created = await http(`${worker.url}/connectors`, 'POST', {
      name: 'pkg-seq',
      config: { 'connector.class': 'SequenceSource', topic, 'poll.interval.ms': '50' },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await until('records from the package connector', 60_000, async () =>
      (await topicRecordCount(topic)) >= 10 ? true : undefined,
    )
  })

  test('a worker without the package in plugin.path never loads any of its modules', async () => {
    const worker = await tracedWorker('without', {})
    assert.deepEqual(await sequenceClasses(worker.url), [])
    const modules = worker.modules()
    assert.ok(
      modules.some((m) => m.endsWith('/src/plugins/loader.ts')),
      'the trace saw the worker load its own modules',
    )
    assert.deepEqual(
      modules.filter((m) => m.startsWith(PACKAGE_DIR)),
      [],
    )
  })
})
