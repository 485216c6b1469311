/**
 * The plugin list tsconnect reads from this package: the HTTP sink under Aiven's and Confluent's class names (so
 * configs of either find it), the polling source under castorm's, and the webhook source.
 */
import type { PluginDescriptor } from 'tsconnect'
import { ConfluentHttpSinkConnector, HttpSinkConnector } from './http-sink.ts'
import { HttpSourceConnector } from './polling-source.ts'
import { WebhookSourceConnector } from './webhook-source.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'sink',
    plugin: HttpSinkConnector,
    className: 'io.tsconnect.http.HttpSinkConnector',
    javaClassName: 'io.aiven.kafka.connect.http.HttpSinkConnector',
    version: '1.0.0',
  },
  {
    type: 'sink',
    plugin: ConfluentHttpSinkConnector,
    className: 'io.tsconnect.http.ConfluentHttpSinkConnector',
    javaClassName: 'io.confluent.connect.http.HttpSinkConnector',
    version: '1.0.0',
  },
  {
    type: 'source',
    plugin: HttpSourceConnector,
    className: 'io.tsconnect.http.HttpSourceConnector',
    javaClassName: 'com.github.castorm.kafka.connect.http.HttpSourceConnector',
    version: '1.0.0',
  },
  {
    type: 'source',
    plugin: WebhookSourceConnector,
    className: 'io.tsconnect.http.WebhookSourceConnector',
    version: '1.0.0',
  },
]

export { ConfluentHttpSinkConnector, HttpSinkConnector, HttpSinkTask } from './http-sink.ts'
export { HttpSourceConnector, HttpSourceTask } from './polling-source.ts'
export { WebhookSourceConnector, WebhookSourceTask } from './webhook-source.ts'
