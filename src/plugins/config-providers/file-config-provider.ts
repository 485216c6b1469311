/**
 * FileConfigProvider (Java's org.apache.kafka.common.config.provider.FileConfigProvider): `${file:/path/x.properties:key}`
 * reads `key` from a Java properties file. With the parameter `allowed.paths` (comma-separated directories), only
 * files under those directories may be read.
 */
import { readFileSync } from 'node:fs'
import type { ConfigData, ConfigProvider } from '../../api/config-provider.ts'
import { ConfigError } from '../../errors.ts'
import { parsePropertiesObject } from '../../util/properties-file.ts'
import { AllowedPaths } from './allowed-paths.ts'

/** Values from properties files. */
export class FileConfigProvider implements ConfigProvider {
  #allowed = new AllowedPaths(undefined)

  configure(configs: Readonly<Record<string, unknown>>): void {
    this.#allowed = new AllowedPaths(configs['allowed.paths'])
  }

  get(path: string, keys?: readonly string[]): ConfigData {
    if (path === '') return { data: {} }
    const file = this.#allowed.resolve(path)
    if (file === undefined) return { data: {} }
    let all: Record<string, string>
    try {
      all = parsePropertiesObject(readFileSync(file, 'utf8'))
    } catch (e) {
      throw new ConfigError(`Could not read properties from file ${path}: ${(e as Error).message}`)
    }
    if (keys === undefined) return { data: all }
    const data: Record<string, string> = {}
    for (const k of keys) if (Object.hasOwn(all, k)) data[k] = all[k] as string
    return { data }
  }

  close(): void {}
}
