/**
 * Config providers resolve `${provider:path:key}` references in connector configs, as Java's ConfigProvider (for
 * example to read secrets from files). They are declared in the worker config with `config.providers` and
 * `config.providers.<name>.class`.
 */

/** Values read from one path, and how long they stay valid. */
export interface ConfigData {
  readonly data: Readonly<Record<string, string>>
  /** Milliseconds until the values should be read again (the connector is then restarted), or null for never. */
  readonly ttl?: number | null
}

/** Reads config values from somewhere else. */
export interface ConfigProvider {
  /** Configures with the `config.providers.<name>.param.` prefix removed. */
  configure(configs: Readonly<Record<string, unknown>>): void
  /** The values at `path`; only `keys` when given. */
  get(path: string, keys?: readonly string[]): ConfigData | Promise<ConfigData>
  /** Releases resources. */
  close(): void | Promise<void>
  /** The provider's version. */
  version?(): string
}
