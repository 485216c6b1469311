/**
 * DirectoryConfigProvider (Java's org.apache.kafka.common.config.provider.DirectoryConfigProvider):
 * `${dir:/run/secrets:db-password}` reads the file `db-password` of the directory, whole (as Kubernetes and Docker
 * mount secrets). Keys are the names of the regular files directly in the directory. `allowed.paths` as for files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ConfigData, ConfigProvider } from '../../api/config-provider.ts'
import { ConfigError } from '../../errors.ts'
import { AllowedPaths } from './allowed-paths.ts'

/** Values from the files of a directory. */
export class DirectoryConfigProvider implements ConfigProvider {
  #allowed = new AllowedPaths(undefined)

  configure(configs: Readonly<Record<string, unknown>>): void {
    this.#allowed = new AllowedPaths(configs['allowed.paths'])
  }

  get(path: string, keys?: readonly string[]): ConfigData {
    if (path === '') return { data: {} }
    const dir = this.#allowed.resolve(path)
    if (dir === undefined) return { data: {} }
    const data: Record<string, string> = {}
    try {
      if (!statSync(dir).isDirectory()) return { data }
      const names = keys ?? readdirSync(dir)
      for (const name of names) {
        const file = join(dir, name)
        // Only files directly in the directory: a key with a separator must not reach elsewhere.
        if (name.includes('/') || name.includes('\\')) continue
        try {
          if (statSync(file).isFile()) data[name] = readFileSync(file, 'utf8')
        } catch {
          // A missing key is simply absent, as in Java.
        }
      }
    } catch (e) {
      throw new ConfigError(`Could not list directory ${path}: ${(e as Error).message}`)
    }
    return { data }
  }

  close(): void {}
}
