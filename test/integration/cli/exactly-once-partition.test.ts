/**
 * A network-partitioned worker cannot commit once its task was fenced (KIP-618). The worker that runs the
 * sequence's task lives in its own network namespace (`ip netns`, a veth pair to the host, where a private broker
 * and two more workers listen); the link is cut, the group moves the task to a worker on the host, whose producer
 * claims the task's transactional id and so fences the cut-off one; the link is healed. A read_committed consumer
 * then sees every number exactly once: nothing the zombie sent during the partition was committed.
 *
 * Needs root (network namespaces), as CI has.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { KafkaTopicAdmin } from '../../../src/kafka/topic-admin.ts'
import { LocalKafka } from '../../../tools/kafka/cluster.ts'
import { clusterProperties, until } from '../../support/herder-cluster.ts'
import { uniqueName } from '../../support/kafka.ts'
import {
  checkNoLoss,
  committedNumbers,
  createSequence,
  SEQUENCE_PLUGIN_PATH,
  type SequenceWorker,
  sleep,
  startWorker,
  stopConnector,
  taskRunningOn,
} from '../../support/sequence-cluster.ts'

const suffix = String(process.pid % 10000)
const NS = `tsc-eos-${suffix}`
const HOST_LINK = `eosh${suffix}`
const NS_LINK = `eosn${suffix}`
// A /30 of 10.250.x.y chosen by pid, so parallel runs on one machine do not collide.
const SUBNET = `10.250.${Math.floor((process.pid % 16000) / 64)}`
const BASE = ((process.pid % 64) * 4) % 256
const HOST_IP = `${SUBNET}.${BASE + 1}`
const NS_IP = `${SUBNET}.${BASE + 2}`

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' })

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '0.0.0.0', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('port'))))
    })
  })
}

let dir: string
let kafka: LocalKafka
let bootstrap: string

before(async () => {
  ip('netns', 'add', NS)
  ip('link', 'add', HOST_LINK, 'type', 'veth', 'peer', 'name', NS_LINK)
  ip('link', 'set', NS_LINK, 'netns', NS)
  ip('addr', 'add', `${HOST_IP}/30`, 'dev', HOST_LINK)
  ip('link', 'set', HOST_LINK, 'up')
  ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_IP}/30`, 'dev', NS_LINK)
  ip('netns', 'exec', NS, 'ip', 'link', 'set', NS_LINK, 'up')
  ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up')
  dir = mkdtempSync(join(tmpdir(), 'eos-partition-'))
  const port = await freePort()
  const controllerPort = await freePort()
  // The broker listens on every address and advertises the host end of the veth pair, reachable from both sides.
  kafka = await LocalKafka.start({
    dir,
    port,
    controllerPort,
    overrides: {
      listeners: `PLAINTEXT://0.0.0.0:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${HOST_IP}:${port}`,
    },
  })
  bootstrap = `${HOST_IP}:${port}`
})
after(async () => {
  await kafka?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
  try {
    ip('link', 'del', HOST_LINK)
  } catch {}
  try {
    ip('netns', 'del', NS)
  } catch {}
})

describe('a network-partitioned worker', () => {
  test('cannot commit once its task was fenced: a read_committed reader sees every number exactly once', async () => {
    const props = (listenIp: string) =>
      clusterProperties({
        'bootstrap.servers': bootstrap,
        listeners: `http://${listenIp}:0`,
        'exactly.once.source.support': 'enabled',
        'plugin.path': SEQUENCE_PLUGIN_PATH,
        'session.timeout.ms': '6000',
        'scheduled.rebalance.max.delay.ms': '2000',
        'offset.flush.interval.ms': '2000',
      })
    const shared = props(HOST_IP)
    const nsProps: Record<string, string> = { ...props(NS_IP), 'group.id': shared['group.id'] as string }
    for (const k of ['config.storage.topic', 'offset.storage.topic', 'status.storage.topic'])
      nsProps[k] = shared[k] as string
    const topic = uniqueName('partitioned')
    const admin = KafkaTopicAdmin.fromProperties({ 'bootstrap.servers': bootstrap })
    await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} })
    await admin.close()

    // The task starts on the namespaced worker, alone in the group; the host workers join later and keep it there.
    const zombie = await startWorker(nsProps, ['ip', 'netns', 'exec', NS])
    await createSequence(zombie, 'seq', topic)
    assert.equal((await taskRunningOn([zombie], 'seq', 60_000)).id, zombie.id)
    const host: SequenceWorker[] = [await startWorker(shared), await startWorker(shared)]
    await sleep(3000)
    assert.equal((await taskRunningOn([...host, zombie], 'seq', 60_000)).id, zombie.id)

    ip('link', 'set', HOST_LINK, 'down')
    const successor = await taskRunningOn(host, 'seq', 90_000)
    assert.notEqual(successor.id, zombie.id)
    await sleep(4000)
    ip('link', 'set', HOST_LINK, 'up')
    await sleep(8000)

    // The zombie gave its task up: its sends reached the broker again and were refused (its producer fenced, or its
    // open transaction being aborted for the successor: CONCURRENT_TRANSACTIONS), or, on a loaded machine, it stopped
    // the task itself first on losing the group coordinator. Either way none of its transactions may commit: the
    // numbers below prove it.
    await until('the zombie gave up its task', 30_000, async () =>
      /INVALID_PRODUCER_EPOCH|PRODUCER_FENCED|fenced out|CONCURRENT_TRANSACTIONS|the member may have left the group/.test(
        zombie.run.stdout() + zombie.run.stderr(),
      )
        ? true
        : undefined,
    )
    await stopConnector(host, 'seq')
    for (const w of [...host, zombie]) w.run.child.kill('SIGTERM')
    await Promise.all([...host, zombie].map((w) => w.run.exit))
    const numbers = await committedNumbers(bootstrap, topic)
    const { count, duplicates } = checkNoLoss(numbers)
    console.log(`# partition: ${count} numbers, ${duplicates} duplicates`)
    assert.ok(count > 100, `only ${count} numbers were produced`)
    assert.equal(duplicates, 0)
  })
})
