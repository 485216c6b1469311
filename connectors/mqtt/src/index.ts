/**
 * The plugin list tsconnect reads from this package: the MQTT source and sink under Confluent's class names, so
 * connector configs written for Confluent's MQTT connectors find them.
 */
import type { PluginDescriptor } from 'tsconnect'
import { MqttSinkConnector } from './mqtt-sink.ts'
import { MqttSourceConnector } from './mqtt-source.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'source',
    plugin: MqttSourceConnector,
    className: 'io.tsconnect.mqtt.MqttSourceConnector',
    javaClassName: 'io.confluent.connect.mqtt.MqttSourceConnector',
    version: '0.1.0',
  },
  {
    type: 'sink',
    plugin: MqttSinkConnector,
    className: 'io.tsconnect.mqtt.MqttSinkConnector',
    javaClassName: 'io.confluent.connect.mqtt.MqttSinkConnector',
    version: '0.1.0',
  },
]

export { MqttSinkConnector, MqttSinkTask } from './mqtt-sink.ts'
export { MqttSourceConnector, MqttSourceTask } from './mqtt-source.ts'
