/**
 * The tsconnect command against real clusters, driven only through the command (spawned as a process, as an
 * operator runs it): a cluster of 3 tsconnect workers, and one Java Connect worker for the verbs both support,
 * with the same results; then contexts with basic auth over HTTPS against a worker whose certificate a private CA
 * signed and which requires a client certificate of that CA (all made with openssl here), and a wrong password.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { advertisedUrl } from '../../../tools/tsconnect-process.ts'
import { javaConnect } from '../../support/compat.ts'
import { propertiesFile, run, startDistributed, testDir } from '../../support/connect-process.ts'
import { clusterProperties, until } from '../../support/herder-cluster.ts'
import { uniqueName } from '../../support/kafka.ts'

const BIN = new URL('../../../bin/tsconnect.js', import.meta.url).pathname
const dir = testDir()

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `tsconnect args` with its own contexts file; answers its exit code and output. */
function ctl(contexts: string, ...args: string[]): Promise<Result> {
  return started(contexts, args).result
}

/** Starts `tsconnect args`, with `input` on its stdin; `output()` is its stdout so far. */
function started(contexts: string, args: string[], input?: string) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, TSCONNECT_CONFIG: contexts, NO_COLOR: '1' },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (input !== undefined) child.stdin?.end(input)
  let stdout = ''
  const result = new Promise<Result>((resolve) => {
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, result, output: () => stdout }
}

/** Runs and expects exit code 0; answers stdout. */
async function ok(contexts: string, ...args: string[]): Promise<string> {
  const r = await ctl(contexts, ...args)
  assert.equal(r.code, 0, `tsconnect ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`)
  return r.stdout
}

/** Runs a read with -o json; answers the parsed output. */
async function json<T>(contexts: string, ...args: string[]): Promise<T> {
  return JSON.parse(await ok(contexts, ...args, '-o', 'json')) as T
}

interface ConnectorRow {
  name: string
  type: string
  state: string
  tasks: { id: number; state: string }[]
}

/** What the scenario saw, with the cluster's own names replaced, to compare the two runtimes. */
type Seen = Record<string, unknown>

/**
 * The scenario on one cluster, through the CLI only: answers what it read, for comparing runtimes.
 * `urls` are the REST URLs of every worker (the first is the context's).
 */
async function scenario(label: string, urls: string[]): Promise<Seen> {
  const seen: Seen = {}
  const prefix = uniqueName(label)
  const home = join(dir, prefix)
  mkdirSync(join(home, 'connectors'), { recursive: true })
  const contexts = join(home, 'contexts.json')
  const input = join(home, 'in.txt')
  writeFileSync(input, 'a\nb\nc\n')
  const topic = `${prefix}-lines`
  const [source, sink, failing] = [`${prefix}-source`, `${prefix}-sink`, `${prefix}-failing`]
  const strip = (text: string) => text.replaceAll(home, '{dir}').replaceAll(prefix, '{p}')
  // What differs between any two clusters: the workers' addresses, the plugins' own versions.
  const anonymous = (value: unknown): unknown =>
    JSON.parse(strip(JSON.stringify(value, (k, v) => (k === 'worker_id' || k === 'version' ? undefined : v))))

  await ok(contexts, 'config', 'set-context', label, '--cluster', urls[0] as string)
  await ok(contexts, 'config', 'use-context', label)

  // A folder of connector files: a JSON request body and a .properties file, with ${env:VAR} substituted.
  writeFileSync(
    join(home, 'connectors', 'a-source.json'),
    JSON.stringify({
      name: source,
      config: {
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        'tasks.max': '1',
        // The test broker creates no topic on its own: the source creates it (KIP-158).
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '1',
      },
    }),
  )
  writeFileSync(
    join(home, 'connectors', 'b-sink.properties'),
    `name=${sink}\nconnector.class=FileStreamSink\ntopics=${topic}\nfile=\${env:SINK_FILE}\ntasks.max=1\n`,
  )
  process.env.SINK_FILE = join(home, 'out.txt')
  await ok(contexts, 'apply', '-f', join(home, 'connectors'), '--wait', 'RUNNING')

  const listed = await json<ConnectorRow[]>(contexts, 'get', 'connectors')
  seen.listed = anonymous(listed)
  assert.deepEqual(
    listed.map((c) => [c.name, c.state, c.tasks.map((t) => t.state)]),
    [
      [sink, 'RUNNING', ['RUNNING']],
      [source, 'RUNNING', ['RUNNING']],
    ],
  )
  assert.equal(await ok(contexts, '__complete', 'connectors'), `${sink}\n${source}\n`, 'names for shell completion')
  const yaml = await ok(contexts, 'get', 'connectors', '-o', 'yaml')
  assert.match(yaml, new RegExp(`^- name: ${source}$`, 'm'))
  assert.match(yaml, /^ {2}state: RUNNING$/m)
  const table = await ok(contexts, 'get', 'connectors')
  assert.match(table, /^NAME +TYPE +STATE +TASKS +WORKER$/m)
  assert.match(table, new RegExp(`^${source} +source +RUNNING +0: RUNNING `, 'm'))

  const described = await json<{ tasks: { id: number; state: string }[]; config: Record<string, string> }>(
    contexts,
    'describe',
    'connector',
    sink,
  )
  assert.equal(described.config.file, join(home, 'out.txt'), 'the env reference is replaced')
  seen.described = anonymous(described)
  assert.match(await ok(contexts, 'describe', 'connector', sink), /^TASK +STATE +WORKER/m)

  await until('the sink wrote the 3 lines', 60_000, async () => {
    try {
      return readFileSync(join(home, 'out.txt'), 'utf8') === 'a\nb\nc\n' ? true : undefined
    } catch {
      return undefined
    }
  })
  await ok(contexts, 'pause', 'connector', source, '--wait', 'PAUSED')
  await ok(contexts, 'resume', source, '--wait', 'RUNNING')
  await ok(contexts, 'stop', source, '--wait', 'STOPPED')
  seen.stopped = anonymous(await json(contexts, 'status', source))

  // Offsets of a stopped connector: read, then patched back to the start of the file, then read again.
  await until('the source offset is committed', 30_000, async () => {
    const o = await json<{ offsets: unknown[] }>(contexts, 'get', 'offsets', source)
    return o.offsets.length > 0 ? true : undefined
  })
  assert.deepEqual(await json(contexts, 'get', 'offsets', source), {
    offsets: [{ partition: { filename: input }, offset: { position: 6 } }],
  })
  await ok(
    contexts,
    'patch',
    'offsets',
    source,
    '--source-partition',
    JSON.stringify({ filename: input }),
    '--source-offset',
    JSON.stringify({ position: 2 }),
  )
  seen.offsets = anonymous(await json(contexts, 'get', 'offsets', source))
  assert.deepEqual(seen.offsets, { offsets: [{ partition: { filename: '{dir}/in.txt' }, offset: { position: 2 } }] })

  // A failing connector (its file's folder is missing): restart only its failed tasks once the folder exists.
  writeFileSync(
    join(home, 'failing.json'),
    JSON.stringify({
      'connector.class': 'FileStreamSink',
      name: failing,
      topics: topic,
      file: join(home, 'later', 'out.txt'),
    }),
  )
  await ok(contexts, 'apply', '-f', join(home, 'failing.json'))
  await until('the failing task fails', 60_000, async () => {
    const [s] = await json<{ tasks: { state: string }[] }[]>(contexts, 'status', failing)
    return s?.tasks[0]?.state === 'FAILED' ? true : undefined
  })
  assert.match(await ok(contexts, 'status', failing), /FAILED/)
  mkdirSync(join(home, 'later'))
  await ok(contexts, 'restart', 'connector', failing, '--tasks', 'failed', '--wait', 'RUNNING')

  // stdin, a properties text without a name: --name names it; --dry-run creates nothing.
  const dryRun = await started(
    contexts,
    ['apply', '-f', '-', '--name', `${prefix}-piped`, '--dry-run'],
    `connector.class=FileStreamSink\ntopics=${topic}\nfile=${join(home, 'piped.txt')}\n`,
  ).result
  assert.equal(dryRun.code, 0, dryRun.stderr)
  assert.equal(dryRun.stdout, `connector ${prefix}-piped is valid; would be created (dry run)\n`)

  // status --watch shows the table until Ctrl-C, which ends it cleanly.
  const watch = started(contexts, ['status', '--watch', '--interval', '200'])
  await until('status --watch shows the connectors', 30_000, async () =>
    watch.output().includes(`${failing}/0`) ? true : undefined,
  )
  watch.child.kill('SIGINT')
  assert.equal((await watch.result).code, 0)
  assert.match(watch.output(), new RegExp(`^ {2}${failing}/0 +RUNNING`, 'm'))

  // A logger level set once for the whole cluster reaches every worker.
  const namespace = 'org.apache.kafka.connect.runtime'
  await ok(contexts, 'logs', namespace, 'DEBUG')
  for (const url of urls) {
    await until(`DEBUG on ${url}`, 30_000, async () => {
      const r = await ctl(contexts, 'get', 'loggers', namespace, '--cluster', url, '-o', 'json')
      return r.code === 0 && (JSON.parse(r.stdout) as Record<string, { level: string }>)[namespace]?.level === 'DEBUG'
        ? true
        : undefined
    })
  }

  // A bad config: each key's error, exit 1, nothing created.
  writeFileSync(
    join(home, 'bad.json'),
    JSON.stringify({ name: `${prefix}-bad`, 'connector.class': 'FileStreamSink', 'tasks.max': 'zero' }),
  )
  const bad = await ctl(contexts, 'apply', '-f', join(home, 'bad.json'))
  assert.equal(bad.code, 1, bad.stderr)
  assert.match(bad.stderr, /^error: 1 connector config is invalid \(\d+ errors?\); nothing was applied$/m)
  assert.match(bad.stderr, /^ {4}tasks\.max: .*zero/m)
  assert.match(bad.stderr, /^ {4}topics: /m)
  seen.bad = strip(bad.stderr)
  const validate = await ctl(contexts, 'validate', '-f', join(home, 'bad.json'))
  assert.equal(validate.code, 1)
  assert.match(validate.stdout, /^tasks\.max +.*zero/m)

  await ok(contexts, 'delete', 'connector', source, sink, failing)
  assert.deepEqual(await json(contexts, 'get', 'connectors'), [])
  const missing = await ctl(contexts, 'describe', 'connector', source)
  assert.equal(missing.code, 1)
  seen.missing = strip(missing.stderr)
  return seen
}

describe('the tsconnect command', () => {
  const seen: Record<string, Seen> = {}
  let tsUrls: string[] = []
  let javaUrl = ''
  const stops: (() => Promise<unknown>)[] = []
  after(async () => {
    await Promise.allSettled(stops.map((s) => s()))
  })

  before(async () => {
    const props = clusterProperties({ 'rest.advertised.host.name': '127.0.0.1' })
    const [java, ...workers] = await Promise.all([
      javaConnect.start(uniqueName('ctl-java')),
      startDistributed(props),
      startDistributed(props),
      startDistributed(props),
    ])
    stops.push(() => java.stop(), ...workers.map((w) => () => w.stop()))
    tsUrls = workers.map((w) => w.url)
    javaUrl = java.url
  })

  test('drives a 3-worker tsconnect cluster: apply a folder, wait, list, describe, pause, resume, stop, offsets, restart failed tasks, cluster-wide log level, delete', async () => {
    seen.tsconnect = await scenario('ctl-ts', tsUrls)
  })

  test('drives a Java Connect worker through the same verbs with the same results', async () => {
    seen.java = await scenario('ctl-java', [javaUrl])
    const ts = seen.tsconnect
    assert.ok(ts, 'the tsconnect scenario ran')
    for (const key of ['listed', 'described', 'stopped', 'offsets', 'missing'] as const) {
      assert.deepEqual(seen.java[key], ts[key], key)
    }
  })

  test('answers exit code 2 for a command line it does not understand', async () => {
    const contexts = join(dir, 'usage-contexts.json')
    const r = await ctl(contexts, 'get', 'nonsense')
    assert.equal(r.code, 2)
    assert.match(r.stderr, /^error: get takes connectors, plugins, offsets or loggers$/m)
    assert.equal((await ctl(contexts, 'pause', 'x', '--no-such-flag')).code, 2)
  })
})

/** A private CA, a server certificate it signed for 127.0.0.1, and a client certificate it signed, as openssl makes them. */
function privateCa(folder: string): { ca: string; keystore: string; cert: string; key: string } {
  mkdirSync(folder, { recursive: true })
  const sh = (...args: string[]) => execFileSync('openssl', args, { cwd: folder, stdio: 'pipe' })
  sh(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=test CA',
  )
  const signed = (name: string, subject: string, extensions: string) => {
    sh('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject)
    writeFileSync(join(folder, `${name}.ext`), extensions)
    sh(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    )
  }
  signed('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  signed('client', '/CN=ops', 'extendedKeyUsage=clientAuth\n')
  writeFileSync(
    join(folder, 'keystore.pem'),
    readFileSync(join(folder, 'server.key'), 'utf8') + readFileSync(join(folder, 'server.pem'), 'utf8'),
  )
  return {
    ca: join(folder, 'ca.pem'),
    keystore: join(folder, 'keystore.pem'),
    cert: join(folder, 'client.pem'),
    key: join(folder, 'client.key'),
  }
}

describe('contexts with basic auth over HTTPS with a private CA and a client certificate', () => {
  const home = join(dir, 'https')
  const contexts = join(home, 'contexts.json')
  let url = ''
  let ca = ''
  let client: string[] = []
  const login = ['--username', 'ops', '--password', 's3cret']
  let stopWorker = () => {}
  after(() => stopWorker())

  before(async () => {
    const tls = privateCa(home)
    ca = tls.ca
    client = ['--cert', tls.cert, '--key', tls.key]
    writeFileSync(join(home, 'users'), 'ops:s3cret\n')
    const worker = run([
      propertiesFile(
        clusterProperties({
          listeners: 'https://127.0.0.1:0',
          'rest.advertised.host.name': '127.0.0.1',
          'ssl.keystore.type': 'PEM',
          'ssl.keystore.location': tls.keystore,
          'ssl.client.auth': 'required',
          'ssl.truststore.type': 'PEM',
          'ssl.truststore.location': tls.ca,
          'rest.basic.auth.file': join(home, 'users'),
        }),
      ),
    ])
    stopWorker = () => worker.child.kill('SIGTERM')
    url = await advertisedUrl(worker)
    assert.match(url, /^https:/)
  })

  test('a context with the CA and the password reaches the worker; get-contexts never prints the password', async () => {
    await ok(
      contexts,
      'config',
      'set-context',
      'secure',
      '--cluster',
      url,
      '--ca',
      ca,
      '--username',
      'ops',
      '--password',
      's3cret',
      ...client,
    )
    assert.equal(statSync(contexts).mode & 0o777, 0o600, 'the contexts file is its owner’s only')
    await until('the HTTPS worker answers', 30_000, async () =>
      (await ctl(contexts, 'info')).code === 0 ? true : undefined,
    )
    assert.match(await ok(contexts, 'info'), /^Kafka Cluster ID: +\S+$/m)
    assert.deepEqual(await json(contexts, 'get', 'connectors'), [])
    const listing =
      (await ok(contexts, 'config', 'get-contexts')) + (await ok(contexts, 'config', 'get-contexts', '-o', 'yaml'))
    assert.match(listing, /basic \(user ops\)/)
    assert.doesNotMatch(listing, /s3cret/)
  })

  test('a wrong password fails with the 401 in one line, exit code 1', async () => {
    const r = await ctl(contexts, 'get', 'connectors', '--password', 'wrong')
    assert.equal(r.code, 1)
    assert.match(
      r.stderr,
      /^error: 401 Unauthorized from https:\/\/127\.0\.0\.1:\d+: .+ \(check the context's username and password, or token\)\n$/,
    )
  })

  test('without the CA the certificate is refused, with what to do', async () => {
    // A contexts file of its own: the saved context names the CA.
    const r = await ctl(join(home, 'no-ca.json'), 'info', '--cluster', url, ...login, ...client)
    assert.equal(r.code, 1)
    assert.match(
      r.stderr,
      /^error: cannot reach https:\/\/127\.0\.0\.1:\d+: .*certificate.* \(name the CA that signed it with --ca, or skip the check with --insecure\)$/m,
    )
  })

  test('--insecure skips the server certificate check', async () => {
    await ok(join(home, 'insecure.json'), 'info', '--cluster', url, '--insecure', ...login, ...client)
  })

  test('without the client certificate the worker refuses the connection, exit code 1', async () => {
    const r = await ctl(join(home, 'no-cert.json'), 'info', '--cluster', url, '--ca', ca, ...login)
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^error: cannot reach https:\/\/127\.0\.0\.1:\d+: .+$/m)
  })
})
