/**
 * ConfigDef: the one declaration of a component's configs, as Java's ConfigDef. It drives parsing (parse: typed
 * values with defaults, or a ConfigError naming the key), validation (validate: every error at once, as the REST
 * validate endpoint reports them, see config-infos.ts) and docs (toMarkdown).
 *
 * Validation follows Java's order: configs that are nobody's dependent are parsed first, each followed by its
 * dependents; then recommenders run over the parsed values to fill in recommended values and visibility.
 */
import { ConfigError } from '../errors.ts'
import {
  type ConfigType,
  type ConfigValueType,
  convertToString,
  type Importance,
  parseType,
  type Width,
} from './types.ts'
import type { Recommender, Validator } from './validators.ts'

/** How to declare one config. Leave `defaultValue` out (or undefined) to make the config required. */
export interface ConfigKeyOptions {
  name: string
  type: ConfigType
  /** The default, parsed like a supplied value; `null` is a valid default. Absent or undefined means required. */
  defaultValue?: unknown
  validator?: Validator
  importance: Importance
  documentation: string
  group?: string
  orderInGroup?: number
  width?: Width
  displayName?: string
  /** Configs whose validity or recommendations depend on this one. */
  dependents?: string[]
  recommender?: Recommender
  /** Hidden from docs (Java's defineInternal). */
  internal?: boolean
}

/** One declared config, as Java's ConfigDef.ConfigKey. */
export class ConfigKey {
  readonly name: string
  readonly type: ConfigType
  readonly hasDefault: boolean
  /** The parsed default; meaningful only when hasDefault. */
  readonly defaultValue: ConfigValueType
  readonly validator: Validator | undefined
  readonly importance: Importance
  readonly documentation: string | null
  readonly group: string | null
  readonly orderInGroup: number
  readonly width: Width
  readonly displayName: string
  readonly dependents: readonly string[]
  readonly recommender: Recommender | undefined
  readonly internal: boolean

  constructor(o: ConfigKeyOptions) {
    this.name = o.name
    this.type = o.type
    this.hasDefault = o.defaultValue !== undefined
    this.defaultValue = this.hasDefault ? parseType(o.name, o.defaultValue, o.type) : null
    this.validator = o.validator
    if (this.validator !== undefined && this.hasDefault) this.validator.ensureValid(o.name, this.defaultValue)
    this.importance = o.importance
    this.documentation = o.documentation ?? null
    this.group = o.group ?? null
    this.orderInGroup = o.orderInGroup ?? -1
    this.width = o.width ?? 'NONE'
    this.displayName = o.displayName ?? o.name
    this.dependents = Object.freeze([...(o.dependents ?? [])])
    this.recommender = o.recommender
    this.internal = o.internal ?? false
    Object.freeze(this)
  }
}

/** The outcome of validating one config, as Java's ConfigValue. */
export class ConfigValue {
  readonly name: string
  value: ConfigValueType = null
  recommendedValues: unknown[] = []
  readonly errorMessages: string[] = []
  visible = true

  constructor(name: string) {
    this.name = name
  }

  /** Records one more problem with the value. */
  addErrorMessage(message: string): void {
    this.errorMessages.push(message)
  }
}

/** Raw config values: strings from properties files and REST, or values already typed. */
export type RawConfig = Readonly<Record<string, unknown>>

function messageOf(e: unknown): string {
  if (e instanceof ConfigError) return e.message
  throw e
}

/** A set of config declarations. */
export class ConfigDef {
  readonly #keys = new Map<string, ConfigKey>()
  readonly #groups: string[] = []

  /** An empty definition, or a copy of `base` to extend. */
  constructor(base?: ConfigDef) {
    if (base !== undefined) {
      for (const [k, v] of base.#keys) this.#keys.set(k, v)
      this.#groups.push(...base.#groups)
    }
  }

  /** Declares a config; throws ConfigError when the name is taken or the default is invalid. */
  define(options: ConfigKeyOptions | ConfigKey): this {
    const key = options instanceof ConfigKey ? options : new ConfigKey(options)
    if (this.#keys.has(key.name)) throw new ConfigError(`Configuration ${key.name} is defined twice.`, key.name)
    if (key.group !== null && !this.#groups.includes(key.group)) this.#groups.push(key.group)
    this.#keys.set(key.name, key)
    return this
  }

  /** The declared configs, in declaration order. */
  get configKeys(): ReadonlyMap<string, ConfigKey> {
    return this.#keys
  }

  /** The groups, in order of first use. */
  get groups(): readonly string[] {
    return this.#groups
  }

  /** The declared names. */
  names(): string[] {
    return [...this.#keys.keys()]
  }

  /** The defaults of the configs that have one. */
  defaultValues(): Record<string, ConfigValueType> {
    const out: Record<string, ConfigValueType> = {}
    for (const k of this.#keys.values()) if (k.hasDefault) out[k.name] = k.defaultValue
    return out
  }

  #undefinedDependents(): string[] {
    const missing = new Set<string>()
    for (const k of this.#keys.values()) for (const d of k.dependents) if (!this.#keys.has(d)) missing.add(d)
    return [...missing]
  }

  /**
   * Parses every declared config: supplied values are parsed and validated, missing ones take their default.
   * Throws ConfigError on the first problem (Java's "Missing required configuration \"x\" which has no default
   * value."). Keys that are not declared are ignored.
   */
  parse(props: RawConfig): Record<string, ConfigValueType> {
    const missing = this.#undefinedDependents()
    if (missing.length > 0) {
      throw new ConfigError(
        `Some configurations in are referred in the dependents, but not defined: ${missing.join(',')}`,
      )
    }
    const values: Record<string, ConfigValueType> = {}
    for (const key of this.#keys.values()) {
      values[key.name] = this.#parseValue(key, props[key.name], Object.hasOwn(props, key.name))
    }
    return values
  }

  /**
   * Parses one declared config as parse() does (its default when absent), for readers of a few keys of a larger
   * definition (an undefined value counts as absent). Throws ConfigError for an undeclared name, a missing required
   * value or an invalid one.
   */
  parseOne(name: string, props: RawConfig): ConfigValueType {
    const key = this.#keys.get(name)
    if (key === undefined) throw new ConfigError(`Unknown configuration '${name}'`, name)
    return this.#parseValue(key, props[name], props[name] !== undefined && Object.hasOwn(props, name))
  }

  #parseValue(key: ConfigKey, value: unknown, isSet: boolean): ConfigValueType {
    let parsed: ConfigValueType
    if (isSet) parsed = parseType(key.name, value, key.type)
    else if (!key.hasDefault) {
      throw new ConfigError(`Missing required configuration "${key.name}" which has no default value.`, key.name)
    } else parsed = key.defaultValue
    key.validator?.ensureValid(key.name, parsed)
    return parsed
  }

  /**
   * Validates every declared config and reports all problems instead of stopping at the first: one ConfigValue
   * per declared config, in declaration order (then one per undefined dependent).
   */
  validate(props: Readonly<Record<string, string>>): ConfigValue[] {
    return [...this.validateAll(props).values()]
  }

  /** The same as validate(), keyed by name. */
  validateAll(props: Readonly<Record<string, string>>): Map<string, ConfigValue> {
    const results = new Map<string, ConfigValue>()
    for (const name of this.#keys.keys()) results.set(name, new ConfigValue(name))
    for (const name of this.#undefinedDependents()) {
      const v = new ConfigValue(name)
      v.addErrorMessage(`${name} is referred in the dependents, but not defined.`)
      v.visible = false
      results.set(name, v)
    }
    const roots = this.#configsWithNoParent()
    const parsed: Record<string, unknown> = {}
    for (const name of roots) this.#parseForValidate(name, props, parsed, results)
    for (const name of roots) this.#recommend(name, parsed, results)
    return results
  }

  #configsWithNoParent(): string[] {
    const withParent = new Set<string>()
    for (const k of this.#keys.values()) for (const d of k.dependents) withParent.add(d)
    return [...this.#keys.keys()].filter((n) => !withParent.has(n))
  }

  #parseForValidate(
    name: string,
    props: Readonly<Record<string, string>>,
    parsed: Record<string, unknown>,
    results: Map<string, ConfigValue>,
  ): void {
    const key = this.#keys.get(name)
    const result = results.get(name)
    if (key === undefined || result === undefined) return
    let value: ConfigValueType = null
    if (Object.hasOwn(props, name)) {
      try {
        value = parseType(name, props[name], key.type)
      } catch (e) {
        result.addErrorMessage(messageOf(e))
      }
    } else if (!key.hasDefault) {
      result.addErrorMessage(`Missing required configuration "${name}" which has no default value.`)
    } else {
      value = key.defaultValue
    }
    if (key.validator !== undefined) {
      try {
        key.validator.ensureValid(name, value)
      } catch (e) {
        result.addErrorMessage(messageOf(e))
      }
    }
    result.value = value
    parsed[name] = value
    for (const d of key.dependents) this.#parseForValidate(d, props, parsed, results)
  }

  #recommend(name: string, parsed: Readonly<Record<string, unknown>>, results: Map<string, ConfigValue>): void {
    const key = this.#keys.get(name)
    const result = results.get(name)
    if (key === undefined || result === undefined) return
    if (key.recommender !== undefined) {
      try {
        let recommended = key.recommender.validValues(name, parsed)
        if (result.recommendedValues.length > 0) {
          const previous = new Set(result.recommendedValues)
          recommended = recommended.filter((v) => previous.has(v))
        }
        result.recommendedValues = recommended
        result.visible = key.recommender.visible(name, parsed)
      } catch (e) {
        result.addErrorMessage(messageOf(e))
      }
    }
    for (const d of key.dependents) this.#recommend(d, parsed, results)
  }

  /**
   * The configs in documentation order, as Java's sortedConfigs: by group (in order of first use, ungrouped
   * first), then order in group, then required before defaulted, then importance (HIGH first), then name.
   */
  sortedConfigs(): ConfigKey[] {
    const groupOrd = new Map(this.#groups.map((g, i) => [g, i]))
    const importance = { HIGH: 0, MEDIUM: 1, LOW: 2 } as const
    const group = (k: ConfigKey) => (k.group === null ? -1 : (groupOrd.get(k.group) ?? -1))
    return [...this.#keys.values()].sort(
      (a, b) =>
        group(a) - group(b) ||
        a.orderInGroup - b.orderInGroup ||
        Number(a.hasDefault) - Number(b.hasDefault) ||
        importance[a.importance] - importance[b.importance] ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )
  }

  /**
   * Adds a child definition's configs under `keyPrefix` (Java's embed), e.g. a transform's configs as
   * `transforms.<alias>.<key>` in a connector's definition: groups become `groupPrefix: <group>`, orders count up
   * from `startingOrd`, dependents get the prefix, and validators and recommenders see unprefixed names.
   */
  embed(keyPrefix: string, groupPrefix: string, startingOrd: number, child: ConfigDef): this {
    let order = startingOrd
    const unprefixed = (parsed: Readonly<Record<string, unknown>>) =>
      Object.fromEntries(
        Object.entries(parsed)
          .filter(([k]) => k.startsWith(keyPrefix))
          .map(([k, v]) => [k.slice(keyPrefix.length), v]),
      )
    for (const key of child.sortedConfigs()) {
      const validator = key.validator
      const recommender = key.recommender
      this.define({
        name: keyPrefix + key.name,
        type: key.type,
        defaultValue: key.hasDefault ? key.defaultValue : undefined,
        validator:
          validator === undefined
            ? undefined
            : {
                ensureValid: (name, value) => validator.ensureValid(name.slice(keyPrefix.length), value),
                toString: () => String(validator),
              },
        importance: key.importance,
        documentation: key.documentation ?? '',
        group: groupPrefix + (key.group === null ? '' : `: ${key.group}`),
        orderInGroup: order++,
        width: key.width,
        displayName: key.displayName,
        dependents: key.dependents.map((d) => keyPrefix + d),
        recommender:
          recommender === undefined
            ? undefined
            : {
                validValues: (name, parsed) =>
                  recommender.validValues(name.slice(keyPrefix.length), unprefixed(parsed)),
                visible: (name, parsed) => recommender.visible(name.slice(keyPrefix.length), unprefixed(parsed)),
              },
        internal: key.internal,
      })
    }
    return this
  }

  /** A Markdown table of the public configs (name, description, type, default, valid values, importance). */
  toMarkdown(): string {
    const escapeCell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')
    const rows = this.sortedConfigs()
      .filter((k) => !k.internal)
      .map((k) => {
        const dflt = k.hasDefault ? (convertToString(k.defaultValue, k.type) ?? 'null') : ''
        const valid = k.validator === undefined ? '' : String(k.validator)
        return `| ${k.name} | ${escapeCell(k.documentation ?? '')} | ${k.type.toLowerCase()} | ${escapeCell(dflt)} | ${escapeCell(valid)} | ${k.importance.toLowerCase()} |`
      })
    return [
      '| Name | Description | Type | Default | Valid Values | Importance |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n')
  }
}
