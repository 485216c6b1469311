/**
 * The plugin list tsconnect reads from this package (see tsconnect's docs/connector-guide.md and
 * docs/converters.md): converters in the Confluent wire format with a schema registry, under Confluent's class
 * names, so that worker configs written for Java (key.converter=io.confluent.connect.avro.AvroConverter) work as
 * they are once plugin.path names this package, as Java users put Confluent's jars on plugin.path.
 */
import type { PluginDescriptor } from 'tsconnect'
import { AvroConverter, PACKAGE_VERSION } from './avro/avro-converter.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'converter',
    plugin: AvroConverter,
    javaClassName: 'io.confluent.connect.avro.AvroConverter',
    version: PACKAGE_VERSION,
  },
  {
    type: 'header_converter',
    plugin: AvroConverter,
    javaClassName: 'io.confluent.connect.avro.AvroConverter',
    version: PACKAGE_VERSION,
  },
]

export { AVRO_CONVERTER_CONFIGS, AvroConverter } from './avro/avro-converter.ts'
export { fromConnectSchema, toConnectSchema } from './avro/avro-data.ts'
export { parseSchema, printSchema } from './avro/avro-schema.ts'
export { SERDE_CONFIGS, SUBJECT_NAME_STRATEGIES } from './registry/serde-config.ts'
