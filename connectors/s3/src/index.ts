/**
 * The plugin list tsconnect reads from this package: the S3 sink under Confluent's class name.
 */
import type { PluginDescriptor } from 'tsconnect'
import { S3SinkConnector } from './s3-sink-connector.ts'
import { VERSION } from './version.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'sink',
    plugin: S3SinkConnector,
    className: 'io.confluent.connect.s3.S3SinkConnector',
    javaClassName: 'io.confluent.connect.s3.S3SinkConnector',
    version: VERSION,
  },
]

export { parseS3SinkConfig, S3_SINK_CONFIG, type S3SinkSettings } from './config.ts'
export { avroSchemaOf } from './formats/avro-format.ts'
export { S3SinkConnector } from './s3-sink-connector.ts'
export { S3SinkTask } from './s3-sink-task.ts'
export { type ObjectStore, TopicPartitionWriter } from './topic-partition-writer.ts'
