/**
 * io.debezium.connector.postgresql.PostgresConnector: PostgreSQL change data capture over pgoutput logical
 * replication, with Debezium's config keys, records and offsets. One task (a slot has one reader).
 */
import { AbstractConfig, type ConfigDef, type ConfigValue, SourceConnector } from 'tsconnect'
import { DEBEZIUM_VERSION, extraProblems, POSTGRES_CONFIG } from './config.ts'
import { PostgresConnectorTask } from './task.ts'

/** The connector. */
export class PostgresConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return DEBEZIUM_VERSION
  }

  config(): ConfigDef {
    return POSTGRES_CONFIG
  }

  override validate(props: Readonly<Record<string, string>>): ConfigValue[] {
    return [...POSTGRES_CONFIG.validate(props), ...extraProblems(props)]
  }

  start(props: Readonly<Record<string, string>>): void {
    new AbstractConfig(POSTGRES_CONFIG, props)
    this.#props = props
  }

  taskClass() {
    return PostgresConnectorTask
  }

  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.#props }]
  }

  stop(): void {}
}
