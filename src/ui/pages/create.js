// @ts-check
/**
 * The create page: choose a plugin, fill in its form (validated as you type), and create the connector in the
 * initial state chosen (KIP-980: RUNNING, PAUSED or STOPPED).
 */
import { api } from '../api.js'
import { configForm } from '../config-form.js'
import { h, render, toast } from '../dom.js'

/** @type {import('../app.js').Page} */
export async function createPage(main) {
  /** @type {Array<{class: string, type: string, version?: string}>} */
  const plugins = await api.plugins()
  const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('plugin') ?? ''
  const pluginSelect = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'plugin', onchange: () => void choose() },
      h('option', { value: '' }, 'Choose a plugin…'),
      plugins.map((p) => h('option', { value: p.class }, `${p.class} (${p.type}${p.version ? ` ${p.version}` : ''})`)),
    )
  )
  const formBox = h('div', {})
  const createButton = /** @type {HTMLButtonElement} */ (
    h('button', { class: 'primary', disabled: true, onclick: () => void create() }, 'Create')
  )
  const stateSelect = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'initial-state', 'aria-label': 'Initial state' },
      ['RUNNING', 'PAUSED', 'STOPPED'].map((s) => h('option', { value: s }, s)),
    )
  )
  const message = h('p', { class: 'field-error', role: 'alert' })
  /** @type {Awaited<ReturnType<typeof configForm>> | undefined} */
  let form

  async function choose() {
    const plugin = pluginSelect.value
    form = undefined
    createButton.disabled = true
    if (plugin === '') return render(formBox)
    render(formBox, h('p', { class: 'muted' }, 'Loading the plugin definition…'))
    form = await configForm({ plugin, values: {}, onValidated: () => (createButton.disabled = false) })
    render(formBox, form.element)
  }

  async function create() {
    if (form === undefined) return
    await form.validate()
    if (form.errors() > 0) {
      message.textContent = 'Fix the errors shown in the form first.'
      return
    }
    const config = form.config()
    const name = config.name ?? ''
    try {
      await api.create(name, config, stateSelect.value)
      toast(`Created ${name}`)
      location.hash = `#/connectors/${encodeURIComponent(name)}`
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error)
    }
  }

  render(
    main,
    h('h1', {}, 'New connector'),
    h('div', { class: 'toolbar' }, h('label', { for: 'plugin' }, 'Plugin'), pluginSelect),
    formBox,
    h('div', { class: 'toolbar' }, h('label', { for: 'initial-state' }, 'Start as'), stateSelect, createButton),
    message,
  )
  if (wanted !== '') {
    pluginSelect.value = wanted
    await choose()
  }
}
