/**
 * The web UI (/ui/) end to end, in headless Chromium against a real 3-worker cluster: a connector created through
 * the form (its validation error shown inline first), watched to RUNNING, paused and resumed; a failing connector's
 * trace seen and its failed task restarted; a connector stopped, its offsets edited, then deleted; with basic auth
 * on, the UI works once the browser has the credentials. The list's speed with 1,000 connectors is a benchmark
 * (`npm run bench -- ui`), not a test.
 *
 * With TSCONNECT_UI_SCREENSHOTS=<folder> the pages are saved there as PNG (docs/ui.md shows them).
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { advertisedUrl, spawnConnect, writeProperties } from '../../../tools/tsconnect-process.ts'
import { testBrowser } from '../../support/browser.ts'
import { ConnectorHarness } from '../../support/connector-harness.ts'
import { clusterProperties } from '../../support/herder-cluster.ts'

const SHOTS = process.env.TSCONNECT_UI_SCREENSHOTS
const WAIT = 60_000

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

async function rest(url: string, method: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

describe('the web UI', () => {
  let cluster: ConnectorHarness
  let url: string
  const dir = mkdtempSync(join(tmpdir(), 'tsconnect-ui-'))

  before(async () => {
    cluster = await ConnectorHarness.start({ workers: 3 })
    url = (cluster.live[1] ?? cluster.live[0])?.url ?? ''
  })
  after(() => cluster.close())

  test('a connector is created through the form, after its validation error shows inline, and runs', async (t) => {
    const browser = await testBrowser(t)
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    const input = join(dir, 'in.txt')
    writeFileSync(input, 'one\ntwo\n')
    await page.goto(`${url}/ui/#/create`)
    await page.selectOption('#plugin', 'org.apache.kafka.connect.file.FileStreamSourceConnector')
    await page.fill('#cfg-name', 'ui-files')
    await page.fill('#cfg-file', input)
    // topic is required: the error shows under its field before anything is created.
    const topicError = page.locator('[data-error-for="topic"]')
    await topicError.filter({ hasText: /Missing required configuration "topic"/ }).waitFor({ timeout: WAIT })
    await shot(page, 'create-validation')
    await page.fill('#cfg-topic', 'ui-lines')
    // Polled from here: the UI's Content-Security-Policy refuses the eval a page-side wait would need.
    const deadline = Date.now() + WAIT
    while ((await topicError.textContent()) !== '') {
      assert.ok(Date.now() < deadline, 'the topic error did not clear')
      await new Promise((r) => setTimeout(r, 100))
    }
    await page.click('button:has-text("Create")')
    await page.waitForURL(/#\/connectors\/ui-files$/, { timeout: WAIT })
    await page.locator('section[aria-label="Status"] .state-RUNNING').first().waitFor({ timeout: WAIT })
    await page.locator('tr[data-task="0"] .state-RUNNING').waitFor({ timeout: WAIT })
    await shot(page, 'connector')

    await page.click('button:has-text("Pause")')
    await page.locator('section[aria-label="Status"] > p .state-PAUSED').waitFor({ timeout: WAIT })
    assert.equal((await rest(`${url}/connectors/ui-files/status`, 'GET')).body.connector.state, 'PAUSED')
    await page.click('button:has-text("Resume")')
    await page.locator('section[aria-label="Status"] > p .state-RUNNING').waitFor({ timeout: WAIT })
  })

  test("a failing connector's trace shows, and its failed task restarts from the UI", async (t) => {
    const browser = await testBrowser(t)
    const page = await browser.newPage()
    const missing = join(dir, 'no-such-folder', 'out.txt')
    const created = await rest(`${url}/connectors`, 'POST', {
      name: 'ui-failing',
      config: { 'connector.class': 'FileStreamSink', topics: 'ui-lines', file: missing },
    })
    assert.equal(created.status, 201)
    await page.goto(`${url}/ui/#/connectors/ui-failing`)
    const trace = page.locator('pre[aria-label="Trace of task 0"]')
    await trace.waitFor({ timeout: WAIT })
    assert.match((await trace.textContent()) ?? '', /Couldn't find or create file/)
    await shot(page, 'failed-task')
    // Once the folder exists the restarted task runs.
    mkdirSync(join(dir, 'no-such-folder'))
    await page.click('button:has-text("Restart task 0")')
    await page.locator('tr[data-task="0"] .state-RUNNING').waitFor({ timeout: WAIT })
  })

  test('a stopped connector has its offsets edited, then it is deleted', async (t) => {
    const browser = await testBrowser(t)
    const page = await browser.newPage()
    const input = join(dir, 'offsets.txt')
    writeFileSync(input, 'a\nb\nc\n')
    const created = await rest(`${url}/connectors`, 'POST', {
      name: 'ui-offsets',
      config: { 'connector.class': 'FileStreamSource', topic: 'ui-offsets', file: input },
      initial_state: 'STOPPED',
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await page.goto(`${url}/ui/#/connectors/ui-offsets`)
    const editor = page.locator('textarea[aria-label="Offsets as JSON"]')
    await editor.waitFor({ timeout: WAIT })
    const offsets = [{ partition: { filename: input }, offset: { position: 2 } }]
    await editor.fill(JSON.stringify(offsets))
    await page.click('button:has-text("Save offsets")')
    await page.locator('#toast', { hasText: 'Save offsets: done' }).waitFor({ timeout: WAIT })
    const stored = await rest(`${url}/connectors/ui-offsets/offsets`, 'GET')
    assert.deepEqual(stored.body.offsets, offsets)
    await shot(page, 'offsets')

    await page.click('button:has-text("Delete")')
    await page.click('dialog button:has-text("Delete")')
    await page.waitForURL(/#\/connectors$/, { timeout: WAIT })
    assert.equal((await rest(`${url}/connectors/ui-offsets`, 'GET')).status, 404)
  })

  test('the connectors page lists, filters by state and text, and pauses in bulk', async (t) => {
    const browser = await testBrowser(t)
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    await page.goto(`${url}/ui/`)
    await page.locator('[data-connector="ui-files"]').waitFor({ timeout: WAIT })
    await page.selectOption('select[aria-label="Filter by state"]', 'FAILED')
    await page.locator('#connector-count', { hasText: /^0 of/ }).waitFor({ timeout: WAIT })
    await page.selectOption('select[aria-label="Filter by state"]', '')
    await page.fill('input[type="search"]', 'ui-files')
    await page.locator('#connector-count', { hasText: /^1 of/ }).waitFor({ timeout: WAIT })
    await page.check('input[aria-label="Select ui-files"]')
    await page.click('.toolbar button:has-text("Pause")')
    await page.click('dialog button:has-text("Pause")')
    await page.locator('[data-connector="ui-files"] .state-PAUSED').waitFor({ timeout: WAIT })
    await shot(page, 'connectors')
    await page.goto(`${url}/ui/#/cluster`)
    await page.locator('section.card').first().waitFor({ timeout: WAIT })
    assert.ok((await page.locator('section.card').count()) >= 1)
    await shot(page, 'cluster')
  })

  test('a browser asking for / gets the UI; an API client gets the JSON answer', async () => {
    const html = await fetch(`${url}/`, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' })
    assert.equal(html.status, 302)
    assert.equal(html.headers.get('location'), '/ui/')
    const json = await rest(`${url}/`, 'GET')
    assert.equal(json.status, 200)
    assert.ok(json.body.version)
  })
})

describe('the web UI with basic auth', () => {
  test('the browser is asked for credentials, and the UI works once it has them', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsconnect-ui-auth-'))
    writeFileSync(join(dir, 'users'), 'admin: secret\n')
    const run = spawnConnect([
      writeProperties(
        join(dir, 'worker.properties'),
        clusterProperties({ 'rest.basic.auth.file': join(dir, 'users') }),
      ),
    ])
    t.after(async () => {
      run.child.kill('SIGTERM')
      await run.exit
    })
    const worker = { url: await advertisedUrl(run) }
    const refused = await fetch(`${worker.url}/ui/`)
    assert.equal(refused.status, 401)
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic/)
    const browser = await testBrowser(t)
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'secret' } })
    const page = await context.newPage()
    await page.goto(`${worker.url}/ui/#/plugins`)
    await page
      .locator('td', { hasText: 'org.apache.kafka.connect.file.FileStreamSinkConnector' })
      .waitFor({ timeout: WAIT })
  })
})
