/**
 * Connector files of `connect-standalone worker.properties connector1.properties connector2.json ...`, parsed in
 * the order Java's ConnectStandalone.parseConnectorConfigurationFile tries them:
 * 1. a JSON object of string keys and string values: the connector config, which must hold `name`;
 * 2. a JSON object `{"name": ..., "config": {...}, "initial_state": ...}` (POST /connectors' body); `config.name`,
 *    when given, must equal `name`, and is set from it otherwise;
 * 3. a Java .properties file: the connector config, which must hold `name`.
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.ts'
import { parsePropertiesObject } from '../util/properties-file.ts'
import type { ConfigMap, TargetState } from './herder.ts'

/** A connector to create, as a connector file describes it (Java's CreateConnectorRequest). */
export interface ConnectorRequest {
  name: string
  config: ConfigMap
  /** initial_state of a JSON request file; undefined: the herder's default (STARTED). */
  initialState?: TargetState
}

const TARGET_STATES: readonly string[] = ['RUNNING', 'PAUSED', 'STOPPED']

const isStringMap = (v: unknown): v is ConfigMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')

/**
 * Parses a connector file's text; `path` is for messages.
 * @throws ConfigError naming `name` (or `initial_state`) when the file lacks it or contradicts itself
 */
export function parseConnectorFileText(text: string, path: string): ConnectorRequest {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  if (isStringMap(json)) return withName(json, path)
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const request = json as { name?: unknown; config?: unknown; initial_state?: unknown }
    if (typeof request.name === 'string' && (request.config === undefined || isStringMap(request.config))) {
      const config: ConfigMap = { ...(request.config ?? {}) }
      if (config.name !== undefined && config.name !== request.name) {
        throw new ConfigError(
          `Connector name configuration in 'config' doesn't match the one specified in 'name' at '${path}'`,
          'name',
        )
      }
      config.name = request.name
      return { name: request.name, config, ...initialState(request.initial_state, path) }
    }
  }
  return withName(parsePropertiesObject(text), path)
}

/** Reads and parses a connector file; see parseConnectorFileText. */
export function readConnectorFile(path: string): ConnectorRequest {
  return parseConnectorFileText(readFileSync(path, 'utf8'), path)
}

function withName(config: ConfigMap, path: string): ConnectorRequest {
  const name = config.name
  if (name === undefined) {
    throw new ConfigError(`Connector configuration at '${path}' is missing the mandatory 'name' configuration`, 'name')
  }
  return { name, config }
}

function initialState(value: unknown, path: string): { initialState?: TargetState } {
  if (value === undefined || value === null) return {}
  const state = String(value).toUpperCase()
  if (!TARGET_STATES.includes(state)) {
    throw new ConfigError(
      `Invalid initial_state ${String(value)} at '${path}': use RUNNING, PAUSED or STOPPED`,
      'initial_state',
    )
  }
  // REST's RUNNING is the stored STARTED.
  return { initialState: state === 'RUNNING' ? 'STARTED' : (state as TargetState) }
}
