/**
 * The config providers a worker declares (`config.providers=file,env` with `config.providers.<name>.class` and
 * `config.providers.<name>.param.<key>`), resolvable by Java's class names or tsconnect's, and the resolver the
 * worker uses when a connector or task starts.
 *
 * The worker's own properties are resolved with the same providers at start, as Java's AbstractConfig does.
 */
import type { ConfigProvider } from '../../api/config-provider.ts'
import type { PluginDescriptor } from '../../api/plugin.ts'
import { ConfigError } from '../../errors.ts'
import type { PluginRegistry } from '../registry.ts'
import { ConfigTransformer } from './config-transformer.ts'
import { DirectoryConfigProvider } from './directory-config-provider.ts'
import { EnvVarConfigProvider } from './env-var-config-provider.ts'
import { FileConfigProvider } from './file-config-provider.ts'

/** The built-in providers, with their Java twins' class names. */
export function builtinConfigProviderPlugins(): PluginDescriptor[] {
  return [
    {
      type: 'configprovider',
      plugin: FileConfigProvider,
      javaClassName: 'org.apache.kafka.common.config.provider.FileConfigProvider',
    },
    {
      type: 'configprovider',
      plugin: DirectoryConfigProvider,
      javaClassName: 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
    },
    {
      type: 'configprovider',
      plugin: EnvVarConfigProvider,
      javaClassName: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    },
  ]
}

/** A config map whose values may be null (as stored). */
export type RawConfigMap = Record<string, string | null>

/** Resolves `${provider:path:key}` references of a connector or task config when it starts. */
export type ConfigResolver = (config: Readonly<RawConfigMap>) => Promise<RawConfigMap>

/** The providers a worker declared, configured; close() them on shutdown. */
export class WorkerConfigProviders {
  readonly providers: ReadonlyMap<string, ConfigProvider>
  readonly #transformer: ConfigTransformer

  /**
   * Instantiates and configures every provider named in `config.providers`.
   * @throws ConfigError naming `config.providers.<name>.class` when it is missing or names no provider
   */
  constructor(props: Readonly<Record<string, string>>, registry: PluginRegistry) {
    const names = (props['config.providers'] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '')
    const providers = new Map<string, ConfigProvider>()
    for (const name of names) {
      const classKey = `config.providers.${name}.class`
      const className = props[classKey]
      if (className === undefined || className.trim() === '') {
        throw new ConfigError(`Missing required configuration "${classKey}" which has no default value.`, classKey)
      }
      const plugin = registry.find('configprovider', className)
      if (plugin === undefined) {
        throw new ConfigError(
          `Invalid value ${className} for configuration ${classKey}: Class ${className} could not be found.`,
          classKey,
        )
      }
      const provider = plugin.newInstance() as ConfigProvider
      const prefix = `config.providers.${name}.param.`
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) params[k.slice(prefix.length)] = v
      provider.configure(params)
      providers.set(name, provider)
    }
    this.providers = providers
    this.#transformer = new ConfigTransformer(providers)
  }

  /** The resolver for the worker: resolved values go to the connector or task, nowhere else. */
  readonly resolve: ConfigResolver = async (config) => (await this.#transformer.transform(config)).data

  /** Resolves the worker's own properties (references to undeclared providers stay as written). */
  async resolveWorkerProperties(props: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    const { data } = await this.#transformer.transform(props)
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v ?? '']))
  }

  /** Closes every provider. */
  async close(): Promise<void> {
    for (const p of this.providers.values()) await p.close()
  }
}
