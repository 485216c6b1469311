/**
 * The plugin list tsconnect reads from this package (see tsconnect's docs/connector-guide.md).
 */
import type { PluginDescriptor } from 'tsconnect'
import { JsonLinesSinkConnector } from './json-lines-sink.ts'
import { SequenceSourceConnector } from './sequence-source.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'source',
    plugin: SequenceSourceConnector,
    className: 'com.example.SequenceSourceConnector',
    version: '1.0.0',
  },
  { type: 'sink', plugin: JsonLinesSinkConnector, className: 'com.example.JsonLinesSinkConnector', version: '1.0.0' },
]

export { JsonLinesSinkConnector, JsonLinesSinkTask } from './json-lines-sink.ts'
export { SequenceSourceConnector, SequenceSourceTask } from './sequence-source.ts'
