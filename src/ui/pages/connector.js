// @ts-check
/**
 * One connector: its status (with the traces of what failed), its tasks and the workers running them with a restart
 * per task, its actions, its config as a form (validated as you type) or as JSON, its topics, and its offsets, which
 * can be edited or reset while the connector is STOPPED (KIP-875).
 */
import { api } from '../api.js'
import { configForm } from '../config-form.js'
import { confirmDialog, h, render, stateBadge, toast } from '../dom.js'

/** @type {import('../app.js').Page} */
export async function connectorPage(main, [name = '']) {
  const statusBox = h('section', { 'aria-label': 'Status' })
  const configBox = h('section', { 'aria-label': 'Config' })
  const topicsBox = h('section', { 'aria-label': 'Topics' })
  const offsetsBox = h('section', { 'aria-label': 'Offsets' })
  let state = ''

  /**
   * @param {string} label
   * @param {() => Promise<unknown>} action
   * @param {string} [question]
   */
  const actionButton = (label, action, question) =>
    h(
      'button',
      {
        class: question ? 'danger' : '',
        onclick: async () => {
          if (question && !(await confirmDialog(question, label))) return
          try {
            await action()
            toast(`${label}: done`)
            if (label === 'Delete') {
              location.hash = '#/connectors'
              return
            }
            await refresh()
          } catch (error) {
            toast(error instanceof Error ? error.message : String(error), true)
          }
        },
      },
      label,
    )

  async function refreshStatus() {
    const status = await api.status(name)
    state = status.connector?.state ?? ''
    /** @type {Array<{id: number, state: string, worker_id: string, trace?: string}>} */
    const tasks = status.tasks ?? []
    render(
      statusBox,
      h('p', {}, 'Connector ', stateBadge(state), ` on ${status.connector?.worker_id ?? '?'} · ${status.type ?? ''}`),
      status.connector?.trace
        ? h('pre', { class: 'trace', 'aria-label': 'Connector trace' }, status.connector.trace)
        : null,
      h('h2', {}, 'Tasks'),
      tasks.length === 0
        ? h('p', { class: 'muted' }, 'No tasks.')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'State'), h('th', {}, 'Worker'), h('th', {}, '')),
            ),
            h(
              'tbody',
              {},
              tasks.map((t) =>
                h(
                  'tr',
                  { 'data-task': String(t.id) },
                  h('td', {}, String(t.id)),
                  h(
                    'td',
                    {},
                    stateBadge(t.state),
                    t.trace ? h('pre', { class: 'trace', 'aria-label': `Trace of task ${t.id}` }, t.trace) : null,
                  ),
                  h('td', {}, t.worker_id),
                  h(
                    'td',
                    {},
                    actionButton(`Restart task ${t.id}`, () => api.restartTask(name, t.id)),
                  ),
                ),
              ),
            ),
          ),
    )
  }

  async function refreshOffsets() {
    if (state !== 'STOPPED') {
      /** @type {{offsets: unknown[]}} */
      const offsets = await api.offsets(name).catch(() => ({ offsets: [] }))
      render(
        offsetsBox,
        h('h2', {}, 'Offsets'),
        h('pre', { class: 'trace', 'aria-label': 'Offsets' }, JSON.stringify(offsets.offsets ?? [], null, 2)),
        h('p', { class: 'muted' }, 'Stop the connector to edit or reset its offsets.'),
      )
      return
    }
    if (offsetsBox.querySelector('textarea')) return // being edited: leave it
    const offsets = await api.offsets(name)
    const editor = /** @type {HTMLTextAreaElement} */ (
      h(
        'textarea',
        { rows: '10', 'aria-label': 'Offsets as JSON', spellcheck: 'false' },
        JSON.stringify(offsets.offsets ?? [], null, 2),
      )
    )
    render(
      offsetsBox,
      h('h2', {}, 'Offsets'),
      editor,
      h(
        'div',
        { class: 'toolbar' },
        actionButton('Save offsets', async () => {
          const parsed = JSON.parse(editor.value)
          await api.alterOffsets(name, parsed)
          render(offsetsBox)
        }),
        actionButton(
          'Reset offsets',
          async () => {
            await api.resetOffsets(name)
            render(offsetsBox)
          },
          `Reset every offset of ${name}?`,
        ),
      ),
    )
  }

  async function refreshTopics() {
    const topics = await api.topics(name).catch(() => ({}))
    const list = /** @type {string[]} */ (topics[name]?.topics ?? [])
    render(
      topicsBox,
      h('h2', {}, 'Topics'),
      list.length === 0
        ? h('p', { class: 'muted' }, 'None recorded.')
        : h(
            'ul',
            {},
            list.map((t) => h('li', {}, t)),
          ),
    )
  }

  async function drawConfig() {
    const info = await api.info(name)
    const plugin = info.config['connector.class']
    const form = await configForm({ plugin, values: info.config, name })
    render(
      configBox,
      h('h2', {}, 'Config'),
      form.element,
      h(
        'div',
        { class: 'toolbar' },
        actionButton('Save config', async () => {
          await form.validate()
          if (form.errors() > 0) throw new Error('Fix the errors shown in the form first.')
          await api.putConfig(name, form.config())
        }),
      ),
    )
  }

  async function refresh() {
    await refreshStatus()
    await Promise.all([refreshOffsets(), refreshTopics()])
  }

  render(
    main,
    h('p', {}, h('a', { href: '#/connectors' }, '← Connectors')),
    h('h1', {}, name),
    h(
      'div',
      { class: 'toolbar' },
      actionButton('Pause', () => api.pause(name)),
      actionButton('Resume', () => api.resume(name)),
      actionButton('Stop', () => api.stop(name)),
      actionButton('Restart failed', () => api.restartFailed(name)),
      actionButton('Delete', () => api.remove(name), `Delete ${name}? Its config is removed from the cluster.`),
    ),
    statusBox,
    offsetsBox,
    topicsBox,
    configBox,
  )
  let configDrawn = false
  /** Until the connector is known here (a worker may read a new connector a moment after another created it). */
  async function refreshAll() {
    try {
      await refreshStatus()
    } catch (error) {
      render(
        statusBox,
        h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : String(error)),
      )
      return
    }
    await Promise.all([refreshOffsets(), configDrawn ? refreshTopics() : Promise.resolve()])
    if (!configDrawn) {
      configDrawn = true
      await Promise.all([refreshTopics(), drawConfig()])
    }
  }
  await refreshAll()
  return refreshAll
}
