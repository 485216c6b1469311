/**
 * `npm run quickstart`: from a clean clone to a running tsconnect cluster moving data.
 *
 * Starts the local Kafka (resolving its jars from Maven Central on first use), three connect-distributed workers
 * as background processes (REST on 127.0.0.1:8083-8085, one group), and a demo pipeline through their REST API:
 * FileStreamSource (a text file → a topic) and FileStreamSink (the topic → another file). Then it shows the
 * lines arriving and says where to look. `npm run quickstart -- stop` stops the workers and Kafka.
 *
 * Everything lives in .local/quickstart (git-ignored): worker properties, logs, the demo files, state.json.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { createAdmin } from '../src/kafka/clients.ts'
import { isAlive, stopProcess } from '../tools/kafka/jvm.ts'
import { startLocalKafka, stopLocalKafka } from '../tools/kafka/local.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = join(root, '.local', 'quickstart')
const stateFile = join(dir, 'state.json')
const PORTS = [8083, 8084, 8085]
const TOPIC = 'quickstart-lines'

interface QuickstartState {
  workers: { pid: number; url: string; log: string }[]
}

function readState(): QuickstartState | undefined {
  return existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as QuickstartState) : undefined
}

async function stop(): Promise<void> {
  const state = readState()
  for (const worker of state?.workers ?? []) await stopProcess(worker.pid, 30_000)
  await stopLocalKafka()
  rmSync(dir, { recursive: true, force: true })
  console.log('Stopped the quick start workers and Kafka.')
}

async function request(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) : undefined }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, hint = ''): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return
    await sleep(250)
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s.${hint}`)
}

function workerProperties(bootstrap: string, port: number): string {
  return `${[
    `bootstrap.servers=${bootstrap}`,
    'group.id=tsconnect-quickstart',
    'config.storage.topic=quickstart-configs',
    'offset.storage.topic=quickstart-offsets',
    'status.storage.topic=quickstart-status',
    'config.storage.replication.factor=1',
    'offset.storage.replication.factor=1',
    'status.storage.replication.factor=1',
    'offset.storage.partitions=5',
    'status.storage.partitions=1',
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms=1000',
    `listeners=http://127.0.0.1:${port}`,
  ].join('\n')}\n`
}

async function start(): Promise<void> {
  if (readState()?.workers.some((w) => isAlive(w.pid))) {
    console.log('The quick start is already running (npm run quickstart -- stop to stop it).')
    return
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })

  let started = Date.now()
  console.log('1. Starting a local Kafka (the first run downloads its jars through Maven)...')
  const { state: kafka } = await startLocalKafka()
  console.log(`   Kafka ${kafka.version} at ${kafka.bootstrap} (${Date.now() - started} ms)`)

  const admin = createAdmin({ 'bootstrap.servers': kafka.bootstrap })
  try {
    await admin.createTopics({ topics: [TOPIC], partitions: 3, replicas: 1 }).catch(() => {})
  } finally {
    await admin.close()
  }

  started = Date.now()
  console.log('2. Starting 3 tsconnect workers (connect-distributed)...')
  const state: QuickstartState = { workers: [] }
  for (const [i, port] of PORTS.entries()) {
    const props = join(dir, `worker-${i + 1}.properties`)
    const log = join(dir, `worker-${i + 1}.log`)
    writeFileSync(props, workerProperties(kafka.bootstrap, port))
    const out = openSync(log, 'a')
    const child = spawn(process.execPath, [join(root, 'bin', 'connect-distributed.js'), props], {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, TSCONNECT_LOG_LEVEL: process.env.TSCONNECT_LOG_LEVEL || 'info' },
    })
    child.unref()
    state.workers.push({ pid: child.pid as number, url: `http://127.0.0.1:${port}`, log })
  }
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`)
  for (const worker of state.workers) {
    await waitFor(
      `Worker ${worker.url} answering`,
      async () => (await request('GET', `${worker.url}/connectors`)).status === 200,
      60_000,
      ` See ${worker.log}.`,
    )
  }
  console.log(`   ${state.workers.map((w) => w.url).join(', ')} ready (${Date.now() - started} ms)`)

  console.log('3. Creating a FileStreamSource → Kafka → FileStreamSink pipeline...')
  const input = join(dir, 'input.txt')
  const output = join(dir, 'output.txt')
  const lines = ['Kafka Connect,', 'in TypeScript,', 'moving', 'your', 'data.']
  writeFileSync(input, `${lines.join('\n')}\n`)
  const [first, second, third] = state.workers as [
    QuickstartState['workers'][0],
    QuickstartState['workers'][0],
    QuickstartState['workers'][0],
  ]
  const source = await request('POST', `${first.url}/connectors`, {
    name: 'quickstart-source',
    config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic: TOPIC },
  })
  const sink = await request('POST', `${second.url}/connectors`, {
    name: 'quickstart-sink',
    config: { 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: output, topics: TOPIC },
  })
  if (source.status !== 201 || sink.status !== 201) {
    throw new Error(`Creating the connectors failed: ${JSON.stringify([source.json, sink.json])}`)
  }
  await waitFor(
    'The lines arriving in the output file',
    async () => existsSync(output) && readFileSync(output, 'utf8').trim().split('\n').length >= lines.length,
    90_000,
    ` See the worker logs in ${dir}.`,
  )

  const statuses = (await request('GET', `${third.url}/connectors?expand=status`)).json as Record<
    string,
    {
      status: {
        connector: { state: string; worker_id: string }
        tasks: { id: number; state: string; worker_id: string }[]
      }
    }
  >
  console.log('   Status, as any worker reports it:')
  for (const [name, { status }] of Object.entries(statuses)) {
    const tasks = status.tasks.map((t) => `task ${t.id} ${t.state} on ${t.worker_id}`).join(', ')
    console.log(`     ${name}: ${status.connector.state} on ${status.connector.worker_id}; ${tasks}`)
  }
  console.log(`   ${output} now holds:`)
  for (const line of readFileSync(output, 'utf8').trim().split('\n')) console.log(`     ${line}`)

  console.log(`
The cluster keeps running in the background:
  REST API      ${state.workers.map((w) => w.url).join('  ')}
                e.g. curl ${first.url}/connectors?expand=status
  more data     echo "another line" >> ${input}     (then look at ${output})
  logs          ${dir}/worker-*.log
  Kafka         bootstrap.servers=${kafka.bootstrap}
  stop it all   npm run quickstart -- stop`)
}

try {
  if (process.argv[2] === 'cdc') {
    const cdc = await import('./quickstart-cdc.ts') // PostgreSQL CDC: connectors/postgres
    await (process.argv[3] === 'stop' ? cdc.stopCdc() : cdc.startCdc())
  } else if (process.argv[2] === 'stop') await stop()
  else await start()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
