/**
 * Plugin descriptors: how a package tells tsconnect what it provides. A plugin package exports a list of them
 * (see plugins/ for loading, docs/connector-guide.md for packaging):
 *
 *   export const plugins: PluginDescriptor[] = [
 *     { type: 'source', plugin: MySourceConnector, version: '1.0.0' },
 *     { type: 'converter', plugin: MyConverter, className: 'com.example.MyConverter' },
 *   ]
 *
 * `className` is the plugin's own name (the class's name when left out); `javaClassName` names a Java twin so that
 * configs written for Java Connect find this plugin. Every plugin can also be named by its alias: the simple name
 * (after the last `.`), or that name without its type suffix (FileStreamSourceConnector → FileStreamSource).
 */
import type { ConfigProvider } from './config-provider.ts'
import type { SinkConnector, SourceConnector } from './connector.ts'
import type { Converter, HeaderConverter } from './converter.ts'
import type { Predicate, Transformation } from './transformation.ts'

/** What each plugin type's instances are. */
export interface PluginInstances {
  source: SourceConnector
  sink: SinkConnector
  converter: Converter
  header_converter: HeaderConverter
  transformation: Transformation
  predicate: Predicate
  configprovider: ConfigProvider
}

/** The plugin types, named as Java's PluginType prints them (GET /connector-plugins `type`). */
export type PluginType = keyof PluginInstances

/** Every plugin type, in Java's order. */
export const PLUGIN_TYPES: readonly PluginType[] = Object.freeze([
  'source',
  'sink',
  'converter',
  'header_converter',
  'transformation',
  'predicate',
  'configprovider',
])

/** One plugin of one type. */
export type PluginDescriptorOf<T extends PluginType> = {
  readonly type: T
  /** The class to instantiate (with no arguments). */
  readonly plugin: new () => PluginInstances[T]
  /** The plugin's own name; the class's name when left out. */
  readonly className?: string
  /** The fully-qualified class name of the plugin's Java twin, e.g. org.apache.kafka.connect.json.JsonConverter. */
  readonly javaClassName?: string
  /** The version listed by REST; the instance's version() when left out. */
  readonly version?: string
}

/** One plugin, of any type. */
export type PluginDescriptor = { [T in PluginType]: PluginDescriptorOf<T> }[PluginType]

/** Whether a value looks like a plugin descriptor (for checking what a plugin package exports). */
export function isPluginDescriptor(value: unknown): value is PluginDescriptor {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { type?: unknown; plugin?: unknown }
  return (
    typeof v.type === 'string' && (PLUGIN_TYPES as readonly string[]).includes(v.type) && typeof v.plugin === 'function'
  )
}
