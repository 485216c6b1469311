/**
 * Starting, watching and stopping the JVMs of the local Kafka (brokers, controllers, Java Connect workers).
 *
 * Every JVM writes its output to a log file rather than a pipe: a pipe that nobody drains would stall the JVM,
 * and a file survives the process for a post-mortem when a test fails.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, statSync } from 'node:fs'
import { createServer, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { KafkaInstall } from './jars.ts'

/**
 * JVM options sized for a 2-core machine. `functional` trades peak speed for start-up (C1 only, serial GC): it is
 * for tests and the quick start. `performance` keeps Kafka's stock G1 flags, for benchmarks.
 */
export type JvmProfile = 'functional' | 'performance'

const PERFORMANCE_FLAGS = [
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
]
const FUNCTIONAL_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k']

/** What a JVM of the local Kafka runs. */
export interface JavaLaunch {
  /** Only the classpath is read, so a JVM of another Maven-resolved tool (S3Proxy, OpenSearch) can start here too. */
  install: Pick<KafkaInstall, 'classpath'>
  mainClass: string
  args: string[]
  /** -Xmx, e.g. '512m'. */
  heap: string
  /** A log4j2 config file; absent for JVMs that configure their logging themselves. */
  log4jConfig?: string
  logFile: string
  profile?: JvmProfile
  /** Detached JVMs outlive this process (the `npm run kafka -- start` case). */
  detached?: boolean
  extraFlags?: string[]
  /**
   * Runs the JVM under `nice -n <niceness>`: services that share a loaded machine with the tests should not take
   * the CPU the tests' own timeouts depend on. `nice` execs java, so the pid is still the JVM's.
   */
  niceness?: number
  /** The java command; absent: `java` on PATH. For a tool that needs a newer Java than the default (Apicurio: 21+). */
  java?: string
}

/** Starts a JVM whose stdout and stderr go to `logFile`; returns its pid. */
export function spawnJava(launch: JavaLaunch): number {
  const profile = launch.profile ?? 'functional'
  const flags = [
    '-Xms64m',
    `-Xmx${launch.heap}`,
    ...(profile === 'performance' ? PERFORMANCE_FLAGS : FUNCTIONAL_FLAGS),
    '-Djava.awt.headless=true',
    ...(launch.log4jConfig ? [`-Dlog4j2.configurationFile=${launch.log4jConfig}`] : []),
    ...(launch.extraFlags ?? []),
    '-cp',
    launch.install.classpath,
    launch.mainClass,
    ...launch.args,
  ]
  const fd = openSync(launch.logFile, 'a')
  try {
    const java = launch.java ?? 'java'
    const [command, args] =
      launch.niceness === undefined ? [java, flags] : ['nice', ['-n', String(launch.niceness), java, ...flags]]
    const child = spawn(command, args, {
      stdio: ['ignore', fd, fd],
      detached: launch.detached ?? false,
    })
    if (child.pid === undefined) throw new Error(`could not start java ${launch.mainClass}`)
    child.unref()
    // The handle is dropped on purpose: the JVM is tracked by pid, which also works across processes (CLI stop).
    child.on('error', () => {})
    return child.pid
  } finally {
    closeSync(fd)
  }
}

/** Runs a short-lived Kafka tool to completion and throws with its output when it fails. */
export function runJavaTool(install: KafkaInstall, mainClass: string, args: string[]): string {
  const out = spawnSync(
    'java',
    [
      '-Xmx256m',
      ...FUNCTIONAL_FLAGS,
      `-Dlog4j2.configurationFile=${install.configDir}/log4j2-tools.xml`,
      '-cp',
      install.classpath,
      mainClass,
      ...args,
    ],
    { encoding: 'utf8' },
  )
  if (out.status !== 0) {
    throw new Error(`${mainClass} ${args.join(' ')} failed (exit ${out.status}):\n${out.stdout}\n${out.stderr}`)
  }
  return out.stdout
}

/** Options of runJava. */
export interface RunJavaOptions {
  heap?: string
  profile?: JvmProfile
}

/**
 * Runs a Kafka tool (e.g. ProducerPerformance) to completion without blocking the event loop; resolves to its
 * stdout, rejects with its output when it fails.
 */
export function runJava(
  install: KafkaInstall,
  mainClass: string,
  args: string[],
  opts: RunJavaOptions = {},
): Promise<string> {
  const flags = [
    `-Xmx${opts.heap ?? '512m'}`,
    ...((opts.profile ?? 'performance') === 'performance' ? PERFORMANCE_FLAGS : FUNCTIONAL_FLAGS),
    `-Dlog4j2.configurationFile=${install.configDir}/log4j2-tools.xml`,
    '-cp',
    install.classpath,
    mainClass,
    ...args,
  ]
  return new Promise((resolve, reject) => {
    const child = spawn('java', flags, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`${mainClass} ${args.join(' ')} failed (exit ${code}):\n${stdout}\n${stderr}`))
    })
  })
}

/** True while a process with this pid exists (and is not a zombie we could reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A killed child that nobody has reaped yet still answers signal 0; /proc tells us it is a zombie.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.split(') ')[1]?.[0] !== 'Z'
  } catch {
    return true
  }
}

/** Sends SIGTERM (a controlled shutdown), waits up to `graceMs`, then SIGKILL. Resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs = 30_000): Promise<void> {
  if (!isAlive(pid)) return
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return
    await sleep(100)
  }
  await killProcess(pid)
}

/** SIGKILL: simulates a crash. Resolves once the process is gone (signal delivery is not instant). */
export async function killProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    return // already gone
  }
  while (isAlive(pid)) await sleep(20)
}

/** Resolves when something accepts TCP connections on host:port. */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, host, () => done(true))
  })
}

/** A TCP port that was free a moment ago, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Polls `check` until it returns true. Fails early when the process dies, quoting the end of its log, so a broker
 * that cannot start says why instead of timing out.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  opts: { timeoutMs: number; pid?: number; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs
  for (;;) {
    if (await check()) return
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw new Error(`${what}: the process exited.${logTail(opts.logFile)}`)
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${opts.timeoutMs} ms.${logTail(opts.logFile)}`)
    await sleep(100)
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(logFile: string | undefined, lines = 25): string {
  if (!logFile) return ''
  try {
    const text = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    return `\nLast lines of ${logFile}:\n${text}`
  } catch {
    return ''
  }
}

/** True when the log file contains the text at or after byte `from` (a restarted JVM appends to its old log). */
export function logContains(logFile: string, text: string, from = 0): boolean {
  try {
    return readFileSync(logFile).subarray(from).includes(text)
  } catch {
    return false
  }
}

/** The size of a file, 0 when it does not exist yet. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
