// Runs before `npm test`, `npm run kafka` and `npm run quickstart`, so that a clean clone needs no separate
// install step. Plain JavaScript on purpose: it runs on whatever Node the machine ships (even one too old for
// the project), and `npm ci` then brings the project's own Node 24 (the `node` devDependency).
// It reinstalls only when package-lock.json changed since the last install.
import { execSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const lock = readFileSync(join(root, 'package-lock.json'))
const hash = createHash('sha256').update(lock).digest('hex')
const stamp = join(root, 'node_modules', '.tsconnect-lock-hash')

// A git worktree may share another checkout's node_modules through a symlink: npm ci here would wipe the other
// checkout's install, so a linked node_modules is left alone.
const modules = join(root, 'node_modules')
const linked = existsSync(modules) && lstatSync(modules).isSymbolicLink()

if (linked) {
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
    console.log(
      'node_modules links to another checkout whose install differs from package-lock.json here; not reinstalling.',
    )
  }
} else if (
  !existsSync(stamp) ||
  readFileSync(stamp, 'utf8') !== hash ||
  !existsSync(join(root, 'node_modules', '.bin', 'node'))
) {
  console.log('Installing dependencies (npm ci)...')
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' })
  writeFileSync(stamp, hash)
}

// test/integration/metrics/prometheus.test.ts scrapes a worker cluster with a real Prometheus: Debian's package,
// installed for `npm test` when it is missing and apt-get can install it (as root); otherwise that test says why.
const prometheus = '/usr/bin/prometheus'
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0
if (
  process.env.npm_lifecycle_event === 'pretest' &&
  !existsSync(prometheus) &&
  asRoot &&
  existsSync('/usr/bin/apt-get')
) {
  console.log('Installing prometheus (apt-get) for the metrics integration test...')
  try {
    execSync('apt-get install -y --no-install-recommends prometheus', {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  } catch {
    console.log('apt-get could not install prometheus; test/integration/metrics/prometheus.test.ts will fail')
  }
}
