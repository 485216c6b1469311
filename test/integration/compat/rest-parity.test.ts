/**
 * The REST API answers as Java Connect's does: the same list of requests (error cases included) goes to a Java
 * Connect worker and to a tsconnect worker, each on a cluster of its own, and the status codes and bodies are
 * compared field by field. Names that must differ between the two clusters (connectors, topics, files, the
 * worker's address) are replaced by placeholders first.
 *
 * Differences that remain on purpose are listed in KNOWN_DIFFERENCES below, each with its reason, and in
 * docs/compatibility.md; any other difference fails the test.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { createAdmin } from '../../../src/kafka/clients.ts'
import { type CompatWorker, javaConnect, type Runtime, tsconnect } from '../../support/compat.ts'
import { testDir } from '../../support/connect-process.ts'
import { until } from '../../support/herder-cluster.ts'
import { testClientProperties, uniqueName } from '../../support/kafka.ts'

/** A request of the list: `{p}` in the path or body stands for the cluster's name prefix, `{dir}` for its folder. */
interface Step {
  label: string
  method: string
  path: string
  body?: unknown
  /** A raw body sent as is (malformed JSON). */
  raw?: string
  /** The body is a list whose order means nothing (Java's comes from a HashMap): compared sorted. */
  unordered?: boolean
  /** Waits after the request (for a state change), not compared. */
  after?: (w: Side) => Promise<void>
}

/** One runtime's worker, and what names its cluster uses. */
interface Side {
  worker: CompatWorker
  prefix: string
  dir: string
}

interface Answer {
  status: number
  body: unknown
}

/**
 * Differences kept on purpose, each with its reason: a rule matches `<request label> <field path>` as the test
 * prints them (e.g. `GET / .body.version`). docs/compatibility.md describes every rule.
 */
const KNOWN_DIFFERENCES: { match: RegExp; when?: (detail: string) => boolean; reason: string }[] = [
  { match: /^GET \/ \.body\.(version|commit)$/, reason: 'the version and commit of the worker answering' },
  {
    // Both show a version; Kafka's FileStream connectors and converters are 4.3.1, tsconnect's are tsconnect's.
    match:
      /(status.*|restart.*)\.version$|^GET \/connector-plugins \.body\[\d+\]\.version$|(connector|converter)\.plugin\.version\.(.*default_value|value\.value|value\.recommended_values\[0\])$/,
    when: (detail) => /: "[^"]+" vs "[^"]+"$/.test(detail),
    reason: 'the plugin’s own version: each runtime’s built-in plugins have their runtime’s version',
  },
  {
    match:
      /^(POST \/connectors (no config|bad JSON)|PUT \/connectors\/\{c\}\/config bad body|PATCH \/connectors\/\{c\}\/offsets bad offset) \.(status|body\.error_code|body\.message)$/,
    reason:
      'a malformed request body is the client’s error: 400 with a message naming what is wrong, where Java answers 500',
  },
  {
    match: /^POST \/connectors no class \.body\.message$/,
    reason: 'the config map is printed in insertion order; Java prints its HashMap’s hash order',
  },
  {
    match: /^POST \/connectors unknown class \.body\.message$/,
    reason: 'the list of available connectors names tsconnect’s plugins (no jar location, no encodedVersion)',
  },
]

const running: CompatWorker[] = []
after(async () => {
  await Promise.allSettled(running.map((w) => w.stop()))
})

function fill(text: string, side: Side): string {
  return text.replaceAll('{p}', side.prefix).replaceAll('{dir}', side.dir)
}

async function send(side: Side, step: Step): Promise<Answer> {
  const body = step.raw ?? (step.body === undefined ? undefined : fill(JSON.stringify(step.body), side))
  const response = await fetch(`${side.worker.url}${fill(step.path, side)}`, {
    method: step.method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    // Not JSON: compared as text.
  }
  const host = new URL(side.worker.url).host
  // Names that differ between the clusters become placeholders; so do the worker's address and the cluster id.
  const normalized = JSON.stringify(parsed ?? null)
    .replaceAll(side.prefix, '{p}')
    .replaceAll(side.dir, '{dir}')
    .replaceAll(host, '{worker}')
  const answer = keyed(JSON.parse(normalized))
  return { status: response.status, body: step.unordered && Array.isArray(answer) ? answer.sort() : answer }
}

function nameOf(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined
  const o = v as { name?: unknown; definition?: { name?: unknown } }
  const name = o.definition?.name ?? o.name
  return typeof name === 'string' ? name : undefined
}

/**
 * Lists of named things (config definitions, validation results) become objects keyed by name, so that one
 * missing or moved entry shows as itself, not as a shift of every later one; their order becomes `(order)`.
 */
function keyed(v: unknown): unknown {
  if (Array.isArray(v)) {
    const names = v.map(nameOf)
    if (v.length > 0 && names.every((n) => n !== undefined) && new Set(names).size === names.length) {
      return { '(order)': names, ...Object.fromEntries(v.map((e, i) => [names[i], keyed(e)])) }
    }
    return v.map(keyed)
  }
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, keyed(e)]))
  }
  return v
}

/** The field paths where two JSON values differ, with both values. */
function differences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}.length: ${a.length} vs ${b.length}`)
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${path}[${i}]`, out)
    return
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) {
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out)
    }
    return
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
}

async function state(side: Side, name: string, want: string): Promise<void> {
  await until(`${name} ${want}`, 60_000, async () => {
    const r = await fetch(`${side.worker.url}/connectors/${fill(name, side)}/status`)
    if (r.status !== 200) return undefined
    const s = (await r.json()) as { connector: { state: string }; tasks: { state: string }[] }
    if (s.connector.state !== want) return undefined
    if (want === 'STOPPED') return s.tasks.length === 0 ? true : undefined
    return s.tasks.length > 0 && s.tasks.every((t) => t.state === want) ? true : undefined
  })
}

/** Waits until the sink's consumer group has committed an offset: both runtimes commit on their own timer. */
async function sinkOffsetsCommitted(side: Side, name: string): Promise<void> {
  await until(`${name} offsets committed`, 60_000, async () => {
    const r = await fetch(`${side.worker.url}/connectors/${fill(name, side)}/offsets`)
    if (r.status !== 200) return undefined
    const body = (await r.json()) as { offsets?: unknown[] }
    return (body.offsets?.length ?? 0) > 0 ? true : undefined
  })
}

async function taskCount(side: Side, name: string, count: number): Promise<void> {
  await until(`${name} with ${count} tasks`, 60_000, async () => {
    const r = await fetch(`${side.worker.url}/connectors/${fill(name, side)}/tasks`)
    if (r.status !== 200) return undefined
    return ((await r.json()) as unknown[]).length === count ? true : undefined
  })
}

const sourceConfig = {
  'connector.class': 'FileStreamSource',
  'tasks.max': '1',
  file: '{dir}/{p}-in.txt',
  topic: '{p}-lines',
}
const sinkConfig = {
  'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  'tasks.max': '1',
  file: '{dir}/{p}-out.txt',
  topics: '{p}-lines',
}

const STEPS: Step[] = [
  { label: 'GET /', method: 'GET', path: '/' },
  { label: 'GET /connectors (none)', method: 'GET', path: '/connectors' },
  {
    label: 'POST /connectors source',
    method: 'POST',
    path: '/connectors',
    body: { name: '{p}-source', config: sourceConfig },
  },
  {
    label: 'POST /connectors sink',
    method: 'POST',
    path: '/connectors',
    body: { name: '{p}-sink', config: sinkConfig },
    after: async (s) => {
      await state(s, '{p}-source', 'RUNNING')
      await state(s, '{p}-sink', 'RUNNING')
    },
  },
  {
    label: 'POST /connectors again',
    method: 'POST',
    path: '/connectors',
    body: { name: '{p}-source', config: sourceConfig },
  },
  { label: 'POST /connectors no name', method: 'POST', path: '/connectors', body: { config: sourceConfig } },
  { label: 'POST /connectors no config', method: 'POST', path: '/connectors', body: { name: '{p}-x' } },
  {
    label: 'POST /connectors no class',
    method: 'POST',
    path: '/connectors',
    body: { name: '{p}-x', config: { topic: 't' } },
  },
  {
    label: 'POST /connectors unknown class',
    method: 'POST',
    path: '/connectors',
    body: { name: '{p}-x', config: { 'connector.class': 'com.example.Nope' } },
  },
  {
    label: 'POST /connectors invalid config',
    method: 'POST',
    path: '/connectors',
    body: { name: '{p}-x', config: { 'connector.class': 'FileStreamSource', 'tasks.max': 'many' } },
  },
  {
    label: 'POST /connectors name mismatch',
    method: 'POST',
    path: '/connectors',
    body: { name: '{p}-x', config: { ...sourceConfig, name: '{p}-y' } },
  },
  { label: 'POST /connectors bad JSON', method: 'POST', path: '/connectors', raw: '{"name": ' },
  { label: 'GET /connectors', method: 'GET', path: '/connectors', unordered: true },
  { label: 'GET /connectors?expand=status', method: 'GET', path: '/connectors?expand=status' },
  { label: 'GET /connectors?expand=info', method: 'GET', path: '/connectors?expand=info' },
  { label: 'GET /connectors/{c}', method: 'GET', path: '/connectors/{p}-source' },
  { label: 'GET /connectors/{c}/config', method: 'GET', path: '/connectors/{p}-source/config' },
  { label: 'GET /connectors/{c}/status', method: 'GET', path: '/connectors/{p}-source/status' },
  { label: 'GET /connectors/{c}/tasks', method: 'GET', path: '/connectors/{p}-source/tasks' },
  { label: 'GET /connectors/{c}/tasks/0/status', method: 'GET', path: '/connectors/{p}-source/tasks/0/status' },
  { label: 'GET /connectors/{c}/tasks/7/status', method: 'GET', path: '/connectors/{p}-source/tasks/7/status' },
  { label: 'GET /connectors/{missing}', method: 'GET', path: '/connectors/{p}-missing' },
  { label: 'GET /connectors/{missing}/config', method: 'GET', path: '/connectors/{p}-missing/config' },
  { label: 'GET /connectors/{missing}/status', method: 'GET', path: '/connectors/{p}-missing/status' },
  { label: 'GET /connectors/{missing}/tasks', method: 'GET', path: '/connectors/{p}-missing/tasks' },
  { label: 'GET /connectors/{missing}/offsets', method: 'GET', path: '/connectors/{p}-missing/offsets' },
  {
    label: 'PUT /connectors/{new}/config',
    method: 'PUT',
    path: '/connectors/{p}-new/config',
    body: { ...sinkConfig, file: '{dir}/{p}-new.txt' },
    after: (s) => state(s, '{p}-new', 'RUNNING'),
  },
  {
    label: 'PUT /connectors/{c}/config',
    method: 'PUT',
    path: '/connectors/{p}-new/config',
    body: { ...sinkConfig, file: '{dir}/{p}-new.txt', 'tasks.max': '2' },
    // The PATCH below answers the task configs of the moment: both runtimes must have made the two tasks by then.
    after: (s) => taskCount(s, '{p}-new', 2),
  },
  {
    label: 'PATCH /connectors/{c}/config',
    method: 'PATCH',
    path: '/connectors/{p}-new/config',
    body: { 'tasks.max': '1' },
  },
  {
    label: 'PUT /connectors/{c}/config bad body',
    method: 'PUT',
    path: '/connectors/{p}-new/config',
    body: ['not', 'an', 'object'],
  },
  { label: 'DELETE /connectors/{c}', method: 'DELETE', path: '/connectors/{p}-new' },
  { label: 'DELETE /connectors/{missing}', method: 'DELETE', path: '/connectors/{p}-missing' },
  {
    label: 'PUT /connectors/{c}/pause',
    method: 'PUT',
    path: '/connectors/{p}-sink/pause',
    after: (s) => state(s, '{p}-sink', 'PAUSED'),
  },
  { label: 'GET /connectors/{c}/status paused', method: 'GET', path: '/connectors/{p}-sink/status' },
  {
    label: 'PUT /connectors/{c}/resume',
    method: 'PUT',
    path: '/connectors/{p}-sink/resume',
    after: (s) => state(s, '{p}-sink', 'RUNNING'),
  },
  { label: 'PUT /connectors/{missing}/pause', method: 'PUT', path: '/connectors/{p}-missing/pause' },
  {
    label: 'POST /connectors/{c}/restart?includeTasks=true',
    method: 'POST',
    path: '/connectors/{p}-sink/restart?includeTasks=true&onlyFailed=true',
  },
  {
    label: 'POST /connectors/{c}/restart',
    method: 'POST',
    path: '/connectors/{p}-sink/restart',
    after: (s) => state(s, '{p}-sink', 'RUNNING'),
  },
  { label: 'POST /connectors/{missing}/restart', method: 'POST', path: '/connectors/{p}-missing/restart' },
  {
    label: 'POST /connectors/{c}/tasks/0/restart',
    method: 'POST',
    path: '/connectors/{p}-sink/tasks/0/restart',
    after: (s) => state(s, '{p}-sink', 'RUNNING'),
  },
  { label: 'POST /connectors/{c}/tasks/9/restart', method: 'POST', path: '/connectors/{p}-sink/tasks/9/restart' },
  {
    label: 'GET /connectors/{c}/topics',
    method: 'GET',
    path: '/connectors/{p}-source/topics',
    after: (s) => sinkOffsetsCommitted(s, '{p}-sink'),
  },
  { label: 'GET /connectors/{c}/offsets running', method: 'GET', path: '/connectors/{p}-sink/offsets' },
  {
    label: 'PATCH /connectors/{c}/offsets running',
    method: 'PATCH',
    path: '/connectors/{p}-source/offsets',
    body: { offsets: [{ partition: { filename: '{dir}/{p}-in.txt' }, offset: { position: 1 } }] },
  },
  { label: 'DELETE /connectors/{c}/offsets running', method: 'DELETE', path: '/connectors/{p}-source/offsets' },
  {
    label: 'PUT /connectors/{c}/stop',
    method: 'PUT',
    path: '/connectors/{p}-source/stop',
    after: (s) => state(s, '{p}-source', 'STOPPED'),
  },
  { label: 'GET /connectors/{c}/status stopped', method: 'GET', path: '/connectors/{p}-source/status' },
  { label: 'GET /connectors/{c}/offsets stopped', method: 'GET', path: '/connectors/{p}-source/offsets' },
  {
    label: 'PATCH /connectors/{c}/offsets',
    method: 'PATCH',
    path: '/connectors/{p}-source/offsets',
    body: { offsets: [{ partition: { filename: '{dir}/{p}-in.txt' }, offset: { position: 3 } }] },
  },
  { label: 'GET /connectors/{c}/offsets patched', method: 'GET', path: '/connectors/{p}-source/offsets' },
  {
    label: 'PATCH /connectors/{c}/offsets bad offset',
    method: 'PATCH',
    path: '/connectors/{p}-source/offsets',
    body: { offsets: [{ partition: { filename: '{dir}/{p}-in.txt' }, offset: { position: 'three' } }] },
  },
  {
    label: 'PATCH /connectors/{c}/offsets no offsets',
    method: 'PATCH',
    path: '/connectors/{p}-source/offsets',
    body: {},
  },
  { label: 'DELETE /connectors/{c}/offsets', method: 'DELETE', path: '/connectors/{p}-source/offsets' },
  { label: 'GET /connectors/{c}/offsets reset', method: 'GET', path: '/connectors/{p}-source/offsets' },
  { label: 'GET /connector-plugins', method: 'GET', path: '/connector-plugins' },
  {
    label: 'GET /connector-plugins/{tool}/config',
    method: 'GET',
    path: '/connector-plugins/VerifiableSource/config',
  },
  { label: 'GET /connector-plugins/{p}/config', method: 'GET', path: '/connector-plugins/FileStreamSink/config' },
  { label: 'GET /connector-plugins/{missing}/config', method: 'GET', path: '/connector-plugins/Nope/config' },
  {
    label: 'PUT /connector-plugins/{p}/config/validate',
    method: 'PUT',
    path: '/connector-plugins/FileStreamSource/config/validate',
    body: { 'connector.class': 'FileStreamSource', name: '{p}-v', topic: 't', 'tasks.max': 'x' },
  },
  { label: 'GET /nope', method: 'GET', path: '/nope' },
  { label: 'DELETE /connectors', method: 'DELETE', path: '/connectors' },
]

async function runSteps(runtime: Runtime): Promise<Answer[]> {
  const prefix = uniqueName('rest')
  const dir = testDir()
  writeFileSync(join(dir, `${prefix}-in.txt`), 'one\ntwo\nthree\n')
  const admin = createAdmin(testClientProperties())
  await admin.createTopics({ topics: [`${prefix}-lines`], partitions: 1, replicas: 1 })
  await admin.close()
  const worker = await runtime.start(prefix)
  running.push(worker)
  const side = { worker, prefix, dir }
  const answers: Answer[] = []
  for (const step of STEPS) {
    answers.push(await send(side, step))
    await step.after?.(side)
  }
  return answers
}

describe('the REST API of tsconnect and of Java Connect', () => {
  test('answers the same status codes and bodies to the same requests, but for the documented differences', async () => {
    const [java, ours] = await Promise.all([runSteps(javaConnect), runSteps(tsconnect)])
    const unexpected: string[] = []
    const known: string[] = []
    STEPS.forEach((step, i) => {
      const found: string[] = []
      differences(java[i], ours[i], '', found)
      for (const d of found) {
        const field = d.slice(0, d.indexOf(': '))
        const key = `${step.label} ${field}`
        if (KNOWN_DIFFERENCES.some((k) => k.match.test(key) && (k.when?.(d) ?? true))) known.push(key)
        else unexpected.push(`${step.label} ${d}`)
      }
    })
    console.log(`# REST parity: ${STEPS.length} requests, ${known.length} known differences`)
    writeFileSync(join(testDir(), 'rest-parity.txt'), [...unexpected, '--- known', ...known].join('\n'))
    assert.deepEqual(unexpected, [], `differences from Java (Java vs tsconnect):\n${unexpected.join('\n')}`)
  })
})
