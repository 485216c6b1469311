/**
 * EnvVarConfigProvider (Java's org.apache.kafka.common.config.provider.EnvVarConfigProvider): `${env:DB_PASSWORD}`
 * reads an environment variable. The parameter `allowlist.pattern` (a regex, default everything) limits which
 * variables may be read; a path is not supported.
 */
import type { ConfigData, ConfigProvider } from '../../api/config-provider.ts'
import { ConfigError } from '../../errors.ts'

/** Values from the environment. */
export class EnvVarConfigProvider implements ConfigProvider {
  readonly #env: NodeJS.ProcessEnv
  #allow: RegExp = /^.*$/s

  /** `env` is the process environment unless a test gives its own. */
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env
  }

  configure(configs: Readonly<Record<string, unknown>>): void {
    const pattern = configs['allowlist.pattern']
    if (pattern !== undefined && pattern !== null) {
      try {
        this.#allow = new RegExp(`^(?:${String(pattern)})$`, 's')
      } catch (e) {
        throw new ConfigError(`Invalid allowlist.pattern: ${(e as Error).message}`, 'allowlist.pattern')
      }
    }
  }

  get(path: string, keys?: readonly string[]): ConfigData {
    if (path !== '') {
      throw new ConfigError(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`)
    }
    const data: Record<string, string> = {}
    const names = keys ?? Object.keys(this.#env)
    for (const name of names) {
      const value = this.#env[name]
      if (value !== undefined && this.#allow.test(name)) data[name] = value
    }
    return { data }
  }

  close(): void {}
}
