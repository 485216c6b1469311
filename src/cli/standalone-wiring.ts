/**
 * Wiring of a standalone worker from its properties: the same plugins, config providers, Worker and REST server as
 * the distributed command (distributed-wiring.ts), with the standalone herder (configs and statuses in memory) and
 * the file offset store. The connectors of the command line are created once REST listens, in their order.
 */

import { parseStandaloneConfig } from '../config/connect/standalone-config.ts'
import { RebalanceInProgressError } from '../errors.ts'
import type { ConnectorRequest } from '../herder/connector-files.ts'
import { createStandaloneHerder } from '../herder/standalone-herder.ts'
import { startJavaPlugins } from '../jvm/java-plugins.ts'
import { fetchClusterId } from '../kafka/cluster-id.ts'
import { WorkerConfigProviders } from '../plugins/config-providers/worker-config-providers.ts'
import { restConfigFromProperties } from '../rest/config.ts'
import { RestServer } from '../rest/server.ts'
import { FileOffsetStore } from '../stores/file-offset-store.ts'
import { createKafkaOffsetStore } from '../stores/kafka-stores.ts'
import { type Logger, logger } from '../util/log.ts'
import { Worker } from '../worker/worker.ts'
import { pluginRegistry } from './distributed-wiring.ts'
import { workerMetricsWiring } from './metrics-wiring.ts'

/** A connector of the command line could not be created (Java stops with exit code 3). */
export class ConnectorCreateError extends Error {
  override name = 'ConnectorCreateError'
  readonly connector: string

  constructor(connector: string, cause: unknown) {
    super(`Failed to create connector ${connector}: ${(cause as Error).message}`, { cause })
    this.connector = connector
  }
}

/** A running standalone worker. */
export interface RunningStandaloneWorker {
  readonly url: string
  /** Stops gracefully: the herder (work stopped, offsets committed), the offset file, REST, the config providers. */
  stop(): Promise<void>
}

/**
 * Builds and starts a standalone worker, then creates the given connectors.
 * @throws ConfigError naming the key at fault, before anything connects; or the first connector's creation error
 */
export async function startStandaloneWorker(
  rawProps: Readonly<Record<string, string>>,
  connectors: readonly ConnectorRequest[],
  log: Logger = logger('connect-standalone'),
): Promise<RunningStandaloneWorker> {
  const plugins = await pluginRegistry(rawProps, log)
  const providers = new WorkerConfigProviders(rawProps, plugins)
  const { worker: config, offsetFile } = parseStandaloneConfig(await providers.resolveWorkerProperties(rawProps))
  const javaPlugins = await startJavaPlugins(config.props, plugins, log)
  const offsetStore = new FileOffsetStore({ filename: offsetFile })
  // As in Java, a standalone worker has the worker, connector and task groups, not the group-membership ones.
  const metrics = workerMetricsWiring(config)
  let generation = () => 0
  const { herder, rest: restHerder } = createStandaloneHerder({
    config,
    plugins,
    clusterId: () => fetchClusterId(config.props),
    configResolver: providers.resolve,
    log,
    createWorker: (workerId, listener, statusStore) =>
      new Worker({
        workerId,
        config,
        plugins,
        offsetStore,
        // A connector's own offsets topic (offsets.storage.topic of the connector) still lives on Kafka.
        connectorOffsetStore: (topic) => createKafkaOffsetStore(config.props, { topic }),
        statusStore,
        listener,
        configResolver: providers.resolve,
        generation: () => generation(),
        ...(metrics ? { metrics: metrics.registry } : {}),
      }),
  })
  generation = () => herder.core.generation
  const rest = new RestServer({
    herder: restHerder,
    config: restConfigFromProperties(config.props),
    requestTimeoutMs: config.restRequestTimeoutMs,
    ...(metrics ? { metrics: metrics.source } : {}),
  })
  await rest.start()
  const url = rest.advertisedUrl()
  metrics?.started(new URL(url).host)
  const stop = async () => {
    await herder.stop()
    await offsetStore.stop()
    await rest.stop()
    await providers.close()
    metrics?.stop()
    await javaPlugins?.stop()
  }
  try {
    await offsetStore.start()
    await herder.start(url)
    for (const c of connectors) {
      const options = { allowReplace: false, ...(c.initialState ? { initialState: c.initialState } : {}) }
      try {
        await untilSettled(() => herder.putConnectorConfig(c.name, c.config, options))
      } catch (error) {
        throw new ConnectorCreateError(c.name, error)
      }
      log.info({ connector: c.name }, 'Created connector')
    }
  } catch (error) {
    await stop().catch(() => {})
    throw error
  }
  return { url, stop }
}

/** Runs `fn` again while the one-member group is still settling its first assignment (REST waits likewise). */
async function untilSettled<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await fn()
    } catch (error) {
      if (!(error instanceof RebalanceInProgressError) || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}
