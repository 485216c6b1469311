/**
 * MockConnector (Java's org.apache.kafka.connect.tools.MockConnector): the behaviour that MockSourceConnector and
 * MockSinkConnector delegate to, for system tests that need a connector or a task to fail. The mode is the
 * `mock_mode` key, shared by the connector and its single task:
 *
 *   - `connector-failure`: `delay_ms` (default 15000) after start(), the connector raises an error through its
 *     context, so it shows FAILED with the trace; a restart starts the clock again.
 *   - `task-failure`: the task throws from poll()/put() once more than `delay_ms` passed since its start().
 *   - anything else: connector and task run and do nothing.
 *
 * Like Java's, it is not a plugin of its own (it is neither a source nor a sink; taskClass() throws): only the
 * two delegating connectors are registered.
 */
import { Connector } from '../../api/connector.ts'
import type { SinkTask, SourceTask } from '../../api/task.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { ConnectError } from '../../errors.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { invalidConfiguration, javaParseLong } from './java-props.ts'

/** The config keys and modes, as Java's MockConnector constants. */
export const MockConnectorKeys = Object.freeze({
  MOCK_MODE_KEY: 'mock_mode',
  DELAY_MS_KEY: 'delay_ms',
  CONNECTOR_FAILURE: 'connector-failure',
  TASK_FAILURE: 'task-failure',
  DEFAULT_FAILURE_DELAY_MS: 15000,
})

/**
 * The failure delay of a mock connector or task: `delay_ms`, or 15000 when absent; a value Long.parseLong rejects
 * fails start(), as Java's NumberFormatException does.
 */
export function failureDelayMs(props: Readonly<Record<string, string>>, owner: string): number {
  const text = props[MockConnectorKeys.DELAY_MS_KEY]
  if (text === undefined) return MockConnectorKeys.DEFAULT_FAILURE_DELAY_MS
  const delay = javaParseLong(text)
  if (delay === undefined) throw invalidConfiguration(owner, MockConnectorKeys.DELAY_MS_KEY, text)
  return delay
}

/** Whether a task started `startMs` with this delay fails at `nowMs` (strictly after the delay, as Java's). */
export function taskFailureDue(startMs: number, delayMs: number, nowMs: number): boolean {
  return nowMs - startMs > delayMs
}

/** The connector half of the mocks: one task with the connector's config; fails on a timer in connector-failure. */
export class MockConnector extends Connector {
  #config: Readonly<Record<string, string>> = {}
  #timer: ReturnType<typeof setTimeout> | undefined

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#config = { ...props }
    if (props[MockConnectorKeys.MOCK_MODE_KEY] !== MockConnectorKeys.CONNECTOR_FAILURE) return
    const delayMs = failureDelayMs(props, 'MockConnector')
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.context.raiseError(
        new ConnectError(
          'UNKNOWN',
          `MockConnector failed on purpose (mock_mode=connector-failure) after ${delayMs} ms`,
        ),
      )
    }, delayMs)
  }

  /** Java's throws UnsupportedOperationException: the delegating connectors name their own task classes. */
  taskClass(): new () => SourceTask | SinkTask {
    throw new ConnectError('UNKNOWN', 'MockConnector has no task class: use MockSourceConnector or MockSinkConnector')
  }

  /** A single task with the connector's config, whatever tasks.max says. */
  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#config }]
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  config(): ConfigDef {
    return new ConfigDef()
  }
}
