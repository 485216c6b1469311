// @ts-check
/**
 * The UI's client of the worker's own REST API (the same paths any Connect client uses). Requests go to the origin
 * that served the UI, so the browser's basic-auth credentials, when the REST API asks for them, go along.
 */

/** An error answer of the REST API, with Java's error_code and message. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function call(method, path, body) {
  /** @type {RequestInit} */
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    init.headers = { ...init.headers, 'Content-Type': 'application/json' }
  }
  const res = await fetch(path, init)
  const text = await res.text()
  /** @type {any} */
  let json = null
  try {
    json = text === '' ? null : JSON.parse(text)
  } catch {
    json = null
  }
  if (!res.ok) throw new ApiError(res.status, json?.message ?? (text || `HTTP ${res.status}`))
  return json
}

/** @param {string} name */
export const enc = (name) => encodeURIComponent(name)

export const api = {
  root: () => call('GET', '/'),
  /** Every connector with its status and info, in one request (as kafka-ui's list does). */
  connectors: () => call('GET', '/connectors?expand=status&expand=info'),
  /** @param {string} name */
  info: (name) => call('GET', `/connectors/${enc(name)}`),
  /** @param {string} name */
  status: (name) => call('GET', `/connectors/${enc(name)}/status`),
  /** @param {string} name */
  topics: (name) => call('GET', `/connectors/${enc(name)}/topics`),
  /** @param {string} name */
  offsets: (name) => call('GET', `/connectors/${enc(name)}/offsets`),
  /**
   * @param {string} name
   * @param {unknown} offsets
   */
  alterOffsets: (name, offsets) => call('PATCH', `/connectors/${enc(name)}/offsets`, { offsets }),
  /** @param {string} name */
  resetOffsets: (name) => call('DELETE', `/connectors/${enc(name)}/offsets`),
  /**
   * @param {string} name
   * @param {Record<string, string>} config
   * @param {string} [initialState]
   */
  create: (name, config, initialState) =>
    call('POST', '/connectors', { name, config, ...(initialState ? { initial_state: initialState } : {}) }),
  /**
   * @param {string} name
   * @param {Record<string, string>} config
   */
  putConfig: (name, config) => call('PUT', `/connectors/${enc(name)}/config`, config),
  /** @param {string} name */
  pause: (name) => call('PUT', `/connectors/${enc(name)}/pause`),
  /** @param {string} name */
  resume: (name) => call('PUT', `/connectors/${enc(name)}/resume`),
  /** @param {string} name */
  stop: (name) => call('PUT', `/connectors/${enc(name)}/stop`),
  /** @param {string} name */
  remove: (name) => call('DELETE', `/connectors/${enc(name)}`),
  /** @param {string} name */
  restartFailed: (name) => call('POST', `/connectors/${enc(name)}/restart?includeTasks=true&onlyFailed=true`),
  /**
   * @param {string} name
   * @param {number} task
   */
  restartTask: (name, task) => call('POST', `/connectors/${enc(name)}/tasks/${task}/restart`),
  plugins: () => call('GET', '/connector-plugins'),
  allPlugins: () => call('GET', '/connector-plugins?connectorsOnly=false'),
  /** @param {string} plugin */
  pluginConfig: (plugin) => call('GET', `/connector-plugins/${enc(plugin)}/config`),
  /**
   * @param {string} plugin
   * @param {Record<string, string>} config
   */
  validate: (plugin, config) => call('PUT', `/connector-plugins/${enc(plugin)}/config/validate`, config),
  loggers: () => call('GET', '/admin/loggers'),
  /**
   * @param {string} logger
   * @param {string} level
   * @param {'worker' | 'cluster'} scope
   */
  setLogger: (logger, level, scope) => call('PUT', `/admin/loggers/${enc(logger)}?scope=${scope}`, { level }),
}
