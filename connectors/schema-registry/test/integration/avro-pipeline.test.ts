/**
 * An Avro pipeline in a real 3-worker cluster that loads this package from plugin.path: Java's tool connector
 * SchemaSourceConnector writes string keys and struct values through the AvroConverter (Java's class name), and
 * FileStreamSink reads them back through it. The registry sits behind a TCP proxy that the test closes mid-run:
 *
 * - the running pipeline goes on while the registry is down (its schemas are cached: no registry call once warm);
 * - a source and a sink started during the outage cannot register or fetch their schemas: their tasks stay
 *   RUNNING and retry as errors.retry.* says, and nothing reaches their topic or file;
 * - when the registry returns, they recover, and every record of both pipelines arrives, none lost.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import {
  ConnectorHarness,
  countSequence,
  createTestTopic,
  topicRecordCount,
} from '../../../../test/support/connector-harness.ts'
import { http, until } from '../../../../test/support/herder-cluster.ts'
import { testSchemaRegistry } from '../../../../test/support/services.ts'

/** A TCP proxy to the registry that can be closed (connections refused) and opened again on the same port. */
class Outage {
  readonly #target: URL
  readonly #sockets = new Set<net.Socket>()
  #server: net.Server | undefined
  port = 0

  constructor(target: string) {
    this.#target = new URL(target)
  }

  /** The registry URL through the proxy. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.#target.pathname}`
  }

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.#target.port), this.#target.hostname)
      for (const s of [client, upstream]) {
        this.#sockets.add(s)
        s.on('close', () => this.#sockets.delete(s))
        s.on('error', () => s.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    this.port = (server.address() as net.AddressInfo).port
    this.#server = server
  }

  async down(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const s of this.#sockets) s.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

function seqnos(file: string): bigint[] {
  if (!existsSync(file)) return []
  return [...readFileSync(file, 'utf8').matchAll(/seqno=(\d+)/g)].map((m) => BigInt(m[1] as string))
}

const topics: string[] = []

/** Waits for `check`; on a timeout the error carries the connectors' statuses, for the post-mortem. */
async function waitFor(
  harness: ConnectorHarness,
  what: string,
  timeoutMs: number,
  check: () => boolean | Promise<boolean>,
) {
  try {
    await until(what, timeoutMs, async () => ((await check()) ? true : undefined))
  } catch (error) {
    const names = (await http(`${harness.live[0]?.url}/connectors?expand=status`)).body
    const logs = harness.live
      .map((w) =>
        w.run
          .stdout()
          .split('\n')
          .filter((line) => /"level":(50|60)|first-|second-/.test(line))
          .slice(-10)
          .join('\n'),
      )
      .join('\n----\n')
    const counts = await Promise.all(topics.map(async (topic) => `${topic}: ${await topicRecordCount(topic)}`))
    throw new Error(
      `${(error as Error).message}; records: ${counts.join(', ')}; statuses: ${JSON.stringify(names)}\nworker logs:\n${logs}`,
    )
  }
}

async function taskState(harness: ConnectorHarness, name: string): Promise<string | undefined> {
  const res = await http(`${harness.live[0]?.url}/connectors/${name}/status`)
  return (res.body as { tasks?: { state: string }[] }).tasks?.[0]?.state
}

describe('an Avro pipeline through 3 workers with the registry stopped mid-run', () => {
  let harness: ConnectorHarness | undefined
  const dir = mkdtempSync(join(tmpdir(), 'avro-pipeline-'))
  after(async () => {
    await harness?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('tasks retry while the registry is down and recover when it returns, with nothing lost', async (t) => {
    const sr = await testSchemaRegistry(t)
    const outage = new Outage(sr.url)
    await outage.up()
    t.after(() => outage.down())
    harness = await ConnectorHarness.start({ workers: 3, pluginPath: '@tsconnect/connector-schema-registry' })

    const avro = {
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': outage.url,
      'errors.retry.timeout': '-1',
      'errors.retry.delay.max.ms': '1000',
    }
    const source = (name: string, topic: string, messages: number, extra: Record<string, string> = {}) =>
      harness?.createConnector(name, {
        'connector.class': 'org.apache.kafka.connect.tools.SchemaSourceConnector',
        'tasks.max': '1',
        topic,
        'num.messages': String(messages),
        ...avro,
        ...extra,
      })
    const sink = (name: string, topic: string, file: string) =>
      harness?.createConnector(name, {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'tasks.max': '1',
        topics: topic,
        file,
        ...avro,
      })

    // The first pipeline runs while the registry is up, slowly enough to span the outage.
    const firstTopic = sr.track(await createTestTopic('avro-first'))
    topics.push(firstTopic)
    const firstFile = join(dir, 'first.txt')
    await source('first-source', firstTopic, 300, { throughput: '25' })
    await sink('first-sink', firstTopic, firstFile)
    await waitFor(harness, 'the first pipeline flowing', 40_000, () => seqnos(firstFile).length >= 20)

    await outage.down()
    const atOutage = seqnos(firstFile).length
    const secondTopic = sr.track(await createTestTopic('avro-second'))
    topics.push(secondTopic)
    const secondFile = join(dir, 'second.txt')
    await source('second-source', secondTopic, 100, { 'multiple.schema': 'true', throughput: '-1' })
    await sink('second-sink', secondTopic, secondFile)
    await harness.taskOwner('second-source')
    await harness.taskOwner('second-sink')
    // The warm pipeline goes on; the cold one waits, its tasks retrying rather than failing.
    await waitFor(
      harness,
      'the first pipeline going on during the outage',
      60_000,
      () => seqnos(firstFile).length >= atOutage + 50,
    )
    assert.equal(await topicRecordCount(secondTopic), 0)
    assert.equal(seqnos(secondFile).length, 0)
    assert.equal(await taskState(harness, 'second-source'), 'RUNNING')
    assert.equal(await taskState(harness, 'second-sink'), 'RUNNING')

    await outage.up()
    await waitFor(
      harness,
      'every record of both pipelines in their files',
      120_000,
      () => seqnos(firstFile).length >= 300 && seqnos(secondFile).length >= 100,
    )
    const first = countSequence(0n, 300, seqnos(firstFile))
    const second = countSequence(0n, 100, seqnos(secondFile))
    console.log(`first pipeline: ${JSON.stringify(first)}; second pipeline: ${JSON.stringify(second)}`)
    assert.equal(first.lost, 0)
    assert.equal(second.lost, 0)
    // The second source alternated two schema versions: the sink read both, the second with its extra field.
    assert.match(readFileSync(secondFile, 'utf8'), /string=def/)
  })
})
