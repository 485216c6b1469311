/**
 * What integration tests need of the shared test broker: its address, and names that no other test uses.
 *
 * The broker is started once per run by test/run.ts (`npm test`). A test that needs it and finds no broker fails
 * with an explanation: real-Kafka tests are never skipped silently.
 */
import { randomBytes } from 'node:crypto'

/** The bootstrap.servers of the shared test broker. */
export function testBootstrap(): string {
  const bootstrap = process.env.TSCONNECT_TEST_BOOTSTRAP
  if (!bootstrap) {
    throw new Error(
      'This test needs the real Kafka broker: run it through `npm test` (which starts one), ' +
        'or set TSCONNECT_TEST_BOOTSTRAP to the bootstrap.servers of a broker of your own.',
    )
  }
  return bootstrap
}

let counter = 0

/** A topic, group or client name that is unique to this test: `<prefix>-<pid>-<n>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`
}

/** Java-style client properties pointing at the test broker, plus any extra keys. */
export function testClientProperties(extra: Record<string, string> = {}): Record<string, string> {
  return { 'bootstrap.servers': testBootstrap(), ...extra }
}
