/**
 * A headless Chromium for the UI's end-to-end tests (Debian's package, tools/services/chromium.ts), driven by
 * playwright-core. Started with the flags this machine's closed network needs: without the background-networking
 * ones Chromium keeps trying to reach Google's hosts.
 */
import type { TestContext } from 'node:test'
import { type Browser, chromium } from 'playwright-core'

/** A browser for this test, closed when it ends. */
export async function testBrowser(t: TestContext): Promise<Browser> {
  const executablePath = process.env.TSCONNECT_TEST_CHROMIUM
  if (!executablePath) {
    throw new Error(
      'This test needs Chromium: run it through `npm test`, which installs it when a selected test file calls ' +
        "testBrowser(); or install Debian's chromium package and set TSCONNECT_TEST_CHROMIUM=/usr/bin/chromium.",
    )
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  t.after(() => browser.close())
  return browser
}
