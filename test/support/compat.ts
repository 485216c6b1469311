/**
 * Java Connect and tsconnect side by side on the test broker, behind one face: a `Runtime` starts a worker of
 * either kind on a cluster (group.id and three internal topics) with the same worker properties, so that a
 * compatibility test can run one scenario in both directions.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { oneBrokerWorkerProperties, startJavaConnect } from '../../tools/kafka/connect.ts'
import { startDistributed } from './connect-process.ts'
import { testBootstrap } from './kafka.ts'

/** A running worker of either runtime, reached over REST. */
export interface CompatWorker {
  /** REST base URL without a trailing slash. */
  url: string
  /** Graceful stop (SIGTERM): tasks stop and commit their offsets, the worker leaves the group. */
  stop(): Promise<void>
  /** Everything the worker wrote on stdout so far (with Java, its log, which goes there too). */
  output(): string
  /** The worker's process id (tsconnect's Node process; Java's JVM). */
  pid?: number
}

/** One kind of worker. */
export interface Runtime {
  name: 'Java Connect' | 'tsconnect'
  start(group: string, extra?: Record<string, string>): Promise<CompatWorker>
}

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-compat-'))
let javaStarts = 0

/**
 * The worker properties both runtimes get (on top of tools/kafka/connect.ts's, which tsconnect gets too): the
 * internal topics are `<group>-configs`, `-offsets` and `-status`, as connect.ts names them.
 */
export function compatProperties(group: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...oneBrokerWorkerProperties(testBootstrap(), group),
    // A worker that finds the previous owners gone reassigns their work after this delay (Java's default: 5 min).
    'scheduled.rebalance.max.delay.ms': '1000',
    ...extra,
  }
}

/** Apache Kafka Connect's distributed worker, from the local Kafka's jars. */
export const javaConnect: Runtime = {
  name: 'Java Connect',
  async start(group, extra) {
    const worker = await startJavaConnect({
      bootstrap: testBootstrap(),
      dir: join(dir, `java-${++javaStarts}`),
      groupId: group,
      topicPrefix: group,
      properties: compatProperties(group, extra),
    })
    return { url: worker.url, stop: () => worker.stop(), output: () => readFileSync(worker.logFile, 'utf8') }
  },
}

/** tsconnect's connect-distributed command, as a process. */
export const tsconnect: Runtime = {
  name: 'tsconnect',
  async start(group, extra) {
    const worker = await startDistributed(
      compatProperties(group, { listeners: 'http://127.0.0.1:0', 'rest.advertised.host.name': '127.0.0.1', ...extra }),
    )
    return {
      url: worker.url,
      ...(worker.run.child.pid === undefined ? {} : { pid: worker.run.child.pid }),
      output: () => worker.run.stdout(),
      stop: async () => {
        const code = await worker.stop()
        if (code !== 0) throw new Error(`tsconnect exited with ${code}: ${worker.run.stderr()}`)
      },
    }
  },
}
