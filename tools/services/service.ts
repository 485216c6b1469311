/**
 * What every test service of tools/services/ has in common: a running service hands out the environment
 * variables through which tests find it (read by test/support/services.ts), and stops itself.
 *
 * Each service runs in a scratch folder of its own (data, config, logs) on free ports chosen at start, so that
 * parallel runs and the machine's shared servers never collide.
 */
import { execFile } from 'node:child_process'
import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

/** Raised when a test service cannot be fetched or started; the message says why and where its log is. */
export class ServiceError extends Error {
  override name = 'ServiceError'
}

/** A started test service. */
export interface RunningService {
  /** The registry name, e.g. 'postgres'. */
  name: string
  /** The environment variables that tell tests where it is (TSCONNECT_TEST_<NAME>_*). */
  env: Record<string, string>
  /** Where its data and logs are. */
  dir: string
  /** Its server processes, so that another process (the CLI's stop) can end them by pid. */
  pids: number[]
  /** Stops it; resolves once its processes are gone. */
  stop(): Promise<void>
}

/** How a service is started. */
export interface StartOptions {
  /** Detached processes outlive this one (`npm run services -- start`); tests keep them attached. */
  detached?: boolean
}

/** The scratch folder of one service inside a run's folder. */
export function serviceDir(runDir: string, name: string): string {
  const dir = join(runDir, name)
  mkdirSync(dir, { recursive: true })
  return dir
}

/**
 * Runs a set-up step (initdb, mariadb-install-db, pg_ctl) to completion without blocking the event loop, so that
 * services and the broker start side by side; rejects with a ServiceError quoting its output when it fails.
 */
export function runStep(what: string, command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new ServiceError(`${what} failed (${command} ${args.join(' ')}): ${error.message}\n${stdout}${stderr}`))
      else resolve(stdout)
    })
  })
}

/** True when this process runs as root, where database servers must run as their own system users. */
export function isRoot(): boolean {
  return process.getuid?.() === 0
}

/**
 * A folder that the named system user may write (root's scratch folders are private by default): its parents
 * become traversable, the folder itself is handed to the user.
 */
export async function folderFor(user: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  if (!isRoot()) return
  chmodSync(join(dir, '..'), 0o755)
  await runStep(`giving ${dir} to ${user}`, 'chown', [`${user}:${user}`, dir])
  // Every folder above must let the user through too: a checkout under /root (mode 700) does not.
  await runStep(`checking that ${user} can reach ${dir}`, 'runuser', ['-u', user, '--', 'test', '-w', dir]).catch(
    () => {
      throw new ServiceError(
        `The ${user} user cannot reach ${dir}: a folder above it is closed to other users. Use a folder under /tmp ` +
          '(npm test does; for `npm run services` pass --dir).',
      )
    },
  )
}

/** `command args` as the given system user when running as root (runuser), else as ourselves. */
export function asUser(user: string, command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args]
}
