/**
 * S3Proxy: a real S3 REST server (Jetty, AWS signature v2/v4, multipart uploads) that keeps objects in a local
 * folder, as one jar from Maven Central. Used where a connector talks to S3.
 *
 * The `filesystem-nio2` store is used because the older `filesystem` one lists folder placeholders as keys.
 * Clients must use path-style addressing and region us-east-1, and compute checksums only when required: see
 * {@link s3ClientOptions}.
 */

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canConnect, freePort, killProcess, spawnJava, stopProcess, waitUntil } from '../kafka/jvm.ts'
import { ensureCached, MAVEN_DIR, mvn } from './maven.ts'
import type { RunningService, StartOptions } from './service.ts'

const POM = join(MAVEN_DIR, 's3proxy.pom.xml')

/** The access key and secret S3Proxy accepts. */
export const S3_CREDENTIALS = { accessKeyId: 'local-identity', secretAccessKey: 'local-credential' }

/** Resolves the S3Proxy jar into the cache; returns its path. */
export async function ensureS3Proxy(): Promise<string> {
  const home = await ensureCached('s3proxy', POM, (scratch) =>
    mvn(POM, ['org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy', `-DoutputDirectory=${scratch}`]),
  )
  return join(home, 's3proxy.jar')
}

/** Starts S3Proxy with its store in `dir`; resolves once it answers HTTP. */
export async function startS3Proxy(dir: string, opts: StartOptions = {}): Promise<RunningService> {
  const jar = await ensureS3Proxy()
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const conf = join(dir, 's3proxy.conf')
  writeFileSync(
    conf,
    [
      `s3proxy.endpoint=${endpoint}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${S3_CREDENTIALS.accessKeyId}`,
      `s3proxy.credential=${S3_CREDENTIALS.secretAccessKey}`,
      'jclouds.provider=filesystem-nio2',
      `jclouds.filesystem.basedir=${join(dir, 'store')}`,
      '',
    ].join('\n'),
  )
  mkdirSync(join(dir, 'store'), { recursive: true })
  const logFile = join(dir, 's3proxy.log')
  const pid = spawnJava({
    install: { classpath: jar },
    mainClass: 'org.gaul.s3proxy.Main',
    args: ['--properties', conf],
    heap: '256m',
    logFile,
    niceness: 10,
    detached: opts.detached ?? false,
  })
  await waitUntil('S3Proxy', () => canConnect(port), { timeoutMs: 120_000, pid, logFile }).catch(
    async (error: unknown) => {
      await killProcess(pid)
      throw error
    },
  )
  return {
    name: 's3',
    dir,
    pids: [pid],
    env: {
      TSCONNECT_TEST_S3_ENDPOINT: endpoint,
      TSCONNECT_TEST_S3_ACCESS_KEY: S3_CREDENTIALS.accessKeyId,
      TSCONNECT_TEST_S3_SECRET_KEY: S3_CREDENTIALS.secretAccessKey,
    },
    stop: () => stopProcess(pid, 10_000),
  }
}
