/**
 * AbstractConfig: parsed, typed access to a component's configs, as Java's AbstractConfig. Connectors and
 * converters build one from their ConfigDef and the raw properties they were given.
 */
import { ConfigError } from '../errors.ts'
import type { ConfigDef, RawConfig } from './config-def.ts'
import { type ConfigValueType, Password } from './types.ts'

/** Configs parsed against a ConfigDef, with typed getters that throw ConfigError for undeclared names. */
export class AbstractConfig {
  /** The definition the values were parsed with. */
  readonly definition: ConfigDef
  readonly #originals: Readonly<Record<string, unknown>>
  readonly #values: Readonly<Record<string, ConfigValueType>>

  /** Parses `originals`; throws ConfigError when a value is invalid or a required one is missing. */
  constructor(definition: ConfigDef, originals: RawConfig) {
    this.definition = definition
    this.#originals = Object.freeze({ ...originals })
    this.#values = Object.freeze(definition.parse(originals))
  }

  /** The parsed value of a declared config. */
  get(key: string): ConfigValueType {
    if (!Object.hasOwn(this.#values, key)) throw new ConfigError(`Unknown configuration '${key}'`, key)
    return this.#values[key] ?? null
  }

  #typed<T>(key: string, check: (v: unknown) => v is T, what: string): T | null {
    const v = this.get(key)
    if (v === null || check(v)) return v as T | null
    throw new ConfigError(`Configuration '${key}' is not ${what}`, key)
  }

  /** A STRING or CLASS config. */
  getString(key: string): string | null {
    return this.#typed(key, (v): v is string => typeof v === 'string', 'a string')
  }
  /** An INT, SHORT, LONG or DOUBLE config. */
  getNumber(key: string): number | null {
    return this.#typed(key, (v): v is number => typeof v === 'number', 'a number')
  }
  /** An INT config. */
  getInt(key: string): number | null {
    return this.getNumber(key)
  }
  /** A SHORT config. */
  getShort(key: string): number | null {
    return this.getNumber(key)
  }
  /** A LONG config. */
  getLong(key: string): number | null {
    return this.getNumber(key)
  }
  /** A DOUBLE config. */
  getDouble(key: string): number | null {
    return this.getNumber(key)
  }
  /** A BOOLEAN config. */
  getBoolean(key: string): boolean | null {
    return this.#typed(key, (v): v is boolean => typeof v === 'boolean', 'a boolean')
  }
  /** A LIST config. */
  getList(key: string): readonly string[] | null {
    return this.#typed(key, (v): v is readonly string[] => Array.isArray(v), 'a list')
  }
  /** A PASSWORD config. */
  getPassword(key: string): Password | null {
    return this.#typed(key, (v): v is Password => v instanceof Password, 'a password')
  }

  /** The raw properties as given. */
  originals(): Readonly<Record<string, unknown>> {
    return this.#originals
  }

  /** The raw properties whose names start with `prefix`, with the prefix removed (or kept when strip is false). */
  originalsWithPrefix(prefix: string, strip = true): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(this.#originals)) {
      if (k.startsWith(prefix) && k.length > prefix.length) out[strip ? k.slice(prefix.length) : k] = v
    }
    return out
  }

  /** Every parsed value. */
  values(): Readonly<Record<string, ConfigValueType>> {
    return this.#values
  }
}
