/**
 * plugin.path loading: plugins from npm packages and folders, in one documented export shape.
 *
 * Each plugin.path entry is one of:
 *   - a package folder (it has a package.json): its entry module is loaded (`exports["."]` import/default, else
 *     `main`, else index.js); a package that is not under node_modules (a checkout, or a workspace that
 *     node_modules links to) is loaded from its `tsconnect-source` export when it has one, so connector packages
 *     run from their TypeScript sources in development, as bin/ runs the worker's own src/ (Node strips types only
 *     outside node_modules);
 *   - a folder of package folders (Java's "directory of plugins"): every child folder with a package.json is loaded;
 *   - a module file (.js, .mjs, or .ts where Node strips types);
 *   - an npm package name installed under the working directory's node_modules.
 *
 * The module exports its plugin descriptors (api/plugin.ts) as a named `plugins` array, or as its default export
 * (an array, or an object with a `plugins` array).
 *
 * A plugin that imports 'tsconnect' always gets the worker's own copy (a module resolve hook, the Node twin of
 * Java's parent-first loading of the Connect API), so its classes extend the same base classes the worker knows
 * and a plugin package needs tsconnect only as a peer dependency.
 *
 * One bad entry does not stop the others: failures come back with the entry they belong to, for the caller to log.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { isAbsolute, join, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isPluginDescriptor, type PluginDescriptor } from '../api/plugin.ts'
import { ConfigError } from '../errors.ts'

/** What loading plugin.path found. */
export interface PluginLoadResult {
  /** Every descriptor found, with the entry (module path) it came from. */
  readonly descriptors: { readonly source: string; readonly descriptor: PluginDescriptor }[]
  /** Entries that failed to load or export something else than descriptors. */
  readonly errors: { readonly source: string; readonly error: Error }[]
}

const API_PACKAGE = 'tsconnect'
let hookInstalled = false

/** The URL of this package's entry module, in whichever form (source .ts or built .js) is running. */
function ownEntryUrl(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  return new URL(`../index${ext}`, import.meta.url).href
}

/** Makes `import 'tsconnect'` from plugin code resolve to this running copy. Idempotent. */
export function shareApiWithPlugins(): void {
  if (hookInstalled) return
  hookInstalled = true
  const entry = ownEntryUrl()
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === API_PACKAGE) return { url: entry, shortCircuit: true }
      return nextResolve(specifier, context)
    },
  })
}

interface PackageJson {
  main?: unknown
  exports?: unknown
}

/** The export condition naming a package's TypeScript entry, used where Node may strip its types. */
export const SOURCE_CONDITION = 'tsconnect-source'

function exportTarget(exp: unknown, source: boolean): string | undefined {
  if (typeof exp === 'string') return exp
  if (typeof exp !== 'object' || exp === null) return undefined
  const e = exp as Record<string, unknown>
  if ('.' in e) return exportTarget(e['.'], source)
  return (
    (source ? exportTarget(e[SOURCE_CONDITION], source) : undefined) ??
    exportTarget(e.import, source) ??
    exportTarget(e.default, source) ??
    exportTarget(e.node, source)
  )
}

/** The entry module of a package folder (see the file comment for when its sources are chosen). */
export function packageEntry(dir: string): string {
  const real = realpathSync(dir)
  const pkg = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as PackageJson
  const source = !real.split(sep).includes('node_modules')
  const target = exportTarget(pkg.exports, source) ?? (typeof pkg.main === 'string' ? pkg.main : 'index.js')
  return resolve(real, target)
}

/** The module files one plugin.path entry stands for. */
function modulesOf(entry: string, cwd: string): string[] {
  const path = isAbsolute(entry) ? entry : resolve(cwd, entry)
  if (existsSync(path)) {
    if (statSync(path).isFile()) return [path]
    if (existsSync(join(path, 'package.json'))) return [packageEntry(path)]
    return readdirSync(path, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(path, d.name, 'package.json')))
      .map((d) => packageEntry(join(path, d.name)))
      .sort()
  }
  const installed = join(cwd, 'node_modules', entry)
  if (existsSync(join(installed, 'package.json'))) return [packageEntry(installed)]
  throw new ConfigError(
    `plugin.path entry ${entry} is neither a file, a folder nor an installed package`,
    'plugin.path',
  )
}

function descriptorsOf(module: Record<string, unknown>, source: string): PluginDescriptor[] {
  const dflt = module.default as { plugins?: unknown } | unknown[] | undefined
  const list = module.plugins ?? (Array.isArray(dflt) ? dflt : dflt?.plugins)
  if (!Array.isArray(list)) {
    throw new ConfigError(`${source} exports no plugins: export an array named "plugins" or as the default export`)
  }
  list.forEach((d, i) => {
    if (!isPluginDescriptor(d)) {
      throw new ConfigError(`${source}: plugins[${i}] is not a plugin descriptor ({ type, plugin, ... })`)
    }
  })
  return list as PluginDescriptor[]
}

/** Loads the plugins of every plugin.path entry (see the file comment). */
export async function loadPluginPath(entries: readonly string[], cwd = process.cwd()): Promise<PluginLoadResult> {
  shareApiWithPlugins()
  const result: PluginLoadResult = { descriptors: [], errors: [] }
  for (const entry of entries) {
    let modules: string[]
    try {
      modules = modulesOf(entry.trim(), cwd)
    } catch (e) {
      result.errors.push({ source: entry, error: e as Error })
      continue
    }
    for (const file of modules) {
      try {
        const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
        for (const descriptor of descriptorsOf(module, file)) result.descriptors.push({ source: file, descriptor })
      } catch (e) {
        result.errors.push({ source: file, error: e as Error })
      }
    }
  }
  return result
}
