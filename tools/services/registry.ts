/**
 * The test services by name (`chromium` starts nothing either: it makes sure the browser is installed), and starting a set of them side by side for one run (test/run.ts, the CLI).
 *
 * A service that fails to start stops the ones already up, so a failed start leaves no server behind; their
 * scratch folders (with the logs) stay for a post-mortem.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureJvmHost } from '../../src/jvm/host-build.ts'
import { ensureChromium } from './chromium.ts'
import { ensureJavaPlugins } from './java-plugins.ts'
import { startMariaDb } from './mariadb.ts'
import { startOpenSearch } from './opensearch.ts'
import { startPostgres } from './postgres.ts'
import { startS3Proxy } from './s3proxy.ts'
import { startSchemaRegistry } from './schema-registry.ts'
import { type RunningService, type StartOptions, serviceDir } from './service.ts'

/**
 * How each service starts in its scratch folder. `java-plugins` starts nothing: it resolves a plugin.path; `jvm-host`
 * neither: it builds the JVM plugin host.
 */
const STARTERS = {
  postgres: startPostgres,
  mariadb: startMariaDb,
  s3: startS3Proxy,
  opensearch: startOpenSearch,
  'schema-registry': startSchemaRegistry,
  'java-plugins': async (dir: string): Promise<RunningService> => ({
    name: 'java-plugins',
    dir,
    pids: [],
    env: { TSCONNECT_TEST_JAVA_PLUGIN_PATH: await ensureJavaPlugins() },
    stop: async () => {},
  }),
  chromium: ensureChromium,
  // Builds the JVM plugin host (src/jvm/host-build.ts) once per run, before any test's own time limit runs.
  'jvm-host': async (dir: string): Promise<RunningService> => ({
    name: 'jvm-host',
    dir,
    pids: [],
    env: { TSCONNECT_TEST_JVM_HOST: (await ensureJvmHost()).home },
    stop: async () => {},
  }),
} satisfies Record<string, (dir: string, opts?: StartOptions) => Promise<RunningService>>

/** The name of a test service. */
export type ServiceName = keyof typeof STARTERS

/** Every service name, in a stable order. */
export const SERVICE_NAMES = Object.keys(STARTERS) as ServiceName[]

/** True for a known service name. */
export function isServiceName(name: string): name is ServiceName {
  return Object.hasOwn(STARTERS, name)
}

/**
 * The services a run needs, in a stable order: those whose call (a key of `uses`, e.g. `testPostgres(`) appears in
 * one of the test files' sources, plus the ones `requested` names (comma-separated, or `all`).
 */
export function servicesToStart(
  sources: Iterable<string>,
  uses: Record<string, ServiceName>,
  requested = '',
): ServiceName[] {
  const needed = new Set<ServiceName>()
  for (const name of requested.split(',').map((n) => n.trim())) {
    if (name === 'all') for (const all of SERVICE_NAMES) needed.add(all)
    else if (isServiceName(name)) needed.add(name)
    else if (name) throw new Error(`unknown test service ${name} (known: ${SERVICE_NAMES.join(', ')})`)
  }
  for (const source of sources) {
    for (const [call, name] of Object.entries(uses)) if (source.includes(call)) needed.add(name)
  }
  return SERVICE_NAMES.filter((name) => needed.has(name))
}

/** Services started together, with the union of their environment variables. */
export interface ServiceSet {
  /** The run's scratch folder: one sub-folder per service. */
  dir: string
  services: RunningService[]
  env: Record<string, string>
  /** Milliseconds each service took to be ready, by name. */
  startMs: Record<string, number>
  /** Stops every service (in parallel); resolves when all are gone. */
  stop(): Promise<void>
}

/** Options of startServices. */
export interface StartServicesOptions extends StartOptions {
  /** The scratch folder; absent: a fresh one under the OS's temp folder. */
  dir?: string
}

/** Starts the named services in parallel; rejects if any cannot start. */
export async function startServices(
  names: readonly ServiceName[],
  opts: StartServicesOptions = {},
): Promise<ServiceSet> {
  const runDir = opts.dir ?? mkdtempSync(join(tmpdir(), 'tsconnect-services-'))
  const startMs: Record<string, number> = {}
  const results = await Promise.allSettled(
    names.map(async (name) => {
      const started = Date.now()
      const service = await STARTERS[name](serviceDir(runDir, name), opts)
      startMs[name] = Date.now() - started
      return service
    }),
  )
  const services = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const stop = async () => {
    await Promise.allSettled(services.map((s) => s.stop()))
  }
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []))
  if (failures.length > 0) {
    await stop()
    throw new AggregateError(failures, failures.map((f) => f.message).join('\n\n'))
  }
  return { dir: runDir, services, env: Object.assign({}, ...services.map((s) => s.env)), startMs, stop }
}
