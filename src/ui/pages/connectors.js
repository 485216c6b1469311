// @ts-check
/**
 * The connectors page: every connector with its type, class, state and tasks, filtered by state and text, with
 * bulk pause, resume, restart of failed work and delete. The list is virtualised (only the rows in view are in the
 * DOM), so that a thousand connectors render and filter at once.
 */
import { api } from '../api.js'
import { confirmDialog, debounce, h, render, stateBadge, toast } from '../dom.js'

const ROW = 36
const STATES = ['RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'UNASSIGNED', 'RESTARTING']

/**
 * @typedef {{ name: string, type: string, className: string, state: string, tasks: number, failed: number,
 *   running: number, search: string }} Row
 */

/**
 * GET /connectors?expand=status&expand=info as rows.
 * @param {Record<string, any>} answer
 * @returns {Row[]}
 */
export function toRows(answer) {
  return Object.entries(answer)
    .map(([name, value]) => {
      const status = value.status ?? {}
      const info = value.info ?? {}
      const tasks = /** @type {Array<{state: string}>} */ (status.tasks ?? [])
      const className = info.config?.['connector.class'] ?? ''
      const failed = tasks.filter((t) => t.state === 'FAILED').length
      const connectorState = status.connector?.state ?? 'UNKNOWN'
      return {
        name,
        type: status.type ?? info.type ?? '',
        className,
        state: connectorState,
        tasks: tasks.length,
        failed,
        running: tasks.filter((t) => t.state === 'RUNNING').length,
        search: `${name} ${className} ${connectorState}`.toLowerCase(),
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * Whether a connector shows under the filter: the state filter matches its own state or, for FAILED, any failed task.
 * @param {Row} row
 * @param {string} state
 * @param {string} text
 */
export function matches(row, state, text) {
  if (state !== '' && row.state !== state && !(state === 'FAILED' && row.failed > 0)) return false
  return text === '' || row.search.includes(text)
}

/** @type {import('../app.js').Page} */
export async function connectorsPage(main) {
  /** @type {Row[]} */
  let rows = []
  /** @type {Row[]} */
  let shown = []
  const selected = new Set()
  let stateFilter = new URLSearchParams(location.hash.split('?')[1] ?? '').get('state') ?? ''
  let textFilter = ''

  const count = h('span', { class: 'muted', id: 'connector-count', 'aria-live': 'polite' })
  const search = h('input', {
    type: 'search',
    placeholder: 'Filter by name or class',
    'aria-label': 'Filter connectors by name or class',
    oninput: debounce(() => {
      textFilter = /** @type {HTMLInputElement} */ (search).value.trim().toLowerCase()
      applyFilter()
    }, 50),
  })
  const stateSelect = h(
    'select',
    {
      'aria-label': 'Filter by state',
      onchange: () => {
        stateFilter = /** @type {HTMLSelectElement} */ (stateSelect).value
        applyFilter()
      },
    },
    h('option', { value: '' }, 'All states'),
    STATES.map((s) => h('option', { value: s }, s)),
  )
  const stateSelectInput = /** @type {HTMLSelectElement} */ (stateSelect)
  stateSelectInput.value = stateFilter
  const all = h('input', {
    type: 'checkbox',
    'aria-label': 'Select all shown connectors',
    onchange: () => {
      if (/** @type {HTMLInputElement} */ (all).checked) for (const r of shown) selected.add(r.name)
      else selected.clear()
      draw()
    },
  })
  /**
   * @param {string} label
   * @param {(name: string) => Promise<unknown>} action
   * @param {boolean} [dangerous]
   */
  const bulk = (label, action, dangerous = false) =>
    h(
      'button',
      {
        class: dangerous ? 'danger' : '',
        onclick: async () => {
          const names = [...selected]
          if (names.length === 0) return toast('Select connectors first')
          if (!(await confirmDialog(`${label} ${names.length} connector(s)?`, label))) return
          const results = await Promise.allSettled(names.map((n) => action(n)))
          const failures = results.filter((r) => r.status === 'rejected')
          toast(`${label}: ${names.length - failures.length} done, ${failures.length} failed`, failures.length > 0)
          if (label === 'Delete') selected.clear()
          await refresh()
        },
      },
      label,
    )
  const body = h('div', { class: 'list-body', role: 'rowgroup', onscroll: () => draw() })
  const spacer = h('div', { style: 'height:0' })
  body.appendChild(spacer)

  function applyFilter() {
    shown = rows.filter((r) => matches(r, stateFilter, textFilter))
    count.textContent = `${shown.length} of ${rows.length} connectors`
    spacer.style.height = `${shown.length * ROW}px`
    draw()
  }

  function draw() {
    const top = body.scrollTop
    const height = body.clientHeight || 600
    const first = Math.max(0, Math.floor(top / ROW) - 5)
    const last = Math.min(shown.length, Math.ceil((top + height) / ROW) + 5)
    const items = []
    for (let i = first; i < last; i++) {
      const r = /** @type {Row} */ (shown[i])
      items.push(
        h(
          'div',
          { class: 'list-row', role: 'row', style: `top:${i * ROW}px`, 'data-connector': r.name },
          h(
            'span',
            {},
            h('input', {
              type: 'checkbox',
              'aria-label': `Select ${r.name}`,
              checked: selected.has(r.name),
              onchange: (/** @type {Event} */ e) => {
                if (/** @type {HTMLInputElement} */ (e.target).checked) selected.add(r.name)
                else selected.delete(r.name)
              },
            }),
          ),
          h('a', { href: `#/connectors/${encodeURIComponent(r.name)}`, title: r.name }, r.name),
          h('span', {}, r.type),
          h('span', { title: r.className, class: 'muted' }, r.className.replace(/^.*\./, '')),
          h('span', {}, stateBadge(r.state)),
          h(
            'span',
            { class: r.failed > 0 ? 'field-error' : '' },
            `${r.running}/${r.tasks}${r.failed > 0 ? ` (${r.failed} failed)` : ''}`,
          ),
        ),
      )
    }
    render(body, spacer, items)
  }

  async function refresh() {
    rows = toRows(await api.connectors())
    applyFilter()
  }

  render(
    main,
    h('h1', {}, 'Connectors'),
    h(
      'div',
      { class: 'toolbar' },
      search,
      stateSelect,
      count,
      h('span', { style: 'flex:1' }),
      bulk('Pause', api.pause),
      bulk('Resume', api.resume),
      bulk('Restart failed', api.restartFailed),
      bulk('Delete', api.remove, true),
      h('a', { href: '#/create', class: 'button primary' }, 'New connector'),
    ),
    h(
      'div',
      { class: 'list', role: 'table', 'aria-label': 'Connectors' },
      h(
        'div',
        { class: 'list-head', role: 'row' },
        h('span', {}, all),
        h('span', {}, 'Name'),
        h('span', {}, 'Type'),
        h('span', {}, 'Class'),
        h('span', {}, 'State'),
        h('span', {}, 'Tasks'),
      ),
      body,
    ),
  )
  await refresh()
  return refresh
}
