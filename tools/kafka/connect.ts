/**
 * Apache Kafka Connect's own distributed worker (Java), started from the same jars as the local broker.
 *
 * It is the reference that compatibility tests and benchmarks compare tsconnect against: same configs, same
 * internal topics, same REST API. The FileStream connectors are on its plugin.path, as in the Kafka tarball; Kafka's
 * tool connectors (connect-test-plugins) are on its classpath, as in Kafka's own Connect system tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureKafka, type KafkaInstall } from './jars.ts'
import {
  fileSize,
  freePort,
  type JvmProfile,
  killProcess,
  logContains,
  spawnJava,
  stopProcess,
  waitUntil,
} from './jvm.ts'

/** How to start a Java Connect worker. */
export interface JavaConnectOptions {
  bootstrap: string
  /** Folder for the worker's properties and log. */
  dir: string
  groupId: string
  /** Prefix of the three internal topics: <prefix>-configs, -offsets, -status. */
  topicPrefix?: string
  /** REST port; absent: a free port. */
  port?: number
  profile?: JvmProfile
  heap?: string
  /** Extra worker properties, overriding the defaults below. */
  properties?: Record<string, string>
  startTimeoutMs?: number
  install?: KafkaInstall
}

/** A running Java Connect worker. */
export interface JavaConnectWorker {
  /** The REST base URL, e.g. http://127.0.0.1:8083. */
  url: string
  pid: number
  logFile: string
  /** Graceful stop (SIGTERM): the worker leaves the group. */
  stop(): Promise<void>
  /** kill -9: the worker vanishes without leaving the group; resolves once it is gone. */
  kill(): Promise<void>
}

/**
 * Worker properties that both runtimes read alike for a cluster of one broker: JsonConverter, the internal topics
 * `<prefix>-configs`, `-offsets` and `-status`, and a 1 s offset flush.
 */
export function oneBrokerWorkerProperties(
  bootstrap: string,
  groupId: string,
  prefix = groupId,
): Record<string, string> {
  return {
    'bootstrap.servers': bootstrap,
    'group.id': groupId,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'config.storage.topic': `${prefix}-configs`,
    'offset.storage.topic': `${prefix}-offsets`,
    'status.storage.topic': `${prefix}-status`,
    // The defaults (replication factor 3, 25 offset partitions) do not fit a one-broker cluster.
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '5',
    'status.storage.partitions': '1',
    'offset.flush.interval.ms': '1000',
  }
}

/** How often a worker on a free port is started again when another process took the port first. */
const BIND_ATTEMPTS = 3

/**
 * Starts a Java Connect distributed worker and resolves once its REST API answers. A free port is only free when it
 * is picked: another process may bind it before the JVM does (seen with parallel test runs), so a worker whose REST
 * server failed to bind a port we picked is started again on another one.
 */
export async function startJavaConnect(opts: JavaConnectOptions): Promise<JavaConnectWorker> {
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort())
    try {
      return await startOnPort(opts, port)
    } catch (error) {
      const lostPort = error instanceof Error && /Failed to bind to|Address already in use/.test(error.message)
      if (opts.port !== undefined || !lostPort || attempt >= BIND_ATTEMPTS) throw error
    }
  }
}

async function startOnPort(opts: JavaConnectOptions, port: number): Promise<JavaConnectWorker> {
  const install = opts.install ?? ensureKafka()
  mkdirSync(opts.dir, { recursive: true })
  const prefix = opts.topicPrefix ?? opts.groupId
  const properties: Record<string, string> = {
    ...oneBrokerWorkerProperties(opts.bootstrap, opts.groupId, prefix),
    listeners: `http://127.0.0.1:${port}`,
    'rest.advertised.host.name': '127.0.0.1',
    'rest.advertised.port': String(port),
    'plugin.path': install.pluginPath,
    // Only the ServiceLoader manifests are read: the fastest plugin discovery, and every bundled plugin has one.
    'plugin.discovery': 'service_load',
    ...opts.properties,
  }
  const propsFile = join(opts.dir, 'connect-distributed.properties')
  writeFileSync(
    propsFile,
    `${Object.entries(properties)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  )
  const logFile = join(opts.dir, 'connect.log')
  const from = fileSize(logFile)
  const pid = spawnJava({
    install,
    mainClass: 'org.apache.kafka.connect.cli.ConnectDistributed',
    args: [propsFile],
    heap: opts.heap ?? '512m',
    log4jConfig: join(install.configDir, 'log4j2-connect.xml'),
    logFile,
    profile: opts.profile ?? 'functional',
    extraFlags: [`-Dkafka.logs.dir=${opts.dir}`],
  })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitUntil(
      `Java Connect worker at ${url}`,
      async () => {
        if (!logContains(logFile, 'Kafka Connect started', from)) return false
        const response = await fetch(`${url}/connectors`).catch(() => undefined)
        return response?.status === 200
      },
      { timeoutMs: opts.startTimeoutMs ?? 120_000, pid, logFile },
    )
  } catch (error) {
    await killProcess(pid)
    throw error
  }
  return {
    url,
    pid,
    logFile,
    stop: () => stopProcess(pid),
    kill: () => killProcess(pid),
  }
}
