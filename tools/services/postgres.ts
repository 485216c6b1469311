/**
 * A private PostgreSQL cluster with `wal_level=logical`, from the machine's Debian binaries.
 *
 * The machine's shared server runs with `wal_level=replica` and cannot be restarted, so logical decoding (Debezium's
 * pgoutput slots, a tsconnect CDC source) needs a cluster of its own: initdb into the scratch folder, a free port,
 * its socket in the scratch folder too (`-k`), so nothing touches the shared server's socket directory.
 * initdb refuses to run as root: as root, every step runs as the `postgres` user (runuser).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { canConnect, freePort, logTail, waitUntil } from '../kafka/jvm.ts'
import { asUser, folderFor, type RunningService, runStep, ServiceError, type StartOptions } from './service.ts'

/** The OS user that owns the cluster when we run as root. */
const OS_USER = 'postgres'

/** Finds the directory of initdb and pg_ctl: Debian keeps them out of PATH, in /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
    if (existsSync(join(dir, 'initdb'))) return dir
  } catch {
    // pg_config comes with the libpq dev package, which a server-only machine may lack.
  }
  const root = '/usr/lib/postgresql'
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : []
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0]
  if (newest === undefined) {
    throw new ServiceError(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found: install them (e.g. `apt-get install postgresql`).',
    )
  }
  return join(root, newest, 'bin')
}

/**
 * Starts a private cluster in `dir`; resolves once it accepts connections. pg_ctl always detaches the server, so
 * `detached` changes nothing here.
 */
export async function startPostgres(dir: string, _opts: StartOptions = {}): Promise<RunningService> {
  const bin = postgresBinDir()
  await folderFor(OS_USER, dir)
  const data = join(dir, 'data')
  const logFile = join(dir, 'postgres.log')
  await runStep(
    'initdb of the private PostgreSQL',
    ...asUser(OS_USER, join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-instructions',
    ]),
  )
  const port = await freePort()
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    // Logical decoding for CDC connectors; a few slots and senders so that Java and tsconnect can read side by side.
    '-c wal_level=logical',
    '-c max_replication_slots=16',
    '-c max_wal_senders=16',
    // A scratch cluster: durability buys nothing and costs the shared disk. synchronous_commit stays on: logical
    // decoding reads only flushed WAL, so with it off a committed change reaches a slot up to 200 ms later.
    '-c fsync=off',
    '-c full_page_writes=off',
  ].join(' ')
  await runStep(
    'start of the private PostgreSQL',
    ...asUser(OS_USER, join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', options, 'start']),
  ).catch((error: unknown) => {
    throw new ServiceError(`${(error as Error).message}${logTail(logFile)}`)
  })
  await waitUntil('private PostgreSQL', () => canConnect(port), { timeoutMs: 30_000, logFile })
  // postmaster.pid starts with the postmaster's pid; SIGTERM to it is a clean (smart) shutdown.
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
  return {
    name: 'postgres',
    dir,
    pids: [pid],
    env: {
      TSCONNECT_TEST_POSTGRES_HOST: '127.0.0.1',
      TSCONNECT_TEST_POSTGRES_PORT: String(port),
      TSCONNECT_TEST_POSTGRES_USER: 'postgres',
    },
    async stop() {
      await runStep(
        'stop of the private PostgreSQL',
        ...asUser(OS_USER, join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']),
      )
    },
  }
}
