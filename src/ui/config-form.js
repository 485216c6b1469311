// @ts-check
/**
 * A connector config as a form built from the plugin's own definition (GET /connector-plugins/{p}/config), grouped
 * as the plugin groups its keys, validated as the user types (PUT /connector-plugins/{p}/config/validate, the
 * errors shown under each field), with a raw JSON view of the same config. Password fields are never shown in
 * clear, and the form only ever sends what the user typed or what the config already held: a value resolved from a
 * config provider never reaches the browser, as the REST API does not answer one.
 */
import { api } from './api.js'
import { debounce, h, render } from './dom.js'

/**
 * @typedef {{ name: string, type: string, required: boolean, default_value: string | null, importance: string,
 *   documentation: string | null, group: string | null, order_in_group: number, display_name: string }} KeyInfo
 */

/**
 * Builds the form. `onValidated` gets the error count after each validation.
 * @param {{ plugin: string, values: Record<string, string>, name?: string, onValidated?: (errors: number) => void }} options
 */
export async function configForm(options) {
  /** @type {KeyInfo[]} */
  const keys = await api.pluginConfig(options.plugin)
  /** @type {Record<string, string>} */
  const values = { ...options.values, 'connector.class': options.values['connector.class'] ?? options.plugin }
  if (options.name !== undefined) values.name = options.name
  /** @type {Map<string, HTMLElement>} */
  const errorsOf = new Map()
  let errorCount = 0

  const root = h('div', { class: 'config-form' })
  const formView = h('div', {})
  const raw = /** @type {HTMLTextAreaElement} */ (
    h('textarea', { rows: '18', 'aria-label': 'Config as JSON', spellcheck: 'false' })
  )
  const rawError = h('p', { class: 'field-error', role: 'alert' })
  const rawView = h('div', { hidden: true }, raw, rawError)
  const formTab = h('button', { role: 'tab', 'aria-selected': 'true', onclick: () => showTab('form') }, 'Form')
  const rawTab = h('button', { role: 'tab', 'aria-selected': 'false', onclick: () => showTab('raw') }, 'JSON')
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' })

  /** @param {'form' | 'raw'} tab */
  function showTab(tab) {
    if (tab === 'raw') {
      raw.value = JSON.stringify(current(), null, 2)
    } else if (!readRaw()) return
    formTab.setAttribute('aria-selected', String(tab === 'form'))
    rawTab.setAttribute('aria-selected', String(tab === 'raw'))
    formView.hidden = tab !== 'form'
    rawView.hidden = tab !== 'raw'
    if (tab === 'form') drawForm()
  }

  /** Reads the JSON view into the values; false (with the error shown) when it is not a JSON object of strings. */
  function readRaw() {
    if (rawView.hidden) return true
    try {
      const parsed = JSON.parse(raw.value)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object')
      for (const k of Object.keys(values)) delete values[k]
      for (const [k, v] of Object.entries(parsed)) values[k] = typeof v === 'string' ? v : JSON.stringify(v)
      rawError.textContent = ''
      return true
    } catch (error) {
      rawError.textContent = `The JSON is not valid: ${error instanceof Error ? error.message : String(error)}`
      return false
    }
  }

  /** @returns {Record<string, string>} */
  function current() {
    readRaw()
    return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''))
  }

  const validateSoon = debounce(() => void validate(), 300)

  async function validate() {
    const config = current()
    try {
      const answer = await api.validate(options.plugin, config)
      errorCount = answer.error_count ?? 0
      for (const el of errorsOf.values()) el.textContent = ''
      for (const c of answer.configs ?? []) {
        const errs = /** @type {string[]} */ (c.value?.errors ?? [])
        const el = errorsOf.get(c.value?.name)
        if (el) el.textContent = errs.join(' ')
      }
      summary.textContent = errorCount === 0 ? 'The config is valid.' : `${errorCount} error(s) in the config.`
    } catch (error) {
      errorCount = 1
      summary.textContent = error instanceof Error ? error.message : String(error)
    }
    options.onValidated?.(errorCount)
  }

  /**
   * @param {KeyInfo} key
   */
  function field(key) {
    const id = `cfg-${key.name.replace(/[^a-zA-Z0-9_-]/g, '_')}`
    const value = values[key.name] ?? ''
    const placeholder = key.default_value === null ? '' : `default: ${key.default_value}`
    const onInput = (/** @type {Event} */ e) => {
      values[key.name] = /** @type {HTMLInputElement} */ (e.target).value
      validateSoon()
    }
    /** @type {HTMLElement} */
    let input
    if (key.type === 'BOOLEAN') {
      input = h(
        'select',
        { id, onchange: onInput },
        h('option', { value: '' }, placeholder || '(not set)'),
        h('option', { value: 'true' }, 'true'),
        h('option', { value: 'false' }, 'false'),
      )
      const select = /** @type {HTMLSelectElement} */ (input)
      select.value = value
    } else {
      input = h('input', {
        id,
        type: key.type === 'PASSWORD' ? 'password' : 'text',
        autocomplete: key.type === 'PASSWORD' ? 'new-password' : 'off',
        value,
        placeholder,
        'aria-describedby': `${id}-doc ${id}-err`,
        oninput: onInput,
        readonly: key.name === 'name' && options.name !== undefined && options.values.name !== undefined,
      })
    }
    const err = h('div', { class: 'field-error', id: `${id}-err`, 'data-error-for': key.name })
    errorsOf.set(key.name, err)
    return [
      h('label', { for: id, class: key.required ? 'required' : '' }, key.display_name || key.name),
      h('div', {}, input, h('div', { class: 'doc', id: `${id}-doc` }, `${key.type}. ${key.documentation ?? ''}`), err),
    ]
  }

  function drawForm() {
    errorsOf.clear()
    /** @type {Map<string, KeyInfo[]>} */
    const groups = new Map()
    for (const key of keys) {
      const group = key.group ?? 'Connector'
      groups.set(group, [...(groups.get(group) ?? []), key])
    }
    const known = new Set(keys.map((k) => k.name))
    const extra = Object.keys(values).filter((k) => !known.has(k))
    const extraRows = extra.map((k) =>
      field({
        name: k,
        type: 'STRING',
        required: false,
        default_value: null,
        importance: 'LOW',
        documentation: 'Not in the plugin definition (a transform, converter or override key).',
        group: null,
        order_in_group: 0,
        display_name: k,
      }),
    )
    const newKey = /** @type {HTMLInputElement} */ (
      h('input', { type: 'text', placeholder: 'key, e.g. transforms', 'aria-label': 'New key' })
    )
    render(
      formView,
      [...groups].map(([group, list]) =>
        h(
          'fieldset',
          {},
          h('legend', {}, group),
          h('div', { class: 'form-grid' }, [...list].sort((a, b) => a.order_in_group - b.order_in_group).map(field)),
        ),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Other keys'),
        h('div', { class: 'form-grid' }, extraRows),
        h(
          'div',
          { class: 'toolbar' },
          newKey,
          h(
            'button',
            {
              onclick: () => {
                const k = newKey.value.trim()
                if (k === '') return
                values[k] = values[k] ?? ''
                drawForm()
              },
            },
            'Add key',
          ),
        ),
      ),
    )
  }

  drawForm()
  render(root, h('div', { class: 'tabs', role: 'tablist' }, formTab, rawTab), formView, rawView, summary)
  await validate()
  return {
    element: root,
    /** The config as it stands (empty values left out). */
    config: current,
    validate,
    errors: () => errorCount,
  }
}
