/**
 * The plugin list tsconnect reads from this package: the PostgreSQL CDC connector under Debezium's class name, and
 * Debezium's two most used transforms under theirs.
 */
import type { PluginDescriptor } from 'tsconnect'
import { DEBEZIUM_VERSION } from './config.ts'
import { PostgresConnector } from './connector.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'source',
    plugin: PostgresConnector,
    className: 'tsconnect.postgres.PostgresConnector',
    javaClassName: 'io.debezium.connector.postgresql.PostgresConnector',
    version: DEBEZIUM_VERSION,
  },
]

export { POSTGRES_CONFIG } from './config.ts'
export { PostgresConnector } from './connector.ts'
export { PostgresConnectorTask } from './task.ts'
