/**
 * The web UI with many connectors: one tsconnect worker, N connectors (1,000 by default; --connectors N) of an idle
 * FileStreamSource (reading /dev/null: one task each, doing nothing), then in headless Chromium
 * (Debian's package, tools/services/chromium.ts; playwright-core):
 * - render: from page load until the connectors page shows all N (one GET /connectors?expand=status&expand=info);
 * - filter: from the filter's input event until the list is drawn again, its 50 ms debounce not counted.
 * Targets (issue 26): render under 1 s, filter under 100 ms.
 */
import { chromium } from 'playwright-core'
import { ensureChromium } from '../../tools/services/chromium.ts'
import { createConnector, destroyCluster, startNode } from '../lib/connect.ts'
import { printGrid, type ResultRow, type Scenario } from '../lib/harness.ts'

export const ui: Scenario = {
  name: 'ui',
  description: 'web UI with 1,000 connectors: connectors page render and filter times in headless Chromium',
  async run(ctx) {
    const count = Number(ctx.options.connectors ?? 1000)
    const browserInstall = await ensureChromium(ctx.dir)
    const node = await startNode(ctx, { runtime: 'tsconnect', dir: ctx.dir, groupId: ctx.topicName('ui-bench') })
    try {
      ctx.progress(`creating ${count} connectors`)
      const names = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(5, '0')}`)
      for (let i = 0; i < names.length; i += 50) {
        await Promise.all(
          names.slice(i, i + 50).map((name) =>
            createConnector(node.url, name, {
              'connector.class': 'FileStreamSource',
              topic: 'ui-bench',
              file: '/dev/null',
            }),
          ),
        )
      }
      const browser = await chromium.launch({
        executablePath: browserInstall.env.TSCONNECT_TEST_CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
      })
      try {
        const rows: ResultRow[] = []
        for (let run = 0; run < 3; run++) {
          const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
          const started = Date.now()
          await page.goto(`${node.url}/ui/`)
          await page
            .locator('#connector-count', { hasText: new RegExp(`^${count} of ${count} connectors`) })
            .waitFor({ timeout: 120_000 })
          const renderMs = Date.now() - started
          const filterMs = (await page.evaluate(`(async () => {
            const search = document.querySelector('input[type="search"]')
            const shown = document.getElementById('connector-count')
            const before = shown.textContent
            search.value = 'bench-007'
            const t0 = performance.now()
            search.dispatchEvent(new Event('input'))
            while (shown.textContent === before) await new Promise((r) => requestAnimationFrame(r))
            return performance.now() - t0 - 50
          })()`)) as number
          const shots = process.env.TSCONNECT_UI_SCREENSHOTS
          if (shots && run === 0) await page.screenshot({ path: `${shots}/connectors-1000.png` })
          await page.close()
          rows.push({
            subject: `run ${run + 1}`,
            recordSize: 0,
            records: count,
            seconds: renderMs / 1000,
            extra: { renderMs, filterMs: Math.round(filterMs * 10) / 10 },
          })
        }
        return rows
      } finally {
        await browser.close()
      }
    } finally {
      await destroyCluster([node])
    }
  },
  print(rows) {
    printGrid(
      ['run', 'connectors', 'render ms (target < 1000)', 'filter ms (target < 100)'],
      rows.map((r) => [r.subject, String(r.records), String(r.extra?.renderMs), String(r.extra?.filterMs)]),
    )
  },
}
