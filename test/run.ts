/**
 * `npm test`: starts one real Kafka broker for the whole run, then runs every test file against it with node's
 * test runner, then stops the broker. One broker per run, not per test: tests share it and keep apart through
 * their own topic and group names (test/support/kafka.ts).
 *
 * Arguments are passed to `node --test` as file patterns, e.g. `npm test -- test/unit/**\/*.test.ts`.
 * TSCONNECT_TEST_CONCURRENCY sets how many test files run at once (default 3).
 * The broker's logs stay in the printed folder when the run fails.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalKafka } from '../tools/kafka/cluster.ts'
import { ensureKafka } from '../tools/kafka/jars.ts'

const patterns = process.argv.slice(2)
const files = patterns.length > 0 ? patterns : ['test/**/*.test.ts']

const started = Date.now()
const install = ensureKafka()
const dir = mkdtempSync(join(tmpdir(), 'tsconnect-test-kafka-'))
const kafka = await LocalKafka.start({ dir, install })
console.log(`# Kafka ${install.version} ready at ${kafka.bootstrap} in ${Date.now() - started} ms (logs: ${dir})`)

let stopping: Promise<void> | undefined
const stopKafka = () => {
  stopping ??= kafka.stop()
  return stopping
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopKafka().finally(() => process.exit(130))
  })
}

const code = await new Promise<number>((resolve) => {
  const child = spawn(
    process.execPath,
    ['--test', `--test-concurrency=${process.env.TSCONNECT_TEST_CONCURRENCY || 3}`, '--test-timeout=180000', ...files],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        TSCONNECT_TEST_BOOTSTRAP: kafka.bootstrap,
        TSCONNECT_LOG_LEVEL: process.env.TSCONNECT_LOG_LEVEL || 'warn',
      },
    },
  )
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)))
})

await stopKafka()
if (code === 0) rmSync(dir, { recursive: true, force: true })
else console.log(`# tests failed; the broker's logs are in ${dir}`)
process.exitCode = code
