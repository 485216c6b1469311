/**
 * Wiring of a distributed worker from its properties: plugins (built-ins, FileStream and tool connectors, config providers,
 * plugin.path), the worker's own properties resolved through its config providers, the config, offset and status
 * stores, the herder, the worker and the REST server. The order matters: REST binds first (its URL is the worker id and what the group is
 * told), then the herder joins.
 */

import { parseWorkerConfig, type WorkerConfig } from '../config/connect/worker-config.ts'
import { fileStreamPlugins } from '../connectors/file/plugins.ts'
import { toolConnectorPlugins } from '../connectors/tools/plugins.ts'
import { builtinConverterPlugins } from '../converters/plugins.ts'
import { DistributedHerder } from '../herder/distributed-herder.ts'
import { startJavaPlugins } from '../jvm/java-plugins.ts'
import { fetchClusterId } from '../kafka/cluster-id.ts'
import { fenceTransactionalIds } from '../kafka/transactional-writer.ts'
import type { MetricsRegistry } from '../metrics/registry.ts'
import {
  builtinConfigProviderPlugins,
  type ConfigResolver,
  WorkerConfigProviders,
} from '../plugins/config-providers/worker-config-providers.ts'
import { loadPluginPath } from '../plugins/loader.ts'
import { PluginRegistry } from '../plugins/registry.ts'
import { RestClient } from '../rest/client.ts'
import { restConfigFromProperties } from '../rest/config.ts'
import { RestServer } from '../rest/server.ts'
import { createKafkaConfigStore, createKafkaOffsetStore, createKafkaStatusStore } from '../stores/kafka-stores.ts'
import type { OffsetStore } from '../stores/offset-store.ts'
import type { StatusStore } from '../stores/status-store.ts'
import { exactlyOnceSourceSupport, internalClientIdBase, internalClientProperties } from '../stores/topic-settings.ts'
import { builtinTransformPlugins } from '../transforms/plugins.ts'
import { type Logger, logger } from '../util/log.ts'
import { Worker } from '../worker/worker.ts'
import type { ExactlyOnceSourceHooks, WorkerApi, WorkerListener } from '../worker/worker-api.ts'
import { workerMetricsWiring } from './metrics-wiring.ts'

/** What a worker is built from, for createWorker. */
export interface WorkerContext {
  readonly workerId: string
  readonly listener: WorkerListener
  readonly config: WorkerConfig
  readonly plugins: PluginRegistry
  readonly statusStore: StatusStore
  /** The worker's offsets topic, started before the herder joins and stopped after it. */
  readonly offsetStore: OffsetStore
  /** Resolves config-provider references when a connector or task starts. */
  readonly configResolver: ConfigResolver
  /** The herder's current group generation, for the statuses the worker writes. */
  readonly generation: () => number
  /** With exactly.once.source.support=enabled: the herder's checks around exactly-once source tasks. */
  readonly exactlyOnce?: ExactlyOnceSourceHooks
  /** Where the worker measures itself (absent with tsconnect.metrics.enable=false). */
  readonly metrics?: MetricsRegistry
}

/** Options of startDistributedWorker. */
export interface DistributedWorkerOptions {
  /** The worker; by default the connector runtime of worker/worker.ts. */
  readonly createWorker?: (ctx: WorkerContext) => WorkerApi
  readonly log?: Logger
}

/** A running distributed worker. */
export interface RunningWorker {
  readonly herder: DistributedHerder
  readonly rest: RestServer
  readonly url: string
  /** Stops gracefully: the herder (work, group, stores), then REST, then the config providers. */
  stop(): Promise<void>
}

/** The built-in plugins and what plugin.path loads; load errors are logged and skipped, as Java's. */
export async function pluginRegistry(props: Readonly<Record<string, string>>, log: Logger): Promise<PluginRegistry> {
  const registry = new PluginRegistry([
    ...builtinConverterPlugins(),
    ...builtinTransformPlugins(),
    ...builtinConfigProviderPlugins(),
    ...fileStreamPlugins(),
    ...toolConnectorPlugins(),
  ])
  const pluginPath = (props['plugin.path'] ?? '').split(',').filter((p) => p.trim() !== '')
  if (pluginPath.length > 0) {
    const loaded = await loadPluginPath(pluginPath)
    for (const { source, error } of loaded.errors) log.error({ source, err: error }, 'Could not load plugins')
    for (const { descriptor } of loaded.descriptors) registry.register(descriptor)
  }
  return registry
}

/**
 * Builds and starts a distributed worker from raw worker properties.
 * @throws ConfigError naming the key at fault, before anything connects
 */
export async function startDistributedWorker(
  rawProps: Readonly<Record<string, string>>,
  options: DistributedWorkerOptions = {},
): Promise<RunningWorker> {
  const log = options.log ?? logger('connect-distributed')
  const plugins = await pluginRegistry(rawProps, log)
  const providers = new WorkerConfigProviders(rawProps, plugins)
  const config = parseWorkerConfig(await providers.resolveWorkerProperties(rawProps))
  // The JVM plugin host scans plugin.path while the rest starts; the herder waits for it (its connectors need it).
  const javaPluginsStarting = startJavaPlugins(config.props, plugins, log)
  javaPluginsStarting.catch(() => {})
  let javaPlugins: Awaited<typeof javaPluginsStarting>
  const restConfig = restConfigFromProperties(config.props)
  // Client connections are followed from before the first client is made (the stores make theirs).
  const wiring = workerMetricsWiring(config)
  const metrics = wiring?.registry
  const statusStore = createKafkaStatusStore(config.props)
  const offsetStore = createKafkaOffsetStore(config.props)
  const createWorker =
    options.createWorker ??
    ((ctx: WorkerContext) =>
      new Worker({
        workerId: ctx.workerId,
        config: ctx.config,
        plugins: ctx.plugins,
        offsetStore: ctx.offsetStore,
        connectorOffsetStore: (topic) => createKafkaOffsetStore(ctx.config.props, { topic }),
        statusStore: ctx.statusStore,
        listener: ctx.listener,
        configResolver: ctx.configResolver,
        generation: ctx.generation,
        ...(ctx.exactlyOnce ? { exactlyOnce: ctx.exactlyOnce } : {}),
        ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
      }))
  const exactlyOnce = exactlyOnceSourceSupport(config.props) === 'enabled'

  const herder: DistributedHerder = new DistributedHerder({
    config,
    configStore: createKafkaConfigStore(config.props),
    statusStore,
    plugins,
    clusterId: () => fetchClusterId(config.props),
    leaderClient: new RestClient({ log: logger('herder') }),
    configResolver: providers.resolve,
    ...(metrics ? { metrics } : {}),
    ...(exactlyOnce
      ? {
          fenceProducers: (ids: readonly string[]) =>
            fenceTransactionalIds(
              ids,
              internalClientProperties(config.props, `${internalClientIdBase(config.props)}fencing`),
            ),
        }
      : {}),
    createWorker: (workerId, listener) =>
      createWorker({
        workerId,
        listener,
        config,
        plugins,
        statusStore,
        offsetStore,
        configResolver: providers.resolve,
        generation: () => herder.core.generation,
        ...(exactlyOnce ? { exactlyOnce: herder.exactlyOnceHooks() } : {}),
        ...(metrics ? { metrics } : {}),
      }),
  })
  const rest = new RestServer({
    herder,
    config: restConfig,
    requestTimeoutMs: config.restRequestTimeoutMs,
    ...(wiring ? { metrics: wiring.source } : {}),
  })
  await rest.start()
  const url = rest.advertisedUrl()
  wiring?.started(new URL(url).host)
  try {
    javaPlugins = await javaPluginsStarting
    await offsetStore.start()
    await herder.start(url)
  } catch (error) {
    await herder.stop().catch(() => {})
    await offsetStore.stop().catch(() => {})
    await rest.stop(0)
    await javaPlugins?.stop()
    throw error
  }
  return {
    herder,
    rest,
    url,
    stop: async () => {
      await herder.stop()
      await offsetStore.stop()
      await rest.stop()
      await providers.close()
      wiring?.stop()
      await javaPlugins?.stop()
    },
  }
}
