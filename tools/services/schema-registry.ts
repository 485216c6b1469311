/**
 * A schema registry: Apicurio Registry 3.3.3 (the Quarkus application from Maven Central) with in-memory storage,
 * for the Avro, Protobuf and JSON Schema converters. Tests talk to its Confluent-compatible API at
 * `/apis/ccompat/v7`, the REST API that Confluent's converters and serializers use.
 *
 * Confluent's own Schema Registry is not on Maven Central, hence Apicurio. It needs Java 21 or newer, which is not
 * the machine's default `java`: the first JDK of 21+ under /usr/lib/jvm is used, or TSCONNECT_JAVA21_HOME.
 * Storage is in memory, so a restart forgets every schema.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, killProcess, spawnJava, stopProcess, waitUntil } from '../kafka/jvm.ts'
import { ensureCached, MAVEN_DIR, mvn } from './maven.ts'
import { type RunningService, runStep, ServiceError, type StartOptions } from './service.ts'

const POM = join(MAVEN_DIR, 'schema-registry.pom.xml')

/** The path of the Confluent-compatible API under the registry's root URL. */
export const CCOMPAT_PATH = '/apis/ccompat/v7'

/** Resolves Apicurio's application archive into the cache and unpacks it; returns the folder of quarkus-run.jar. */
export async function ensureSchemaRegistry(): Promise<string> {
  const home = await ensureCached('schema-registry', POM, async (scratch) => {
    await mvn(POM, ['org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy', `-DoutputDirectory=${scratch}`])
    const archive = join(scratch, 'apicurio-registry.tar.gz')
    mkdirSync(join(scratch, 'app'))
    await runStep('unpacking Apicurio Registry', 'tar', ['xzf', archive, '-C', join(scratch, 'app')])
    await runStep('removing the archive', 'rm', [archive])
  })
  const app = join(home, 'app')
  if (!existsSync(join(app, 'quarkus-run.jar'))) throw new ServiceError(`no quarkus-run.jar in ${app}`)
  return app
}

function javaMajor(home: string): number {
  try {
    const match = /JAVA_VERSION="(\d+)/.exec(readFileSync(join(home, 'release'), 'utf8'))
    return match ? Number(match[1]) : 0
  } catch {
    return 0
  }
}

/** The java command of a JDK 21 or newer: TSCONNECT_JAVA21_HOME, `java` itself when new enough, or /usr/lib/jvm. */
export function java21(): string {
  const fromEnv = process.env.TSCONNECT_JAVA21_HOME
  if (fromEnv) return join(fromEnv, 'bin', 'java')
  const version = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const onPath = /version "(\d+)/.exec(version)
  if (onPath && Number(onPath[1]) >= 21) return 'java'
  const root = '/usr/lib/jvm'
  const homes = existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : []
  const found = homes.filter((home) => javaMajor(home) >= 21).sort((a, b) => javaMajor(b) - javaMajor(a))[0]
  if (found === undefined) {
    throw new ServiceError(
      'Apicurio Registry needs Java 21 or newer: install one (e.g. a Temurin 21+ JDK under /usr/lib/jvm) or set ' +
        'TSCONNECT_JAVA21_HOME to its folder.',
    )
  }
  return join(found, 'bin', 'java')
}

/** Starts Apicurio Registry on a free port; resolves once its Confluent-compatible API answers. */
export async function startSchemaRegistry(dir: string, opts: StartOptions = {}): Promise<RunningService> {
  const app = await ensureSchemaRegistry()
  const java = java21()
  const port = await freePort()
  const managementPort = await freePort()
  const url = `http://127.0.0.1:${port}`
  const logFile = join(dir, 'schema-registry.log')
  const pid = spawnJava({
    java,
    install: { classpath: join(app, 'quarkus-run.jar') },
    mainClass: 'io.quarkus.bootstrap.runner.QuarkusEntryPoint',
    args: [],
    heap: '384m',
    logFile,
    niceness: 10,
    detached: opts.detached ?? false,
    extraFlags: [
      `-Dquarkus.http.port=${port}`,
      '-Dquarkus.http.host=127.0.0.1',
      // Quarkus's management interface (health, metrics) listens on 0.0.0.0:9000 by default: a second registry on
      // the machine (another checkout's test run) would fail to start on it.
      `-Dquarkus.management.port=${managementPort}`,
      '-Dquarkus.management.host=127.0.0.1',
      // One line per request would drown the log that a failed test is read with.
      '-Dquarkus.http.access-log.enabled=false',
      `-Djava.io.tmpdir=${dir}`,
    ],
  })
  await waitUntil(
    'Apicurio Registry',
    async () => {
      const response = await fetch(`${url}${CCOMPAT_PATH}/subjects`).catch(() => undefined)
      return response?.status === 200
    },
    { timeoutMs: 240_000, pid, logFile },
  ).catch(async (error: unknown) => {
    await killProcess(pid)
    throw error
  })
  return {
    name: 'schema-registry',
    dir,
    pids: [pid],
    env: { TSCONNECT_TEST_SCHEMA_REGISTRY_URL: `${url}${CCOMPAT_PATH}` },
    stop: () => stopProcess(pid, 20_000),
  }
}
