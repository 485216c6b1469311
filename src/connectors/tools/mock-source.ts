/**
 * MockSourceConnector and MockSourceTask (Java's org.apache.kafka.connect.tools): a source that sends nothing and,
 * with mock_mode=task-failure, fails from poll() once delay_ms passed since start(). The connector delegates to
 * MockConnector (mock-connector.ts), which holds the connector-failure mode.
 */

import { SourceConnector } from '../../api/connector.ts'
import type { SourceConnectorContext } from '../../api/contexts.ts'
import type { SourceRecord } from '../../api/records.ts'
import { SourceTask } from '../../api/task.ts'
import type { ConfigDef } from '../../config/config-def.ts'
import { ConnectError } from '../../errors.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { failureDelayMs, MockConnector, MockConnectorKeys, taskFailureDue } from './mock-connector.ts'
import { StopAwareSleep } from './stop-aware-sleep.ts'

/** How long an idle poll() waits: the worker polls again at once, so an empty answer must not spin. */
const IDLE_POLL_MS = 250

/** A source connector whose behaviour is MockConnector's. */
export class MockSourceConnector extends SourceConnector {
  readonly #delegate = new MockConnector()

  override initialize(context: SourceConnectorContext): void {
    super.initialize(context)
    this.#delegate.initialize(context)
  }

  version(): string {
    return this.#delegate.version()
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#delegate.start(props)
  }

  taskClass(): new () => SourceTask {
    return MockSourceTask
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

/** The task of MockSourceConnector. */
export class MockSourceTask extends SourceTask {
  #failing = false
  #startTimeMs = 0
  #failureDelayMs: number = MockConnectorKeys.DEFAULT_FAILURE_DELAY_MS
  readonly #sleep = new StopAwareSleep()

  version(): string {
    return TSCONNECT_VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    this.#failing = props[MockConnectorKeys.MOCK_MODE_KEY] === MockConnectorKeys.TASK_FAILURE
    if (!this.#failing) return
    this.#startTimeMs = Date.now()
    this.#failureDelayMs = failureDelayMs(props, 'MockSourceTask')
  }

  async poll(): Promise<SourceRecord[]> {
    if (this.#failing) {
      const now = Date.now()
      if (taskFailureDue(this.#startTimeMs, this.#failureDelayMs, now)) {
        throw new ConnectError('UNKNOWN', 'MockSourceTask failed on purpose (mock_mode=task-failure)')
      }
      // Wake just past the failure time, so that it is not later than Java's busy loop would be by much.
      await this.#sleep.sleep(Math.min(IDLE_POLL_MS, this.#startTimeMs + this.#failureDelayMs - now + 1))
      return []
    }
    await this.#sleep.sleep(IDLE_POLL_MS)
    return []
  }

  stop(): void {
    this.#sleep.stop()
  }
}
