/**
 * The Java plugins the Java reference worker (tools/kafka/connect.ts) runs beside tsconnect, from Maven Central:
 * Debezium's PostgreSQL, MySQL and MariaDB sources and its JDBC sink (each a `plugin` tar.gz, unpacked into a
 * folder of its own), and Kafka's own connect-file and connect-mirror. The result is one plugin.path folder:
 *
 *   debezium-connector-postgres/  debezium-connector-mysql/  debezium-connector-mariadb/  debezium-connector-jdbc/
 *   connect-file/  connect-mirror/
 *
 * Every one of them ships META-INF/services manifests, so `plugin.discovery=service_load` finds them all.
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { kafkaVersion } from '../kafka/jars.ts'
import { ensureCached, MAVEN_DIR, mvn } from './maven.ts'
import { runStep } from './service.ts'

const POM = join(MAVEN_DIR, 'java-plugins.pom.xml')

/** The connector classes this plugin path provides, by the name tests use for them. */
export const JAVA_CONNECTORS = {
  debeziumPostgres: 'io.debezium.connector.postgresql.PostgresConnector',
  debeziumMySql: 'io.debezium.connector.mysql.MySqlConnector',
  debeziumMariaDb: 'io.debezium.connector.mariadb.MariaDbConnector',
  debeziumJdbcSink: 'io.debezium.connector.jdbc.JdbcSinkConnector',
  fileStreamSource: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  fileStreamSink: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  mirrorSource: 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
} as const

/**
 * Resolves the plugins into the cache (one Maven run for all of them, then tar) and returns the folder to use as
 * the Java worker's plugin.path. Kafka's own plugins follow the local Kafka's version.
 */
export function ensureJavaPlugins(version: string = kafkaVersion()): Promise<string> {
  return ensureCached(
    'java-plugins',
    POM,
    async (scratch) => {
      const download = join(scratch, '.download')
      await mvn(POM, [
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
        `-Dkafka.version=${version}`,
        `-Dplugins.download=${download}`,
      ])
      for (const entry of readdirSync(download)) {
        if (entry.endsWith('.tar.gz')) {
          await runStep(`unpacking ${entry}`, 'tar', ['-xzf', join(download, entry), '-C', scratch])
        } else {
          await runStep(`placing ${entry}`, 'mv', [join(download, entry), join(scratch, entry)])
        }
      }
      rmSync(download, { recursive: true, force: true })
    },
    version,
  )
}
