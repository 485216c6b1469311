// @ts-check
/**
 * The UI served by every tsconnect worker at /ui: a hash router over a few pages, each a function that renders into
 * <main> and may return a refresh function, which the app calls every POLL_MS while the page is shown (and the tab is
 * visible). Live figures are plain REST polling: one GET /connectors?expand=status&expand=info a round, however many
 * connectors there are.
 */
import { api } from './api.js'
import { h, render, toast } from './dom.js'
import { clusterPage } from './pages/cluster.js'
import { connectorPage } from './pages/connector.js'
import { connectorsPage } from './pages/connectors.js'
import { createPage } from './pages/create.js'
import { loggersPage } from './pages/loggers.js'
import { pluginsPage } from './pages/plugins.js'

const POLL_MS = 2000

/** @typedef {(main: HTMLElement, params: string[]) => Promise<(() => Promise<void>) | void>} Page */

/** @type {Array<[RegExp, Page]>} */
const ROUTES = [
  [/^#\/connectors\/?$/, connectorsPage],
  [/^#\/connectors\/([^/]+)\/?$/, connectorPage],
  [/^#\/create\/?$/, createPage],
  [/^#\/cluster\/?$/, clusterPage],
  [/^#\/plugins\/?$/, pluginsPage],
  [/^#\/loggers\/?$/, loggersPage],
]

/** @type {(() => Promise<void>) | undefined} */
let refresh
let generation = 0

async function show() {
  const hash = location.hash || '#/connectors'
  const main = /** @type {HTMLElement} */ (document.getElementById('main'))
  const mine = ++generation
  refresh = undefined
  for (const link of document.querySelectorAll('nav a')) {
    const href = link.getAttribute('href') ?? ''
    if (hash === href || hash.startsWith(`${href}/`)) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  const route = ROUTES.find(([pattern]) => pattern.test(hash))
  if (route === undefined) {
    render(main, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/connectors' }, 'Back to the connectors')))
    return
  }
  const [pattern, page] = route
  const params = (pattern.exec(hash) ?? []).slice(1).map((p) => decodeURIComponent(p))
  try {
    const next = await page(main, params)
    if (mine === generation && typeof next === 'function') refresh = next
  } catch (error) {
    render(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'field-error' }, String(error)))
  }
}

async function poll() {
  if (refresh !== undefined && document.visibilityState === 'visible') {
    try {
      await refresh()
    } catch (error) {
      toast(`Refresh failed: ${error instanceof Error ? error.message : String(error)}`, true)
    }
  }
  setTimeout(poll, POLL_MS)
}

async function header() {
  try {
    const root = await api.root()
    const worker = document.getElementById('worker')
    if (worker) worker.textContent = `${location.host} · Connect ${root.version} · cluster ${root.kafka_cluster_id}`
  } catch {
    // the pages show errors themselves
  }
}

window.addEventListener('hashchange', () => void show())
void header()
void show()
setTimeout(poll, POLL_MS)
