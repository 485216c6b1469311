/**
 * Headless Chromium for the UI's end-to-end tests: Debian's `chromium` package, installed with apt-get on first use
 * when the machine lacks it (a clean CI machine does), and driven by playwright-core (which downloads no browser of
 * its own). It runs nothing until a test launches it, so "starting" it is only making sure it is there.
 */
import { existsSync } from 'node:fs'
import { isRoot, type RunningService, runStep, ServiceError } from './service.ts'

/** Where Debian's package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium'

/** Installs Chromium when it is missing; hands its path to the tests as TSCONNECT_TEST_CHROMIUM. */
export async function ensureChromium(dir: string): Promise<RunningService> {
  if (!existsSync(CHROMIUM)) {
    if (!isRoot()) {
      throw new ServiceError(`The UI tests need Chromium at ${CHROMIUM}: install Debian's chromium package.`)
    }
    await runStep('apt-get update', 'apt-get', ['update', '-q'])
    await runStep('installing chromium', 'env', [
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      'install',
      '-y',
      '-q',
      '--no-install-recommends',
      'chromium',
    ])
  }
  return { name: 'chromium', dir, pids: [], env: { TSCONNECT_TEST_CHROMIUM: CHROMIUM }, stop: async () => {} }
}
