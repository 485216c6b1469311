/**
 * The FileStream connectors as plugin descriptors, under the class names of their Java twins so that configs
 * written for Java Connect (connector.class=org.apache.kafka.connect.file.FileStreamSourceConnector, or the
 * aliases FileStreamSource / FileStreamSourceConnector) find them.
 */
import type { PluginDescriptor } from '../../api/plugin.ts'
import { FileStreamSinkConnector } from './file-stream-sink.ts'
import { FileStreamSourceConnector } from './file-stream-source.ts'

/** The built-in FileStream connector plugins. */
export function fileStreamPlugins(): PluginDescriptor[] {
  return [
    {
      type: 'source',
      plugin: FileStreamSourceConnector,
      javaClassName: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    },
    {
      type: 'sink',
      plugin: FileStreamSinkConnector,
      javaClassName: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    },
  ]
}
