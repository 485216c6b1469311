/**
 * Distributed workers in one test process, on the real test broker: each a DistributedHerder with its own REST
 * server on a free port, the worker double (worker-double.ts) and the demo connectors, sharing one group and three
 * internal topics whose names no other test uses. Reach them over HTTP (`url`) as a client would.
 */

import { parseWorkerConfig } from '../../src/config/connect/worker-config.ts'
import { DistributedHerder } from '../../src/herder/distributed-herder.ts'
import type { DistributedHerderOptions } from '../../src/herder/herder-core.ts'
import { fetchClusterId } from '../../src/kafka/cluster-id.ts'
import { RestClient } from '../../src/rest/client.ts'
import { restConfigFromProperties } from '../../src/rest/config.ts'
import { RestServer } from '../../src/rest/server.ts'
import { createKafkaConfigStore, createKafkaStatusStore } from '../../src/stores/kafka-stores.ts'
import { demoRegistry } from './demo-plugins.ts'
import { testBootstrap, uniqueName } from './kafka.ts'
import { silentLog } from './rest.ts'
import { WorkerDouble } from './worker-double.ts'

/** One running test worker. */
export interface TestHerder {
  readonly herder: DistributedHerder
  readonly rest: RestServer
  readonly url: string
  worker(): WorkerDouble
  stop(): Promise<void>
  /** Leaves as kill -9 would, without LeaveGroup: the group notices only after session.timeout.ms. */
  crash(): Promise<void>
}

/**
 * Worker properties of a test cluster: unique group and topics, short timeouts, replication factor 1, and
 * scheduled.rebalance.max.delay.ms not set (tsconnect's failover defaults).
 */
export function clusterProperties(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'bootstrap.servers': testBootstrap(),
    'group.id': uniqueName('herder-group'),
    'config.storage.topic': uniqueName('herder-configs'),
    'offset.storage.topic': uniqueName('herder-offsets'),
    'status.storage.topic': uniqueName('herder-status'),
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '2',
    'status.storage.partitions': '2',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'session.timeout.ms': '6000',
    'heartbeat.interval.ms': '1000',
    'rebalance.timeout.ms': '10000',
    listeners: 'http://127.0.0.1:0',
    ...extra,
  }
}

/** Starts one worker of the cluster the properties name. */
export async function startTestHerder(
  props: Record<string, string>,
  extra: Pick<DistributedHerderOptions, 'fenceProducers'> = {},
  /** The REST request timeout (default 20 s, short for tests; connect-distributed's is 90 s, Java's). */
  requestTimeoutMs = 20_000,
): Promise<TestHerder> {
  const config = parseWorkerConfig(props)
  const plugins = demoRegistry()
  const statusStore = createKafkaStatusStore(config.props, { logger: silentLog, fetchMaxWaitMs: 100 })
  let worker: WorkerDouble | undefined
  const herder: DistributedHerder = new DistributedHerder({
    config,
    configStore: createKafkaConfigStore(config.props, { logger: silentLog, fetchMaxWaitMs: 100 }),
    statusStore,
    plugins,
    clusterId: () => fetchClusterId(config.props),
    leaderClient: new RestClient({ log: silentLog }),
    createWorker: (workerId) => {
      worker = new WorkerDouble(workerId, statusStore, plugins, () => herder.core.generation)
      return worker
    },
    log: silentLog,
    ...extra,
  })
  const rest = new RestServer({
    herder,
    config: restConfigFromProperties(config.props),
    requestTimeoutMs,
    backoff: { initialMs: 20, maxMs: 200 },
    log: silentLog,
  })
  await rest.start()
  const url = rest.advertisedUrl()
  await herder.start(url)
  return {
    herder,
    rest,
    url,
    worker: () => {
      if (worker === undefined) throw new Error('not started')
      return worker
    },
    stop: async () => {
      await herder.stop()
      await rest.stop(100)
    },
    crash: async () => {
      await herder.core.member?.close({ leaveGroup: false, reason: 'simulated crash' })
      await herder.stop()
      await rest.stop(0)
    },
  }
}

/** Sends a JSON request; answers the status and parsed body. */
export async function http(url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
}

/** Polls `check` until it answers a value other than undefined; fails with `what` after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now()
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (e) {
      last = e
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${last ? ` (last error: ${last})` : ''}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
