// @ts-check
/** The loggers page: every logger's level on this worker, changed here or cluster-wide (KIP-976). */
import { api } from '../api.js'
import { h, render, toast } from '../dom.js'

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF']

/** @type {import('../app.js').Page} */
export async function loggersPage(main) {
  const name = /** @type {HTMLInputElement} */ (
    h('input', { type: 'text', id: 'logger-name', placeholder: 'e.g. org.apache.kafka.connect' })
  )
  const level = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'logger-level', 'aria-label': 'Level' },
      LEVELS.map((l) => h('option', { value: l }, l)),
    )
  )
  level.value = 'DEBUG'
  const scope = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'logger-scope', 'aria-label': 'Scope' },
      h('option', { value: 'cluster' }, 'every worker'),
      h('option', { value: 'worker' }, 'this worker'),
    )
  )
  const table = h('tbody', {})

  async function refresh() {
    /** @type {Record<string, {level: string, last_modified: number | null}>} */
    const loggers = await api.loggers()
    render(
      table,
      Object.entries(loggers).map(([logger, info]) =>
        h(
          'tr',
          {},
          h('td', {}, logger),
          h('td', {}, info.level),
          h('td', { class: 'muted' }, info.last_modified ? new Date(info.last_modified).toISOString() : ''),
        ),
      ),
    )
  }

  render(
    main,
    h('h1', {}, 'Loggers'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'logger-name' }, 'Logger'),
      name,
      level,
      scope,
      h(
        'button',
        {
          class: 'primary',
          onclick: async () => {
            try {
              await api.setLogger(
                name.value.trim() || 'root',
                level.value,
                /** @type {'worker' | 'cluster'} */ (scope.value),
              )
              toast(`Level of ${name.value.trim() || 'root'} set to ${level.value}`)
              await refresh()
            } catch (error) {
              toast(error instanceof Error ? error.message : String(error), true)
            }
          },
        },
        'Set level',
      ),
    ),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Logger'), h('th', {}, 'Level'), h('th', {}, 'Last modified'))),
      table,
    ),
  )
  await refresh()
  return refresh
}
