/**
 * Fetches a test service's Java artifacts from Maven Central into the cache the Kafka jars use
 * (`~/.cache/tsconnect`, or TSCONNECT_KAFKA_CACHE), once: later runs find them there and start no Maven at all.
 *
 * An entry is named for its pom's content, so editing a pom (a new version) resolves afresh instead of reusing a
 * stale folder. Resolution happens in a scratch folder renamed into place, as tools/kafka/jars.ts does, so two
 * runs racing on a fresh machine cannot leave a half-filled entry behind.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkJava, checkMaven, kafkaCacheRoot } from '../kafka/jars.ts'
import { ServiceError } from './service.ts'

/** The folder of this module's poms. */
export const MAVEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'maven')

/** Runs Maven in batch mode on one of our poms without blocking the event loop (other services start meanwhile). */
export function mvn(pom: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', ['-B', '-q', '-f', pom, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-16_000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code === 0) resolve()
      else {
        const tail = output.trim().split('\n').slice(-30).join('\n')
        reject(new ServiceError(`Maven could not resolve ${pom} (mvn ${args.join(' ')}):\n${tail}`))
      }
    })
  })
}

/**
 * Returns the cache folder `<name>-<hash of pom and key>`, filling it first with `fill(scratch)` when it is not
 * complete yet. `key` adds what else selects the content (e.g. the Kafka version passed to Maven).
 */
export async function ensureCached(
  name: string,
  pom: string,
  fill: (scratch: string) => Promise<void>,
  key = '',
): Promise<string> {
  checkJava()
  const hash = createHash('sha256').update(readFileSync(pom)).update(key).digest('hex').slice(0, 12)
  const home = join(kafkaCacheRoot(), `${name}-${hash}`)
  if (existsSync(join(home, '.complete'))) return home

  checkMaven()
  mkdirSync(dirname(home), { recursive: true })
  const scratch = `${home}.partial-${process.pid}`
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(scratch, { recursive: true })
  try {
    await fill(scratch)
    writeFileSync(join(scratch, '.complete'), `${new Date().toISOString()}\n`)
    rmSync(home, { recursive: true, force: true })
    renameSync(scratch, home)
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true })
    // A concurrent run may have finished the same entry meanwhile; theirs is as good as ours.
    if (existsSync(join(home, '.complete'))) return home
    throw error
  }
  return home
}
