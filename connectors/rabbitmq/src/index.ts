/**
 * The plugin list tsconnect reads from this package: the RabbitMQ source and sink under Confluent's class names,
 * and the source also under jcustenborder's (whose records are structs), so configs written for either find them.
 */
import type { PluginDescriptor } from 'tsconnect'
import { RabbitMQSinkConnector } from './rabbitmq-sink.ts'
import { JcustenborderRabbitMQSourceConnector, RabbitMQSourceConnector } from './rabbitmq-source.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'source',
    plugin: RabbitMQSourceConnector,
    className: 'io.tsconnect.rabbitmq.RabbitMQSourceConnector',
    javaClassName: 'io.confluent.connect.rabbitmq.RabbitMQSourceConnector',
    version: '0.1.0',
  },
  {
    type: 'source',
    plugin: JcustenborderRabbitMQSourceConnector,
    className: 'io.tsconnect.rabbitmq.JcustenborderRabbitMQSourceConnector',
    javaClassName: 'com.github.jcustenborder.kafka.connect.rabbitmq.RabbitMQSourceConnector',
    version: '0.1.0',
  },
  {
    type: 'sink',
    plugin: RabbitMQSinkConnector,
    className: 'io.tsconnect.rabbitmq.RabbitMQSinkConnector',
    javaClassName: 'io.confluent.connect.rabbitmq.sink.RabbitMQSinkConnector',
    version: '0.1.0',
  },
]

export { RabbitMQSinkConnector, RabbitMQSinkTask } from './rabbitmq-sink.ts'
export {
  JcustenborderRabbitMQSourceConnector,
  RabbitMQSourceConnector,
  RabbitMQSourceTask,
} from './rabbitmq-source.ts'
