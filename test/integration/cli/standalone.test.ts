/**
 * The connect-standalone command as users run it: a real process from a worker.properties and two connector
 * .properties files, on the real broker. Offsets persist in the offset file across restarts.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { createAdmin } from '../../../src/kafka/clients.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testBootstrap, uniqueName } from '../../support/kafka.ts'

const BIN = new URL('../../../bin/connect-standalone.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'tsconnect-standalone-'))
const children: ChildProcess[] = []
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
})

function propertiesFile(name: string, props: Record<string, string>): string {
  const file = join(dir, name)
  writeFileSync(
    file,
    `# ${name}\n${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  )
  return file
}

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, TSCONNECT_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stdout: () => out, stderr: () => err, exit }
}

async function restUrl(worker: Run): Promise<string> {
  return until('the REST URL in the log', 30_000, async () => {
    if (worker.child.exitCode !== null) throw new Error(`exited ${worker.child.exitCode}: ${worker.stderr()}`)
    return /"advertisedUrl":"([^"]+)"/.exec(worker.stdout())?.[1]
  })
}

async function sinkFileIs(output: string, expected: string, url: string): Promise<void> {
  await until('the lines in the sink file', 60_000, async () => {
    if (!existsSync(output)) return undefined
    const text = readFileSync(output, 'utf8')
    if (text.length > expected.length) throw new Error(`more than expected in the sink file: ${JSON.stringify(text)}`)
    return text === expected ? true : undefined
  }).catch(async (e: unknown) => {
    const statuses = await http(`${url}/connectors?expand=status`).catch(() => undefined)
    throw new Error(`${e}; statuses ${JSON.stringify(statuses?.body)}`)
  })
}

describe('connect-standalone', () => {
  test('runs a FileStream pipeline from properties files and resumes from its offset file after a restart', async () => {
    const input = join(dir, 'in.txt')
    const output = join(dir, 'out.txt')
    const offsetFile = join(dir, 'connect.offsets')
    writeFileSync(input, 'one\ntwo\nthree\n')
    const topic = uniqueName('standalone-lines')
    const admin = createAdmin({ 'bootstrap.servers': testBootstrap() })
    try {
      await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
    } finally {
      await admin.close()
    }
    const worker = propertiesFile('worker.properties', {
      'bootstrap.servers': testBootstrap(),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': offsetFile,
      'offset.flush.interval.ms': '500',
      listeners: 'http://127.0.0.1:0',
    })
    const source = propertiesFile('source.properties', {
      name: 'local-file-source',
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: input,
      topic,
    })
    const sink = propertiesFile('sink.properties', {
      name: 'local-file-sink',
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: output,
      topics: topic,
    })

    const first = run([worker, source, sink])
    const url = await restUrl(first)
    await sinkFileIs(output, 'one\ntwo\nthree\n', url)
    const connectors = await http(`${url}/connectors`)
    assert.equal(connectors.status, 200)
    assert.deepEqual([...(connectors.body as string[])].sort(), ['local-file-sink', 'local-file-source'])
    // The offsets reach the file within offset.flush.interval.ms, and at the latest on a graceful stop.
    first.child.kill('SIGTERM')
    assert.equal(await first.exit, 0, first.stderr())
    assert.ok(existsSync(offsetFile), 'the offset file was written')
    assert.match(readFileSync(offsetFile, 'utf8'), /local-file-source/)

    appendFileSync(input, 'four\nfive\n')
    // The sink again, now as a JSON request file (POST /connectors' body), which Java accepts too.
    const sinkJson = join(dir, 'sink.json')
    writeFileSync(
      sinkJson,
      JSON.stringify({
        name: 'local-file-sink',
        config: { 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: output, topics: topic },
      }),
    )
    const second = run([worker, source, sinkJson])
    const url2 = await restUrl(second)
    // The source resumes after "three": no line is read twice. (The sink's consumer group resumes from its
    // committed offsets on Kafka, so a repeated line would show as a second copy here.)
    await sinkFileIs(output, 'one\ntwo\nthree\nfour\nfive\n', url2)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(readFileSync(output, 'utf8'), 'one\ntwo\nthree\nfour\nfive\n')
    second.child.kill('SIGTERM')
    assert.equal(await second.exit, 0, second.stderr())
  })

  test('a connector file without a name stops it with exit code 3 naming the file', async () => {
    const worker = propertiesFile('w3.properties', { 'offset.storage.file.filename': join(dir, 'x.offsets') })
    const nameless = propertiesFile('nameless.properties', { 'connector.class': 'FileStreamSource' })
    const r = run([worker, nameless])
    assert.equal(await r.exit, 3)
    assert.match(r.stderr(), /nameless\.properties' is missing the mandatory 'name'/)
  })

  test('a worker.properties without offset.storage.file.filename stops it with exit code 1 naming the key', async () => {
    const worker = propertiesFile('bad-worker.properties', { 'bootstrap.servers': testBootstrap() })
    const r = run([worker])
    assert.equal(await r.exit, 1)
    assert.match(r.stderr(), /offset\.storage\.file\.filename/)
  })
})
