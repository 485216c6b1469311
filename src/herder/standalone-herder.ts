/**
 * The standalone herder (Java's StandaloneHerder): one process owns every connector and task; configs and statuses
 * live in memory and are lost at exit, offsets persist in a local file (stores/file-offset-store.ts).
 *
 * Rather than a second herder with its own copy of every REST behaviour, it is the distributed herder over
 * in-memory config and status stores and a one-member in-process group (local-group.ts): that member is always the
 * leader, so every write is local, nothing is forwarded, no broker group is joined, and REST answers exactly as a
 * distributed worker's does (status codes, bodies, errors).
 */

import type { WorkerConfig } from '../config/connect/worker-config.ts'
import type { ConfigResolver } from '../plugins/config-providers/worker-config-providers.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { createMemoryConfigStore, createMemoryStatusStore, MemoryCluster } from '../stores/memory-stores.ts'
import type { StatusStore } from '../stores/status-store.ts'
import type { Logger } from '../util/log.ts'
import type { WorkerApi, WorkerListener } from '../worker/worker-api.ts'
import { DistributedHerder } from './distributed-herder.ts'
import type { Herder } from './herder.ts'
import { LocalGroup } from './local-group.ts'
import { noLeaderClient } from './task-config-forwarding.ts'

/** What a standalone herder is built from. */
export interface StandaloneHerderOptions {
  readonly config: WorkerConfig
  readonly plugins: PluginRegistry
  /** Makes the worker; it must write statuses to `statusStore`. */
  readonly createWorker: (workerId: string, listener: WorkerListener, statusStore: StatusStore) => WorkerApi
  /** The Kafka cluster id, for GET / (Java's standalone worker asks the cluster too). */
  readonly clusterId: () => Promise<string>
  readonly configResolver?: ConfigResolver
  readonly log?: Logger
}

/** A standalone herder and the in-memory status store its worker writes to. */
export interface StandaloneHerder {
  /** Start it (start(url)) and stop it. */
  readonly herder: DistributedHerder
  /** What REST talks to: the herder, less what Java's standalone herder refuses. */
  readonly rest: Herder
  readonly statusStore: StatusStore
}

/**
 * What Java's StandaloneHerder refuses with UnsupportedOperationException (REST answers 500 with the message): the
 * internal endpoints, which only other workers of a group call.
 */
const UNSUPPORTED: Partial<Record<keyof Herder, string>> = {
  putTaskConfigs: 'Kafka Connect in standalone mode does not support externally setting task configurations.',
  fenceZombieSourceTasks: 'Kafka Connect in standalone mode does not support exactly-once source connectors.',
}

function restView(herder: DistributedHerder): Herder {
  return new Proxy(herder, {
    get(target, prop) {
      const refused = UNSUPPORTED[prop as keyof Herder]
      if (refused !== undefined) return () => Promise.reject(new Error(refused))
      const value: unknown = Reflect.get(target, prop, target)
      // Bound to the herder itself: its methods use private fields, which a proxy does not have.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** Builds a standalone herder; see the file comment. Start it with `herder.start(url)`. */
export function createStandaloneHerder(options: StandaloneHerderOptions): StandaloneHerder {
  const memory = new MemoryCluster()
  const statusStore = createMemoryStatusStore(memory, 'connect-standalone-status', 1)
  const herder = new DistributedHerder({
    config: options.config,
    configStore: createMemoryConfigStore(memory, 'connect-standalone-configs'),
    statusStore,
    plugins: options.plugins,
    groupCalls: new LocalGroup(),
    leaderClient: noLeaderClient,
    clusterId: options.clusterId,
    createWorker: (workerId, listener) => options.createWorker(workerId, listener, statusStore),
    ...(options.configResolver ? { configResolver: options.configResolver } : {}),
    ...(options.log ? { log: options.log } : {}),
  })
  return { herder, rest: restView(herder), statusStore }
}
