/**
 * tsconnect on a secured Kafka, as production runs it: one broker of this file with a TLS, a mutual-TLS and a
 * SASL_SSL (PLAIN and SCRAM-SHA-512) listener and StandardAuthorizer (test/support/secured-kafka.ts). On each way in,
 * a cluster of 3 connect-distributed processes runs an exactly-once FileStreamSource, a FileStreamSink and the
 * sink's dead letter queue end to end (internal topics, the group, the tasks' producers and consumers, admin calls),
 * with only the ACLs that docs/security.md lists for a Connect principal. A missing ACL and a wrong password give
 * errors that name what was refused.
 */
import assert from 'node:assert/strict'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createAdmin } from '../../../src/kafka/clients.ts'
import {
  type DistributedProcess,
  propertiesFile,
  run,
  startDistributed,
  testDir,
} from '../../support/connect-process.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { uniqueName } from '../../support/kafka.ts'
import {
  A,
  type ConnectResources,
  clientSecurity,
  connectAcls,
  createAcls,
  type SecuredKafka,
  type SecurityMode,
  startSecuredKafka,
  workerSecurity,
} from '../../support/secured-kafka.ts'

let secured: SecuredKafka
const workers: DistributedProcess[] = []
before(async () => {
  secured = await startSecuredKafka()
})
after(async () => {
  await Promise.all(workers.map((w) => w.stop()))
  await secured?.stop()
})

const PRINCIPAL: Record<SecurityMode, string | undefined> = {
  // TLS without client certificates: clients are ANONYMOUS, a super user of this broker (see cluster.ts).
  ssl: undefined,
  mtls: 'User:CN=connect',
  'sasl-plain': 'User:connect',
  'sasl-scram': 'User:connect',
}

interface Cluster {
  resources: ConnectResources
  props: Record<string, string>
  input: string
  output: string
}

function cluster(mode: SecurityMode): Cluster {
  const id = uniqueName(mode)
  const resources: ConnectResources = {
    groupId: `${id}-group`,
    configTopic: `${id}-configs`,
    offsetTopic: `${id}-offsets`,
    statusTopic: `${id}-status`,
    sources: [{ name: `${id}-source`, topic: `${id}-lines`, exactlyOnce: true }],
    sinks: [{ name: `${id}-sink`, topic: `${id}-lines`, dlq: `${id}-dlq` }],
  }
  const props = {
    ...workerSecurity(clientSecurity(secured, mode)),
    'group.id': resources.groupId,
    'config.storage.topic': resources.configTopic,
    'offset.storage.topic': resources.offsetTopic,
    'status.storage.topic': resources.statusTopic,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '1',
    'status.storage.partitions': '1',
    'exactly.once.source.support': 'enabled',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'session.timeout.ms': '6000',
    'heartbeat.interval.ms': '1000',
    'offset.flush.interval.ms': '500',
    listeners: 'http://127.0.0.1:0',
  }
  return {
    resources,
    props,
    input: join(testDir(), `${id}-in.txt`),
    output: join(testDir(), `${id}-out.txt`),
  }
}

function sourceConfig(c: Cluster) {
  const [source] = c.resources.sources
  return {
    'connector.class': 'FileStreamSource',
    'tasks.max': '1',
    file: c.input,
    topic: source?.topic,
    'exactly.once.support': 'required',
  }
}

function sinkConfig(c: Cluster) {
  const [sink] = c.resources.sinks
  return {
    'connector.class': 'FileStreamSink',
    'tasks.max': '1',
    topics: sink?.topic,
    file: c.output,
    // Lines that are not JSON fail conversion and go to the dead letter queue.
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': sink?.dlq,
    'errors.deadletterqueue.topic.replication.factor': '1',
  }
}

interface Status {
  connector: { state: string; trace?: string }
  tasks: { id: number; state: string; worker_id: string; trace?: string }[]
}

async function status(url: string, name: string): Promise<Status | undefined> {
  const r = await http(`${url}/connectors/${encodeURIComponent(name)}/status`)
  return r.status === 200 ? (r.body as Status) : undefined
}

async function running(url: string, name: string): Promise<Status> {
  return until(`${name} and its task RUNNING`, 60_000, async () => {
    const s = await status(url, name)
    if (s?.tasks.some((t) => t.state === 'FAILED')) throw new Error(`task failed: ${s.tasks[0]?.trace}`)
    return s?.connector.state === 'RUNNING' && s.tasks.length === 1 && s.tasks[0]?.state === 'RUNNING' ? s : undefined
  })
}

async function endOffset(topic: string): Promise<bigint> {
  const admin = createAdmin({ ...clientSecurity(secured, 'sasl-scram', { user: 'admin' }), 'client.id': 'dlq-reader' })
  try {
    const [listed] = await admin.listOffsets({
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
    })
    return listed?.partitions[0]?.offset ?? -1n
  } finally {
    await admin.close()
  }
}

/** Creates a topic as the admin user: topics of data are an operator's to make (auto-creation is off). */
async function createTopic(topic: string): Promise<void> {
  const admin = createAdmin({ ...clientSecurity(secured, 'sasl-scram', { user: 'admin' }), 'client.id': 'topic-maker' })
  try {
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
  } finally {
    await admin.close()
  }
}

async function startCluster(props: Record<string, string>, n: number): Promise<DistributedProcess[]> {
  const started = await Promise.all(Array.from({ length: n }, () => startDistributed(props, 60_000)))
  workers.push(...started)
  return started
}

/** Runs `body` with `list` stopped afterwards; on failure the workers' last log lines go with the error. */
async function withWorkers(list: () => DistributedProcess[], body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (error) {
    const logs = list()
      .map((w) => `--- ${w.url}\n${w.run.stdout().split('\n').slice(-15).join('\n')}`)
      .join('\n')
    throw new Error(`${(error as Error).message}\n${logs}`, { cause: error })
  } finally {
    await stopAll(list())
  }
}

async function stopAll(list: DistributedProcess[]): Promise<void> {
  await Promise.all(list.map((w) => w.stop()))
  for (const w of list) if (workers.includes(w)) workers.splice(workers.indexOf(w), 1)
}

const MODES: SecurityMode[] = ['ssl', 'mtls', 'sasl-plain', 'sasl-scram']

describe('a 3-worker cluster on a secured Kafka', () => {
  for (const mode of MODES) {
    test(`over ${mode}: an exactly-once source, a sink and its dead letter queue run end to end with the documented ACLs`, async () => {
      const c = cluster(mode)
      const principal = PRINCIPAL[mode]
      if (principal) await createAcls(secured, connectAcls(principal, c.resources))
      await createTopic(c.resources.sources[0]?.topic as string)
      let cluster3: DistributedProcess[] = []
      await withWorkers(
        () => cluster3,
        async () => {
          cluster3 = await startCluster(c.props, 3)
          const [a, b, d] = cluster3 as [DistributedProcess, DistributedProcess, DistributedProcess]
          const source = c.resources.sources[0]?.name as string
          const sink = c.resources.sinks[0]?.name as string
          assert.equal((await http(`${a.url}/connectors/${source}/config`, 'PUT', sourceConfig(c))).status, 201)
          assert.equal((await http(`${b.url}/connectors/${sink}/config`, 'PUT', sinkConfig(c))).status, 201)
          await running(d.url, source)
          await running(d.url, sink)
          appendFileSync(c.input, '1\n2\n3\nnot json {\n4\n')
          await until('the four JSON lines in the sink file', 60_000, async () => {
            const lines = existsSync(c.output) ? readFileSync(c.output, 'utf8').split('\n').filter(Boolean) : []
            return ['1', '2', '3', '4'].every((l) => lines.includes(l)) ? lines : undefined
          })
          await until('the bad line in the dead letter queue', 30_000, async () =>
            (await endOffset(c.resources.sinks[0]?.dlq as string)) === 1n ? true : undefined,
          )
          // Admin calls of the REST API: the source's offsets (offsets topic) and the sink's (its consumer group).
          const sourceOffsets = await http(`${b.url}/connectors/${source}/offsets`)
          assert.equal(sourceOffsets.status, 200, JSON.stringify(sourceOffsets.body))
          const sinkOffsets = await until('the sink offsets', 30_000, async () => {
            const r = await http(`${d.url}/connectors/${sink}/offsets`)
            return r.status === 200 && (r.body as { offsets: unknown[] }).offsets.length > 0 ? r : undefined
          })
          assert.equal(sinkOffsets.status, 200)
        },
      )
    })
  }
})

describe('refusals on a secured Kafka', () => {
  test('a sink whose principal may not read its group fails with an error naming the group', async () => {
    const c = cluster('sasl-scram')
    const acls = connectAcls('User:connect', c.resources).filter(
      (acl) => !(acl.resourceType === A.GROUP && acl.resourceName.startsWith('connect-')),
    )
    await createAcls(secured, acls)
    await createTopic(c.resources.sinks[0]?.topic as string)
    let started: DistributedProcess[] = []
    await withWorkers(
      () => started,
      async () => {
        started = await startCluster(c.props, 1)
        const url = (started[0] as DistributedProcess).url
        const sink = c.resources.sinks[0]?.name as string
        assert.equal((await http(`${url}/connectors/${sink}/config`, 'PUT', sinkConfig(c))).status, 201)
        const failed = await until('the sink task FAILED', 60_000, async () => {
          const s = await status(url, sink)
          return s?.tasks[0]?.state === 'FAILED' ? s.tasks[0] : undefined
        })
        assert.match(failed.trace ?? '', /authoriz/i)
        assert.match(failed.trace ?? '', new RegExp(`connect-${sink}`))
      },
    )
  })

  test('a leader whose principal may not use the cluster transactional id answers config writes with an error naming it', async () => {
    const c = cluster('sasl-scram')
    const acls = connectAcls('User:connect', c.resources).filter(
      (acl) =>
        !(acl.resourceType === A.TRANSACTIONAL_ID && acl.resourceName === `connect-cluster-${c.resources.groupId}`),
    )
    await createAcls(secured, acls)
    let started: DistributedProcess[] = []
    await withWorkers(
      () => started,
      async () => {
        started = await startCluster(c.props, 1)
        const url = (started[0] as DistributedProcess).url
        const sink = c.resources.sinks[0]?.name as string
        const t0 = Date.now()
        const created = await http(`${url}/connectors/${sink}/config`, 'PUT', sinkConfig(c))
        assert.ok(created.status >= 500, `answered ${created.status}`)
        assert.match(JSON.stringify(created.body), /TRANSACTIONAL_ID_AUTHORIZATION_FAILED|ransactional/)
        assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`)
      },
    )
  })

  test('a worker with a wrong password stops with an error naming the failed authentication', async () => {
    const c = cluster('sasl-scram')
    const props = { ...c.props, ...workerSecurity(clientSecurity(secured, 'sasl-scram', { password: 'wrong' })) }
    const p = run([propertiesFile(props)])
    const code = await Promise.race([p.exit, new Promise<string>((r) => setTimeout(() => r('still running'), 60_000))])
    if (code === 'still running') p.child.kill('SIGKILL')
    assert.notEqual(code, 'still running', `the worker neither stopped nor reported:\n${p.stdout().slice(-3000)}`)
    assert.notEqual(code, 0)
    assert.match(p.stdout() + p.stderr(), /SASL authentication failed/)
  })
})
