/**
 * Java's tool connectors (org.apache.kafka.connect.tools, the connect-test-plugins jar) as plugin descriptors,
 * under their Java class names, so that configs written for Java Connect and Kafka's Connect system tests find
 * them, by class name or by alias (VerifiableSource, MockSinkConnector, ...). The list is the jar's ServiceLoader
 * manifests: MockConnector is no plugin there either.
 */
import type { PluginDescriptor } from '../../api/plugin.ts'
import { MockSinkConnector } from './mock-sink.ts'
import { MockSourceConnector } from './mock-source.ts'
import { SchemaSourceConnector } from './schema-source.ts'
import { VerifiableSinkConnector } from './verifiable-sink.ts'
import { VerifiableSourceConnector } from './verifiable-source.ts'

const TOOLS = 'org.apache.kafka.connect.tools'

/** The built-in tool connector plugins. */
export function toolConnectorPlugins(): PluginDescriptor[] {
  return [
    { type: 'source', plugin: VerifiableSourceConnector, javaClassName: `${TOOLS}.VerifiableSourceConnector` },
    { type: 'sink', plugin: VerifiableSinkConnector, javaClassName: `${TOOLS}.VerifiableSinkConnector` },
    { type: 'source', plugin: MockSourceConnector, javaClassName: `${TOOLS}.MockSourceConnector` },
    { type: 'sink', plugin: MockSinkConnector, javaClassName: `${TOOLS}.MockSinkConnector` },
    { type: 'source', plugin: SchemaSourceConnector, javaClassName: `${TOOLS}.SchemaSourceConnector` },
  ]
}
