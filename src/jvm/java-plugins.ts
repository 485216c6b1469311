/**
 * Java plugins under tsconnect: when plugin.path holds Java plugins (jar files, folders of jars, unpacked
 * Confluent Hub or Debezium plugin archives), the worker builds the JVM plugin host if needed (host-build.ts),
 * starts it with those entries as Kafka's plugin.path, and registers every connector it discovered as an ordinary
 * plugin (proxies.ts). A Java connector that a tsconnect built-in is the twin of (e.g. FileStreamSourceConnector)
 * replaces that built-in: what the user put on plugin.path is what runs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import type { PluginDescriptor } from '../api/plugin.ts'
import { workerConfigValue } from '../config/connect/worker-config.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { Logger } from '../util/log.ts'
import { type JavaPluginInfo, JvmHost } from './host.ts'
import { ensureJvmHost } from './host-build.ts'
import { javaConnectorClass } from './proxies.ts'

function holdsJars(dir: string, depth: number): boolean {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isFile() && d.name.endsWith('.jar')) return true
    if (d.isDirectory() && depth > 0 && d.name !== 'node_modules' && holdsJars(join(dir, d.name), depth - 1)) {
      return true
    }
  }
  return false
}

/**
 * The plugin.path entries that hold Java plugins: a jar, or a folder with jars in it or in its sub-folders (two
 * levels, which covers a folder of plugin folders such as an unpacked Debezium archive's). npm package folders
 * (with a package.json) are TypeScript plugins and are left out.
 */
export function javaPluginPathEntries(entries: readonly string[], cwd = process.cwd()): string[] {
  return entries
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .filter((entry) => {
      const path = isAbsolute(entry) ? entry : resolve(cwd, entry)
      if (!existsSync(path)) return false
      const st = statSync(path)
      if (st.isFile()) return path.endsWith('.jar')
      return st.isDirectory() && !existsSync(join(path, 'package.json')) && holdsJars(path, 2)
    })
    .map((entry) => (isAbsolute(entry) ? entry : resolve(cwd, entry)))
}

/** The descriptors of the Java connectors the host discovered. */
export function javaPluginDescriptors(
  host: JvmHost,
  infos: readonly JavaPluginInfo[],
  log: Logger,
): PluginDescriptor[] {
  const out: PluginDescriptor[] = []
  for (const info of infos) {
    if (info.type !== 'source' && info.type !== 'sink') continue
    if (info.error !== undefined) {
      log.error({ plugin: info.class, error: info.error.message }, 'Could not load a Java plugin')
      continue
    }
    const plugin = javaConnectorClass(host, info)
    out.push({ type: info.type, plugin, className: info.class, version: info.version } as PluginDescriptor)
  }
  return out
}

/** The running host of a worker's Java plugins. */
export interface JavaPlugins {
  readonly host: JvmHost
  stop(): Promise<void>
}

/**
 * Starts the JVM plugin host when plugin.path holds Java plugins, and registers its connectors; undefined when there
 * are none (no JVM is started).
 */
export async function startJavaPlugins(
  props: Readonly<Record<string, string>>,
  registry: PluginRegistry,
  log: Logger,
): Promise<JavaPlugins | undefined> {
  const entries = javaPluginPathEntries((props['plugin.path'] ?? '').split(','))
  if (entries.length === 0) return undefined
  const value = (key: string) => workerConfigValue(props, key)
  const build = await ensureJvmHost()
  const host = new JvmHost({
    javaCommand: String(value('tsconnect.jvm.java.command')),
    maxHeap: String(value('tsconnect.jvm.max.heap')),
    jvmOptions: (value('tsconnect.jvm.options') as string[] | null) ?? [],
    classpath: build.classpath,
    pluginProps: {
      'plugin.path': entries.join(','),
      'plugin.discovery': props['plugin.discovery'] ?? 'hybrid_warn',
    },
    log,
  })
  const infos = await host.start()
  for (const descriptor of javaPluginDescriptors(host, infos, log)) registry.registerReplacingTwin(descriptor)
  return { host, stop: () => host.stop() }
}
