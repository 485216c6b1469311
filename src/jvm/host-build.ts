/**
 * The JVM plugin host's build: the Java program in jvm-host/ (beside src/) compiled with Maven from Maven Central
 * on first use, into a cache outside the repository keyed by a hash of jvm-host/'s files, so a clean clone needs
 * no manual step and a changed host is rebuilt. The layout of a build (under TSCONNECT_KAFKA_CACHE, by default
 * ~/.cache/tsconnect, shared with the local Kafka's jars):
 *
 *   jvm-host-<hash>/tsconnect-jvm-host.jar   the host
 *   jvm-host-<hash>/lib/                     connect-runtime 4.3 and its dependencies, log4j2
 *   jvm-host-<hash>/.complete                written last
 *
 * The build happens in a scratch folder renamed into place, so concurrent first runs are safe.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConnectError } from '../errors.ts'

/** Where the host's sources are (jvm-host/ at the package root). */
export const JVM_HOST_SOURCES = fileURLToPath(new URL('../../jvm-host/', import.meta.url))

const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1'

/** A built host: the classpath to start it with. */
export interface JvmHostBuild {
  readonly home: string
  readonly classpath: string
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name)
    if (d.isDirectory()) return d.name === 'target' ? [] : files(path)
    return [path]
  })
}

/** A short hash of the host's sources (pom.xml and src/). */
export function sourceHash(dir: string = JVM_HOST_SOURCES): string {
  const hash = createHash('sha256')
  for (const file of files(dir).sort()) {
    hash.update(relative(dir, file))
    hash.update('\0')
    hash.update(readFileSync(file))
    hash.update('\0')
  }
  return hash.digest('hex').slice(0, 12)
}

function cacheRoot(): string {
  return process.env.TSCONNECT_KAFKA_CACHE || join(homedir(), '.cache', 'tsconnect')
}

function describe(home: string): JvmHostBuild {
  return { home, classpath: `${join(home, 'tsconnect-jvm-host.jar')}:${join(home, 'lib')}/*` }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.on('error', (e) => reject(new ConnectError('INVALID_CONFIG', `Could not run ${command}: ${e.message}`)))
    child.on('exit', (code) => {
      if (code === 0) resolve()
      else {
        const tail = output.trim().split('\n').slice(-30).join('\n')
        reject(new ConnectError('UNKNOWN', `Building the JVM plugin host failed (${command} exit ${code}):\n${tail}`))
      }
    })
  })
}

/** The built host, building it with Maven first when the cache lacks this version of it. */
export async function ensureJvmHost(mavenCommand = 'mvn'): Promise<JvmHostBuild> {
  const home = join(cacheRoot(), `jvm-host-${sourceHash()}`)
  if (existsSync(join(home, '.complete'))) return describe(home)
  mkdirSync(cacheRoot(), { recursive: true })
  const scratch = `${home}.partial-${process.pid}`
  rmSync(scratch, { recursive: true, force: true })
  try {
    await run(mavenCommand, [
      '-B',
      '-q',
      '-f',
      join(JVM_HOST_SOURCES, 'pom.xml'),
      `-DbuildDir=${join(scratch, 'build')}`,
      'package',
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(scratch, 'lib')}`,
    ])
    renameSync(join(scratch, 'build', 'tsconnect-jvm-host.jar'), join(scratch, 'tsconnect-jvm-host.jar'))
    rmSync(join(scratch, 'build'), { recursive: true, force: true })
    writeFileSync(join(scratch, '.complete'), `${new Date().toISOString()}\n`)
    if (!existsSync(join(home, '.complete'))) {
      rmSync(home, { recursive: true, force: true })
      renameSync(scratch, home)
    }
  } catch (error) {
    // A concurrent run may have finished the same build meanwhile; theirs is as good as ours.
    if (existsSync(join(home, '.complete'))) return describe(home)
    throw error
  } finally {
    if (existsSync(scratch) && statSync(scratch).isDirectory()) rmSync(scratch, { recursive: true, force: true })
  }
  return describe(home)
}
