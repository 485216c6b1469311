/**
 * The plugin list tsconnect reads from this package (see tsconnect's docs/connector-guide.md): the JDBC sink under
 * Confluent's and Debezium's class names, and the JDBC source under Confluent's and the Aiven fork's.
 */
import type { PluginDescriptor } from 'tsconnect'
import { ConfluentJdbcSinkConnector, DebeziumJdbcSinkConnector } from './sink/jdbc-sink.ts'
import { JdbcSourceConnector } from './source/jdbc-source.ts'
import { VERSION } from './version.ts'

export const plugins: PluginDescriptor[] = [
  {
    // One plugin under both names: the Aiven fork kept Confluent's keys. The Java name shown is Confluent's.
    type: 'source',
    plugin: JdbcSourceConnector,
    className: 'io.aiven.connect.jdbc.JdbcSourceConnector',
    javaClassName: 'io.confluent.connect.jdbc.JdbcSourceConnector',
    version: VERSION,
  },
  {
    type: 'sink',
    plugin: ConfluentJdbcSinkConnector,
    className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
    version: VERSION,
  },
  {
    type: 'sink',
    plugin: DebeziumJdbcSinkConnector,
    className: 'io.debezium.connector.jdbc.JdbcSinkConnector',
    version: VERSION,
  },
]

export { parseJdbcUrl } from './jdbc-url.ts'
export {
  ConfluentJdbcSinkConnector,
  ConfluentJdbcSinkTask,
  DebeziumJdbcSinkConnector,
  DebeziumJdbcSinkTask,
} from './sink/jdbc-sink.ts'
export { JdbcSourceConnector, JdbcSourceTask } from './source/jdbc-source.ts'
