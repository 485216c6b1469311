/**
 * A private MariaDB with a row binlog (`--log-bin --binlog-format=ROW --binlog-row-image=FULL`), from the machine's
 * Debian binaries.
 *
 * The machine's shared server has the binlog off (and MIXED format), which CDC connectors cannot read; changing it
 * would need a restart. `--no-defaults` keeps the shared server's my.cnf out; the charset flags then restore
 * utf8mb4, which the shared server uses and the no-defaults build would otherwise replace by latin1.
 * As root, mariadbd runs as the `mysql` user.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, isAlive, killProcess, logContains, stopProcess, waitUntil } from '../kafka/jvm.ts'
import { asUser, folderFor, isRoot, type RunningService, runStep, ServiceError, type StartOptions } from './service.ts'

const OS_USER = 'mysql'

/** Starts a private MariaDB in `dir`; resolves once it accepts connections. */
export async function startMariaDb(dir: string, opts: StartOptions = {}): Promise<RunningService> {
  await folderFor(OS_USER, dir)
  const data = join(dir, 'data')
  await runStep('mariadb-install-db of the private MariaDB', 'mariadb-install-db', [
    ...(isRoot() ? [`--user=${OS_USER}`] : []),
    `--datadir=${data}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ])
  const port = await freePort()
  const logFile = join(dir, 'mariadb.log')
  const pidFile = join(dir, 'mariadbd.pid')
  const [command, args] = asUser(OS_USER, 'mariadbd', [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mariadbd.sock')}`,
    `--pid-file=${pidFile}`,
    `--log-bin=${join(data, 'mysql-bin')}`,
    '--binlog-format=ROW',
    '--binlog-row-image=FULL',
    '--server-id=223344',
    `--log-error=${logFile}`,
    '--innodb-buffer-pool-size=64M',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_general_ci',
    // A scratch server: no fsync per commit.
    '--innodb-flush-log-at-trx-commit=0',
    '--sync-binlog=0',
  ])
  const out = openSync(join(dir, 'mariadbd.out'), 'a')
  let launcher: number | undefined
  try {
    const child = spawn(command, args, { stdio: ['ignore', out, out], detached: opts.detached ?? false })
    child.on('error', () => {})
    child.unref()
    launcher = child.pid
  } finally {
    closeSync(out)
  }
  if (launcher === undefined) throw new ServiceError('could not start mariadbd')
  const serverPid = () => {
    try {
      return Number(readFileSync(pidFile, 'utf8').trim())
    } catch {
      return undefined
    }
  }
  await waitUntil('private MariaDB', () => logContains(logFile, 'ready for connections'), {
    timeoutMs: 60_000,
    pid: launcher,
    logFile,
  }).catch(async (error: unknown) => {
    const pid = serverPid()
    if (pid !== undefined) await killProcess(pid)
    throw error
  })
  const pid = serverPid()
  if (pid === undefined) throw new ServiceError(`mariadbd is ready but wrote no ${pidFile}`)
  return {
    name: 'mariadb',
    dir,
    pids: [pid],
    env: {
      TSCONNECT_TEST_MARIADB_HOST: '127.0.0.1',
      TSCONNECT_TEST_MARIADB_PORT: String(port),
      TSCONNECT_TEST_MARIADB_USER: 'root',
    },
    async stop() {
      await stopProcess(pid)
      // runuser waits for its child; once mariadbd is gone it exits too.
      if (launcher !== undefined && isAlive(launcher)) await stopProcess(launcher, 5000)
    },
  }
}
