/**
 * The connect-distributed command as users run it: a real process from a properties file, on the real broker.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { advertisedUrl, propertiesFile, run, testDir } from '../../support/connect-process.ts'
import { clusterProperties, http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const dir = testDir()

describe('connect-distributed', () => {
  test('starts from a properties file, serves REST, runs a FileStream pipeline; SIGTERM stops it cleanly', async () => {
    const props = clusterProperties()
    const started = Date.now()
    const worker = run([propertiesFile(props)])
    const url = await advertisedUrl(worker)
    const root = await until('GET / answers', 30_000, async () => {
      const r = await http(`${url}/`)
      return r.status === 200 ? (r.body as Record<string, string>) : undefined
    })
    console.log(`# connect-distributed: REST answered ${Date.now() - started} ms after spawn`)
    assert.ok(root.version)
    assert.ok(root.kafka_cluster_id)
    const connectors = await until('GET /connectors answers', 30_000, async () => {
      const r = await http(`${url}/connectors`)
      return r.status === 200 ? r.body : undefined
    })
    assert.deepEqual(connectors, [])
    const plugins = await http(`${url}/connector-plugins?connectorsOnly=false`)
    assert.equal(plugins.status, 200)
    assert.ok(
      (plugins.body as { class: string }[]).some((p) => p.class === 'org.apache.kafka.connect.json.JsonConverter'),
    )

    // The real worker runs a FileStream pipeline: file → topic → file.
    const input = join(dir, 'in.txt')
    const output = join(dir, 'out.txt')
    writeFileSync(input, 'one\ntwo\nthree\n')
    const topic = uniqueName('cli-lines')
    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': testBootstrap() })
    await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
    await admin.close()
    for (const [name, config] of [
      ['file-source', { 'connector.class': 'FileStreamSource', file: input, topic }],
      ['file-sink', { 'connector.class': 'FileStreamSink', file: output, topics: topic }],
    ] as const) {
      const created = await http(`${url}/connectors`, 'POST', { name, config })
      assert.equal(created.status, 201, JSON.stringify(created.body))
    }
    await until('the lines in the sink file', 60_000, async () => {
      try {
        return readFileSync(output, 'utf8') === 'one\ntwo\nthree\n' ? true : undefined
      } catch {
        return undefined
      }
    }).catch(async (e: unknown) => {
      const statuses = await http(`${url}/connectors?expand=status`)
      throw new Error(`${e}; statuses ${JSON.stringify(statuses.body)}`)
    })

    worker.child.kill('SIGTERM')
    assert.equal(await worker.exit, 0, worker.stderr())
    assert.match(worker.stdout(), /Herder stopped/)
  })

  test('a missing required key stops it with a message naming the key and exit code 1', async () => {
    const props = clusterProperties()
    delete props['group.id']
    const worker = run([propertiesFile(props)])
    assert.equal(await worker.exit, 1)
    assert.match(worker.stderr(), /group\.id/)
  })

  test('a bad value given through --override or CONNECT_* is named too', async () => {
    const file = propertiesFile(clusterProperties())
    const viaOverride = run([file, '--override', 'session.timeout.ms=soon'])
    assert.equal(await viaOverride.exit, 1)
    assert.match(viaOverride.stderr(), /session\.timeout\.ms/)
    const viaEnv = run([file], { CONNECT_CONNECT_PROTOCOL: 'fancy' })
    assert.equal(await viaEnv.exit, 1)
    assert.match(viaEnv.stderr(), /connect\.protocol/)
  })

  test('without a properties file it prints its usage and exits 1', async () => {
    const worker = run([])
    assert.equal(await worker.exit, 1)
    assert.match(worker.stderr(), /Usage: connect-distributed worker\.properties/)
  })
})
