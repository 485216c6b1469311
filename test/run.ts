/**
 * `npm test`: starts one real Kafka broker for the whole run, then runs every test file against it with node's
 * test runner, then stops the broker. One broker per run, not per test: tests share it and keep apart through
 * their own topic and group names (test/support/kafka.ts).
 *
 * Arguments are passed to `node --test` as file patterns, e.g. `npm test -- test/unit/**\/*.test.ts`; by default the
 * runtime's tests and every connector package's (connectors/<family>/test/). Tests run with the `tsconnect-source`
 * export condition, so a package's `import 'tsconnect'` gets the runtime's TypeScript sources, not dist/.
 * TSCONNECT_TEST_CONCURRENCY sets how many test files run at once (default 3).
 * The broker's logs stay in the printed folder when the run fails.
 *
 * Test services (tools/services/: private PostgreSQL and MariaDB, S3Proxy, OpenSearch, the Java plugins) start once
 * per run beside the broker, and only those that a selected test file uses (see test/support/services.ts), so a
 * subset run does not wait for OpenSearch it never calls. TSCONNECT_TEST_SERVICES=all (or a comma-separated list)
 * starts more. Their logs, too, stay when the run fails.
 */
import { spawn } from 'node:child_process'
import { globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalKafka } from '../tools/kafka/cluster.ts'
import { ensureKafka } from '../tools/kafka/jars.ts'
import { servicesToStart, startServices } from '../tools/services/registry.ts'
import { SERVICE_USES } from './support/services.ts'

const patterns = process.argv.slice(2)
const files = patterns.length > 0 ? patterns : ['test/**/*.test.ts', 'connectors/*/test/**/*.test.ts']

const sources = files.flatMap((pattern) => globSync(pattern)).map((file) => readFileSync(file, 'utf8'))
const wanted = servicesToStart(sources, SERVICE_USES, process.env.TSCONNECT_TEST_SERVICES)

const started = Date.now()
const servicesStarting = startServices(wanted)
// Awaited below; the catch only keeps a failure from being reported before the broker is up.
servicesStarting.catch(() => {})
const install = ensureKafka()
const dir = mkdtempSync(join(tmpdir(), 'tsconnect-test-kafka-'))
const kafka = await LocalKafka.start({ dir, install })
console.log(`# Kafka ${install.version} ready at ${kafka.bootstrap} in ${Date.now() - started} ms (logs: ${dir})`)

let stopping: Promise<void> | undefined
const stopKafka = () => {
  stopping ??= kafka.stop()
  return stopping
}
const services = await servicesStarting.catch(async (error: unknown) => {
  await stopKafka()
  throw error
})
if (wanted.length > 0) {
  const times = wanted.map((name) => `${name} ${services.startMs[name]} ms`).join(', ')
  console.log(`# services ready: ${times} (logs: ${services.dir})`)
}
const stopAll = () => Promise.all([stopKafka(), services.stop()]).then(() => {})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130))
  })
}

const code = await new Promise<number>((resolve) => {
  const child = spawn(
    process.execPath,
    [
      '--conditions=tsconnect-source',
      '--test',
      `--test-concurrency=${process.env.TSCONNECT_TEST_CONCURRENCY || 3}`,
      '--test-timeout=180000',
      ...files,
    ],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        ...services.env,
        TSCONNECT_TEST_BOOTSTRAP: kafka.bootstrap,
        TSCONNECT_LOG_LEVEL: process.env.TSCONNECT_LOG_LEVEL || 'warn',
      },
    },
  )
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)))
})

await stopAll()
if (code === 0) {
  rmSync(dir, { recursive: true, force: true })
  rmSync(services.dir, { recursive: true, force: true })
} else console.log(`# tests failed; the broker's logs are in ${dir}, the services' in ${services.dir}`)
process.exitCode = code
