/**
 * The plugin list tsconnect reads from this package: the PostgreSQL CDC connector under Debezium's class name, and
 * Debezium's two most used transforms under theirs.
 */
import type { PluginDescriptor } from 'tsconnect'
import { DEBEZIUM_VERSION } from './config.ts'
import { PostgresConnector } from './connector.ts'
import { ByLogicalTableRouter } from './transforms/by-logical-table-router.ts'
import { ExtractNewRecordState } from './transforms/extract-new-record-state.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'source',
    plugin: PostgresConnector,
    className: 'tsconnect.postgres.PostgresConnector',
    javaClassName: 'io.debezium.connector.postgresql.PostgresConnector',
    version: DEBEZIUM_VERSION,
  },
  {
    type: 'transformation',
    plugin: ExtractNewRecordState,
    className: 'tsconnect.postgres.ExtractNewRecordState',
    javaClassName: 'io.debezium.transforms.ExtractNewRecordState',
    version: DEBEZIUM_VERSION,
  },
  {
    type: 'transformation',
    plugin: ByLogicalTableRouter,
    className: 'tsconnect.postgres.ByLogicalTableRouter',
    javaClassName: 'io.debezium.transforms.ByLogicalTableRouter',
    version: DEBEZIUM_VERSION,
  },
]

export { POSTGRES_CONFIG } from './config.ts'
export { PostgresConnector } from './connector.ts'
export { PostgresConnectorTask } from './task.ts'
export { ByLogicalTableRouter } from './transforms/by-logical-table-router.ts'
export { ExtractNewRecordState } from './transforms/extract-new-record-state.ts'
