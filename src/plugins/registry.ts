/**
 * The plugin registry: every connector, converter, header converter, transform, predicate and config provider the
 * worker knows, and the names configs may use for them. Plugins are registered explicitly (the worker registers
 * the built-ins, then what plugin.path loads), never by import side effect.
 *
 * A plugin resolves, within its type, by (in this order):
 *   1. its own class name (`className`, or the class's name),
 *   2. the class name of its Java twin (`javaClassName`, e.g. org.apache.kafka.connect.json.JsonConverter),
 *   3. an alias: a simple name (after the last `.` and `$`) or that name without its type suffix (Connector,
 *      Converter, HeaderConverter, Transformation, Predicate, ConfigProvider), as Java's PluginUtils computes them;
 *      an alias that two different plugins share is ambiguous and left out, as in Java (InsertField$Value and
 *      Cast$Value both have the simple name "Value"),
 *   4. for connectors only, Java's last resort: a simple name equal to the name or to the name + "Connector".
 */
import type { PluginDescriptor, PluginInstances, PluginType } from '../api/plugin.ts'
import { ConfigError, ConnectError } from '../errors.ts'

/** A plugin as GET /connector-plugins lists it; `version` is left out when unknown, as Java does. */
export interface PluginInfo {
  class: string
  type: PluginType
  version?: string
}

/** What resolve() asks for: one type, or any connector. */
export type PluginKind = PluginType | 'connector'

/** The plugin types a kind covers. */
export type TypesOf<K extends PluginKind> = K extends PluginType ? K : 'source' | 'sink'

const SUFFIXES: Record<PluginType, string> = {
  source: 'Connector',
  sink: 'Connector',
  converter: 'Converter',
  header_converter: 'HeaderConverter',
  transformation: 'Transformation',
  predicate: 'Predicate',
  configprovider: 'ConfigProvider',
}

const KIND_WORDS: Record<PluginKind, string> = {
  connector: 'Connector',
  source: 'SourceConnector',
  sink: 'SinkConnector',
  converter: 'Converter',
  header_converter: 'HeaderConverter',
  transformation: 'Transformation',
  predicate: 'Predicate',
  configprovider: 'ConfigProvider',
}

/** Java's Class.getSimpleName for a class name: after the last `.`, `/` and `$`. */
export function simpleName(className: string): string {
  return className.slice(
    Math.max(className.lastIndexOf('.'), className.lastIndexOf('/'), className.lastIndexOf('$')) + 1,
  )
}

/** Java's PluginUtils.prunedName: the simple name without its type suffix (kept when the suffix starts it). */
export function prunedName(className: string, type: PluginType): string {
  const simple = simpleName(className)
  const pos = simple.lastIndexOf(SUFFIXES[type])
  return pos > 0 ? simple.slice(0, pos) : simple
}

/** A registered plugin. */
export class RegisteredPlugin<T extends PluginType = PluginType> {
  readonly type: T
  /** The plugin's own class name. */
  readonly className: string
  /** Its Java twin's class name, if any. */
  readonly javaClassName: string | undefined
  /** The class instances are made from. */
  readonly plugin: new () => PluginInstances[T]
  readonly #version: string | undefined

  constructor(descriptor: PluginDescriptor & { type: T }) {
    this.type = descriptor.type
    this.plugin = descriptor.plugin as new () => PluginInstances[T]
    this.className = descriptor.className ?? descriptor.plugin.name
    this.javaClassName = descriptor.javaClassName
    this.#version = descriptor.version
  }

  /** The names REST shows: the Java twin's when there is one, so Java tooling recognises built-ins. */
  get displayName(): string {
    return this.javaClassName ?? this.className
  }

  /** A new instance. */
  newInstance(): PluginInstances[T] {
    return new this.plugin()
  }

  /** The version: the descriptor's, else what an instance reports, else undefined. */
  get version(): string | undefined {
    if (this.#version !== undefined) return this.#version
    try {
      const instance = this.newInstance() as { version?: () => string }
      return typeof instance.version === 'function' ? instance.version() : undefined
    } catch {
      return undefined
    }
  }

  /** The plugin as REST lists it. */
  info(): PluginInfo {
    const version = this.version
    return version === undefined || version === 'undefined'
      ? { class: this.displayName, type: this.type }
      : { class: this.displayName, type: this.type, version }
  }

  /** Whether this plugin answers to `kind`. */
  is(kind: PluginKind): boolean {
    return kind === 'connector' ? this.type === 'source' || this.type === 'sink' : this.type === kind
  }

  /** The candidate aliases (simple and pruned names of both class names). */
  aliasCandidates(): string[] {
    const names = [this.className, ...(this.javaClassName === undefined ? [] : [this.javaClassName])]
    return [...new Set(names.flatMap((n) => [simpleName(n), prunedName(n, this.type)]))]
  }

  toString(): string {
    const version = this.version
    return `PluginDesc{klass=${this.displayName}, name='${this.displayName}', version='${version ?? 'undefined'}', type=${this.type}}`
  }
}

/** All plugins known to a worker, by type and name. */
export class PluginRegistry {
  readonly #plugins: RegisteredPlugin[] = []
  #aliases: Map<string, string> | undefined

  /** A registry holding the given plugins. */
  constructor(descriptors: Iterable<PluginDescriptor> = []) {
    this.registerAll(descriptors)
  }

  /** Adds a plugin; registering the same class for the same type again is a no-op, a different class a ConfigError. */
  register(descriptor: PluginDescriptor): RegisteredPlugin {
    const plugin = new RegisteredPlugin(descriptor)
    const existing = this.#plugins.find((p) => p.type === plugin.type && p.className === plugin.className)
    if (existing !== undefined) {
      if (existing.plugin === descriptor.plugin) return existing
      throw new ConfigError(`Two different ${plugin.type} plugins are named ${plugin.className}`)
    }
    this.#plugins.push(plugin)
    this.#aliases = undefined
    return plugin
  }

  /**
   * Adds a plugin in place of any plugin of its type whose Java twin is the class it names: a Java plugin that
   * plugin.path holds (run by the JVM plugin host, src/jvm/) wins over tsconnect's own copy of it, so configs,
   * aliases and GET /connector-plugins name the one the user installed.
   */
  registerReplacingTwin(descriptor: PluginDescriptor): RegisteredPlugin {
    const name = descriptor.className ?? descriptor.plugin.name
    for (let i = this.#plugins.length - 1; i >= 0; i--) {
      const p = this.#plugins[i] as RegisteredPlugin
      if (p.type === descriptor.type && p.javaClassName === name) this.#plugins.splice(i, 1)
    }
    this.#aliases = undefined
    return this.register(descriptor)
  }

  /** Adds several plugins. */
  registerAll(descriptors: Iterable<PluginDescriptor>): void {
    for (const d of descriptors) this.register(d)
  }

  /** The unique aliases, each mapped to the class name of the one plugin it names (Java's computeAliases). */
  aliases(): ReadonlyMap<string, string> {
    if (this.#aliases === undefined) {
      const owners = new Map<string, Set<string>>()
      for (const p of this.#plugins) {
        for (const alias of p.aliasCandidates()) {
          const set = owners.get(alias) ?? new Set()
          set.add(p.className)
          owners.set(alias, set)
        }
      }
      this.#aliases = new Map(
        [...owners]
          .filter(([, classes]) => classes.size === 1)
          .map(([alias, classes]) => [alias, [...classes][0] as string]),
      )
    }
    return this.#aliases
  }

  /** Every registered plugin of a kind (all plugins when left out). */
  plugins(kind?: PluginKind): RegisteredPlugin[] {
    return this.#plugins.filter((p) => kind === undefined || p.is(kind))
  }

  /** Finds a plugin by name, or undefined; see the file comment for the rules. */
  find<K extends PluginKind>(kind: K, name: string): RegisteredPlugin<TypesOf<K>> | undefined {
    const candidates = this.plugins(kind)
    const n = name.trim()
    const byName =
      candidates.find((p) => p.className === n) ??
      candidates.find((p) => p.javaClassName === n) ??
      candidates.find((p) => p.className === this.aliases().get(n))
    if (byName !== undefined) return byName as RegisteredPlugin<TypesOf<K>>
    if (kind !== 'connector' && kind !== 'source' && kind !== 'sink') return undefined
    const matches = candidates.filter((p) =>
      [p.className, p.javaClassName].some((c) => c !== undefined && [n, `${n}Connector`].includes(simpleName(c))),
    )
    if (matches.length > 1) {
      throw new ConfigError(
        `More than one connector matches alias ${n}. Please use full package and class name instead. Classes found: ${matches.map(String).join(', ')}`,
      )
    }
    return matches[0] as RegisteredPlugin<TypesOf<K>> | undefined
  }

  /** Finds a plugin by name; a NOT_FOUND ConnectError (with Java's message) when there is none. */
  resolve<K extends PluginKind>(kind: K, name: string): RegisteredPlugin<TypesOf<K>> {
    const found = this.find(kind, name)
    if (found !== undefined) return found
    const available = this.plugins(kind).map(String).join(', ')
    throw new ConnectError(
      'NOT_FOUND',
      `Failed to find any class that implements ${KIND_WORDS[kind]} and which name matches ${name}, available ${kind === 'connector' ? 'connectors' : 'plugins'} are: ${available}`,
    )
  }

  /** A new instance of the named plugin. */
  newInstance<K extends PluginKind>(kind: K, name: string): PluginInstances[TypesOf<K>] {
    return this.resolve(kind, name).newInstance()
  }

  /**
   * The plugins as GET /connector-plugins lists them, in Java's order (sinks, sources, transformations,
   * predicates, converters, header converters; by class name within each): connectors only by default (the REST
   * default connectorsOnly=true), all of those types with `connectorsOnly` false. Config providers are not listed.
   */
  list(connectorsOnly = true): PluginInfo[] {
    const order: PluginType[] = connectorsOnly
      ? ['sink', 'source']
      : ['sink', 'source', 'transformation', 'predicate', 'converter', 'header_converter']
    return order.flatMap((type) =>
      this.plugins(type)
        .map((p) => p.info())
        .sort((a, b) => (a.class < b.class ? -1 : a.class > b.class ? 1 : 0)),
    )
  }
}
