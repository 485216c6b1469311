/**
 * The `allowed.paths` parameter of the file and directory providers (KIP-993): absolute directories that paths must
 * lie under, once normalised (so `..` cannot escape). No parameter: every path is allowed.
 */
import { isAbsolute, normalize, resolve, sep } from 'node:path'
import { ConfigError } from '../../errors.ts'

/** Which paths a provider may read. */
export class AllowedPaths {
  readonly #roots: string[] | undefined

  constructor(param: unknown) {
    if (param === undefined || param === null || String(param).trim() === '') {
      this.#roots = undefined
      return
    }
    this.#roots = String(param)
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) => {
        if (!isAbsolute(p)) throw new ConfigError(`Path ${p} is not absolute`, 'allowed.paths')
        return normalize(p)
      })
  }

  /** The normalised path when allowed, else undefined (the provider then answers no values, as Java's). */
  resolve(path: string): string | undefined {
    const normalised = normalize(resolve(path))
    if (this.#roots === undefined) return normalised
    return this.#roots.some((r) => normalised === r || normalised.startsWith(r.endsWith(sep) ? r : r + sep))
      ? normalised
      : undefined
  }
}
