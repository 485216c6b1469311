/**
 * The plugin list tsconnect reads from this package: a NATS source and sink, core subjects and JetStream. No Java
 * NATS connector is the de-facto one, so they go by tsconnect's class names only.
 */
import type { PluginDescriptor } from 'tsconnect'
import { NatsSinkConnector } from './nats-sink.ts'
import { NatsSourceConnector } from './nats-source.ts'

export const plugins: PluginDescriptor[] = [
  { type: 'source', plugin: NatsSourceConnector, className: 'io.tsconnect.nats.NatsSourceConnector', version: '0.1.0' },
  { type: 'sink', plugin: NatsSinkConnector, className: 'io.tsconnect.nats.NatsSinkConnector', version: '0.1.0' },
]

export { NatsSinkConnector, NatsSinkTask } from './nats-sink.ts'
export { NatsSourceConnector, NatsSourceTask } from './nats-source.ts'
