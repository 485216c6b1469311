/**
 * MockSinkConnector and MockSinkTask (Java's org.apache.kafka.connect.tools): a sink that drops what it is given
 * and, with mock_mode=task-failure, fails from put() once delay_ms passed since start(). The worker calls put()
 * after every consumer poll, with an empty batch when nothing came, so the failure comes without any data. The
 * connector delegates to MockConnector (mock-connector.ts), which holds the connector-failure mode.
 */

import { SinkConnector } from '../../api/connector.ts'
import type { SinkConnectorContext } from '../../api/contexts.ts'
import type { SinkRecord } from '../../api/records.ts'
import { SinkTask } from '../../api/task.ts'
import type { ConfigDef } from '../../config/config-def.ts'
import { ConnectError } from '../../errors.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { failureDelayMs, MockConnector, MockConnectorKeys, taskFailureDue } from './mock-connector.ts'

/** A sink connector whose behaviour is MockConnector's. */
export class MockSinkConnector extends SinkConnector {
  readonly #delegate = new MockConnector()

  override initialize(context: SinkConnectorContext): void {
    super.initialize(context)
    this.#delegate.initialize(context)
  }

  version(): string {
    return this.#delegate.version()
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#delegate.start(props)
  }

  taskClass(): new () => SinkTask {
    return MockSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return this.#delegate.taskConfigs(maxTasks)
  }

  stop(): void {
    this.#delegate.stop()
  }

  config(): ConfigDef {
    return this.#delegate.config()
  }
}

/** The task of MockSinkConnector. */
export class MockSinkTask extends SinkTask {
  #failing = false
  #startTimeMs = 0
  #failureDelayMs: number = MockConnectorKeys.DEFAULT_FAILURE_DELAY_MS

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#failing = props[MockConnectorKeys.MOCK_MODE_KEY] === MockConnectorKeys.TASK_FAILURE
    if (!this.#failing) return
    this.#startTimeMs = Date.now()
    this.#failureDelayMs = failureDelayMs(props, 'MockSinkTask')
    this.#setTimeout()
  }

  put(_records: readonly SinkRecord[]): void {
    if (!this.#failing) return
    if (taskFailureDue(this.#startTimeMs, this.#failureDelayMs, Date.now())) {
      throw new ConnectError('UNKNOWN', 'MockSinkTask failed on purpose (mock_mode=task-failure)')
    }
    this.#setTimeout()
  }

  stop(): void {}

  /** As Java's: asks to be woken at least every 250 ms (or at the failure delay, if shorter). */
  #setTimeout(): void {
    this.context.timeout(Math.min(this.#failureDelayMs, 250))
  }
}
