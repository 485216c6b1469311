/**
 * Java's ConfigTransformer: replaces `${provider:path:key}` (or `${provider:key}`, with an empty path) in config
 * values by what the named provider answers. A reference whose provider is unknown, or whose key the provider does
 * not have, stays as written. Providers are asked once per (provider, path) with all the keys wanted there.
 *
 * Resolved values exist only in the result of transform(): callers pass it to the connector or task being started
 * and never store, log or show it.
 */
import type { ConfigProvider } from '../../api/config-provider.ts'

/** Java's variable pattern. */
export const CONFIG_VARIABLE = /\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}/g

/** What transform() answers. */
export interface TransformResult {
  /** The config with the references the providers answered replaced. */
  readonly data: Record<string, string | null>
  /** Per path, the smallest TTL (ms) a provider gave for it; empty when no provider gave one. */
  readonly ttls: ReadonlyMap<string, number>
}

/** Whether a value holds a config-provider reference. */
export function hasReference(value: string | null | undefined): boolean {
  return typeof value === 'string' && new RegExp(CONFIG_VARIABLE.source).test(value)
}

/** Resolves references through a set of named providers. */
export class ConfigTransformer {
  readonly #providers: ReadonlyMap<string, ConfigProvider>

  constructor(providers: ReadonlyMap<string, ConfigProvider>) {
    this.#providers = providers
  }

  /** Resolves every reference of `configs` that a provider can answer. */
  async transform(configs: Readonly<Record<string, string | null>>): Promise<TransformResult> {
    const wanted = new Map<string, Map<string, Set<string>>>()
    for (const value of Object.values(configs)) {
      if (typeof value !== 'string') continue
      for (const m of value.matchAll(CONFIG_VARIABLE)) {
        const [, provider = '', , path = '', key = ''] = m
        const paths = wanted.get(provider) ?? new Map<string, Set<string>>()
        wanted.set(provider, paths)
        const keys = paths.get(path) ?? new Set<string>()
        paths.set(path, keys)
        keys.add(key)
      }
    }
    const found = new Map<string, Readonly<Record<string, string>>>()
    const ttls = new Map<string, number>()
    for (const [name, paths] of wanted) {
      const provider = this.#providers.get(name)
      if (provider === undefined) continue
      for (const [path, keys] of paths) {
        const answer = await provider.get(path, [...keys])
        found.set(`${name}\u0000${path}`, answer.data)
        if (answer.ttl !== undefined && answer.ttl !== null && answer.ttl >= 0) {
          ttls.set(path, Math.min(ttls.get(path) ?? Number.POSITIVE_INFINITY, answer.ttl))
        }
      }
    }
    const data: Record<string, string | null> = {}
    for (const [k, value] of Object.entries(configs)) {
      data[k] =
        typeof value !== 'string'
          ? value
          : value.replace(
              CONFIG_VARIABLE,
              (whole, provider: string, _p: string, path: string | undefined, key: string) => {
                const values = found.get(`${provider}\u0000${path ?? ''}`)
                return values !== undefined && Object.hasOwn(values, key) ? (values[key] as string) : whole
              },
            )
    }
    return { data, ttls }
  }
}
