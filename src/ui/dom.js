// @ts-check
/**
 * A few DOM helpers: the UI builds its pages from plain elements, with no framework, so that it ships as a handful
 * of small static files.
 */

/**
 * Makes an element. Attributes starting with `on` become listeners; `false`, `null` and `undefined` attributes are
 * left out; children may be strings, nodes, or arrays of them (nested, with null skipped).
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), /** @type {EventListener} */ (value))
    } else if (name === 'value' && 'value' in el) {
      const input = /** @type {HTMLInputElement} */ (el)
      input.value = String(value)
    } else if (name === 'style') {
      // Through the CSSOM: the UI's Content-Security-Policy refuses style attributes in markup.
      el.style.cssText = String(value)
    } else if (name === 'checked' && 'checked' in el) {
      const box = /** @type {HTMLInputElement} */ (el)
      box.checked = Boolean(value)
    } else {
      el.setAttribute(name, value === true ? '' : String(value))
    }
  }
  append(el, children)
  return el
}

/**
 * @param {Node} parent
 * @param {unknown[]} children
 */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

/**
 * Replaces the children of `parent`.
 * @param {Element} parent
 * @param {...unknown} children
 */
export function render(parent, ...children) {
  parent.replaceChildren()
  append(parent, children)
}

/**
 * A connector or task state as a badge.
 * @param {string | undefined} state
 */
export function stateBadge(state) {
  const s = state ?? 'UNKNOWN'
  return h('span', { class: `state state-${s}` }, s)
}

/**
 * Shows a short message in the corner for a few seconds (announced to screen readers).
 * @param {string} message
 * @param {boolean} [error]
 */
export function toast(message, error = false) {
  const box = document.getElementById('toast')
  if (!box) return
  const item = h('div', { class: error ? 'error' : '' }, message)
  box.appendChild(item)
  setTimeout(() => item.remove(), error ? 8000 : 3500)
}

/**
 * Asks for confirmation in a modal dialog; resolves true when confirmed.
 * @param {string} question
 * @param {string} [action]
 * @returns {Promise<boolean>}
 */
export function confirmDialog(question, action = 'Confirm') {
  return new Promise((resolve) => {
    /** @type {HTMLDialogElement} */
    const dialog = /** @type {HTMLDialogElement} */ (
      h(
        'dialog',
        { 'aria-label': 'Confirm' },
        h('p', {}, question),
        h(
          'div',
          { class: 'toolbar' },
          h('button', { class: 'danger', value: 'yes', onclick: () => dialog.close('yes') }, action),
          h('button', { value: 'no', onclick: () => dialog.close('no') }, 'Cancel'),
        ),
      )
    )
    dialog.addEventListener('close', () => {
      dialog.remove()
      resolve(dialog.returnValue === 'yes')
    })
    document.body.appendChild(dialog)
    dialog.showModal()
  })
}

/**
 * Runs `fn` at most once per `ms`, after the last call.
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 * @returns {(...args: A) => void}
 */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  return (...args) => {
    clearTimeout(timer)
    timer = setTimeout(() => fn(...args), ms)
  }
}
