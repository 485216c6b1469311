/**
 * Resolves Apache Kafka's jars from Maven Central into a cache outside the repo, once per version.
 *
 * Layout of an install (`~/.cache/tsconnect/kafka-<version>` unless TSCONNECT_KAFKA_CACHE says otherwise):
 *   lib/                     the broker, its tools and the Java Connect runtime: one classpath (`lib/*`)
 *   plugins/connect-file/    the FileStream connectors, kept off the classpath as the Kafka tarball does
 *   lib/connect-test-plugins-<version>.jar  Kafka's tool connectors (VerifiableSource, MockSink, ...), on the
 *                            classpath as in Kafka's own Connect system tests: org.apache.kafka.connect.tools is
 *                            not a package Connect loads in isolation (PluginUtils), so from plugin.path their
 *                            task classes would not be found
 *   .complete                written last: an install without it is unfinished and is resolved again
 *
 * Resolution happens in a scratch folder that is renamed into place, so two runs racing on a fresh machine
 * cannot leave a half-filled lib/ behind.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The Kafka version used when TSCONNECT_KAFKA_VERSION is not set; 4.3.1 assembles cleanly from Maven Central. */
export const DEFAULT_KAFKA_VERSION = '4.3.1'

/** The pinned maven-dependency-plugin, so that resolution does not drift with the plugin's newest release. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1'

const here = dirname(fileURLToPath(import.meta.url))

/** Where the pom.xml and the log4j2 configs live (in the repo, next to this file). */
export const KAFKA_TOOLS_DIR = here

/** A resolved local Kafka: where its jars are and how to put them on a JVM's classpath. */
export interface KafkaInstall {
  version: string
  home: string
  classpath: string
  pluginPath: string
  configDir: string
}

/** Raised when the machine lacks what a local Kafka needs (java, mvn) or Maven cannot resolve the jars. */
export class KafkaToolingError extends Error {
  override name = 'KafkaToolingError'
}

/** The Kafka version in force: TSCONNECT_KAFKA_VERSION or the default. */
export function kafkaVersion(): string {
  return process.env.TSCONNECT_KAFKA_VERSION || DEFAULT_KAFKA_VERSION
}

/** The folder that holds one install per Kafka version. */
export function kafkaCacheRoot(): string {
  return resolve(process.env.TSCONNECT_KAFKA_CACHE || join(homedir(), '.cache', 'tsconnect'))
}

function describeInstall(version: string): KafkaInstall {
  const home = join(kafkaCacheRoot(), `kafka-${version}`)
  return {
    version,
    home,
    classpath: `${join(home, 'lib')}/*`,
    pluginPath: join(home, 'plugins'),
    configDir: join(here, 'config'),
  }
}

/** Fails with a clear message when java is missing or older than 17 (Kafka 4.x brokers need 17+). */
export function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (out.error) {
    throw new KafkaToolingError(
      'java was not found on PATH. The local Kafka runs on Java 17 or newer: install a JDK (for example ' +
        '`apt-get install openjdk-17-jre-headless`) or point PATH at one.',
    )
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(out.stderr)
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : Number.NaN
  if (!(major >= 17)) {
    throw new KafkaToolingError(
      `Kafka 4.x needs Java 17 or newer, but \`java -version\` says: ${out.stderr.split('\n')[0]}`,
    )
  }
}

/** Fails with a clear message when mvn is missing (everything from Maven Central is resolved through it). */
export function checkMaven(): void {
  const out = spawnSync('mvn', ['-v'], { encoding: 'utf8' })
  if (out.error) {
    throw new KafkaToolingError(
      'mvn was not found on PATH. The local Kafka is assembled from Maven Central jars: install Apache Maven ' +
        '(for example `apt-get install maven`), or set TSCONNECT_KAFKA_CACHE to a folder that already holds ' +
        `kafka-${kafkaVersion()}/.`,
    )
  }
}

function mvn(args: string[]): void {
  const out = spawnSync('mvn', ['-B', '-q', '-f', join(here, 'pom.xml'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (out.status !== 0) {
    const tail = `${out.stdout}\n${out.stderr}`.trim().split('\n').slice(-30).join('\n')
    throw new KafkaToolingError(`Maven could not resolve the Kafka jars (mvn ${args.join(' ')}):\n${tail}`)
  }
}

/**
 * Returns the install of the given Kafka version, resolving its jars through Maven first when the cache lacks
 * them. Java is checked every time, because every use of an install starts a JVM.
 */
export function ensureKafka(version: string = kafkaVersion()): KafkaInstall {
  checkJava()
  const install = describeInstall(version)
  if (existsSync(join(install.home, '.complete'))) {
    ensureTestPlugins(install)
    return install
  }

  checkMaven()
  mkdirSync(dirname(install.home), { recursive: true })
  const scratch = `${install.home}.partial-${process.pid}`
  rmSync(scratch, { recursive: true, force: true })
  try {
    const versionFlag = `-Dkafka.version=${version}`
    mvn([
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      versionFlag,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(scratch, 'lib')}`,
    ])
    mvn([
      `${DEPENDENCY_PLUGIN}:copy`,
      versionFlag,
      `-Dartifact=org.apache.kafka:connect-file:${version}`,
      `-DoutputDirectory=${join(scratch, 'plugins', 'connect-file')}`,
    ])
    copyTestPlugins(version, join(scratch, 'lib'))
    writeFileSync(join(scratch, '.complete'), `${new Date().toISOString()}\n`)
    rmSync(install.home, { recursive: true, force: true })
    renameSync(scratch, install.home)
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true })
    // A concurrent run may have finished the same install meanwhile; theirs is as good as ours.
    if (existsSync(join(install.home, '.complete'))) return install
    throw error
  }
  return install
}

const TEST_PLUGINS = 'connect-test-plugins'

function copyTestPlugins(version: string, outputDirectory: string): void {
  mvn([
    `${DEPENDENCY_PLUGIN}:copy`,
    `-Dkafka.version=${version}`,
    `-Dartifact=org.apache.kafka:${TEST_PLUGINS}:${version}`,
    `-DoutputDirectory=${outputDirectory}`,
  ])
}

/**
 * Adds connect-test-plugins to an install made before it was part of one. The jar is fetched into a scratch
 * folder and renamed into lib/, so a JVM starting meanwhile never sees half a jar on its classpath.
 */
function ensureTestPlugins(install: KafkaInstall): void {
  const jar = `${TEST_PLUGINS}-${install.version}.jar`
  if (existsSync(join(install.home, 'lib', jar))) return
  checkMaven()
  const scratch = join(install.home, `${TEST_PLUGINS}.partial-${process.pid}`)
  rmSync(scratch, { recursive: true, force: true })
  try {
    copyTestPlugins(install.version, scratch)
    renameSync(join(scratch, jar), join(install.home, 'lib', jar))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
