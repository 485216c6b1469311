/**
 * What the chain and the config enrichment need from the plugin registry, as an interface so that transforms/ does
 * not depend on plugins/ (PluginRegistry satisfies it; tests may pass a stub).
 */
import type { PluginType } from '../api/plugin.ts'

/** One registered plugin, as far as transforms/ uses it. */
export interface LookedUpPlugin {
  readonly type: PluginType
  /** The name REST shows and errors use: the Java twin's class name when there is one. */
  readonly displayName: string
  readonly version: string | undefined
  newInstance(): unknown
}

/** Finds plugins by any of their names. */
export interface PluginLookup {
  find(kind: PluginType, name: string): LookedUpPlugin | undefined
  plugins(kind: PluginType): readonly LookedUpPlugin[]
}
