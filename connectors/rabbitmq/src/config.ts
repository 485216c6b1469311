/**
 * The RabbitMQ connectors' keys: the connection keys of Confluent's RabbitMQ connectors (and of jcustenborder's
 * connector they descend from: `rabbitmq.host`, `rabbitmq.port`, `rabbitmq.username`, `rabbitmq.password`,
 * `rabbitmq.virtual.host`, `rabbitmq.prefetch.count`, ...), the source's `kafka.topic` and `rabbitmq.queue`, and the
 * sink's `rabbitmq.exchange`, `rabbitmq.routing.key`, `rabbitmq.delivery.mode` and `rabbitmq.forward.kafka.*`, so
 * configs written for them carry over. Keys neither has say "tsconnect's" in their documentation.
 */
import { readFileSync } from 'node:fs'
import type { Options } from 'amqplib'
import { AbstractConfig, ConfigDef, ConfigError, Validators } from 'tsconnect'

function connectionKeys(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: 'rabbitmq.host',
      type: 'STRING',
      defaultValue: 'localhost',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      group: 'Connection',
      documentation: 'The RabbitMQ host to connect to.',
    })
    .define({
      name: 'rabbitmq.port',
      type: 'INT',
      defaultValue: 5672,
      validator: Validators.between(1, 65535),
      importance: 'MEDIUM',
      group: 'Connection',
      documentation: 'The RabbitMQ port to connect to (5671 is the usual TLS port).',
    })
    .define({
      name: 'rabbitmq.username',
      type: 'STRING',
      defaultValue: 'guest',
      importance: 'HIGH',
      group: 'Connection',
      documentation: 'The user name to authenticate with.',
    })
    .define({
      name: 'rabbitmq.password',
      type: 'PASSWORD',
      defaultValue: 'guest',
      importance: 'HIGH',
      group: 'Connection',
      documentation: 'The password to authenticate with.',
    })
    .define({
      name: 'rabbitmq.virtual.host',
      type: 'STRING',
      defaultValue: '/',
      importance: 'MEDIUM',
      group: 'Connection',
      documentation: 'The virtual host to use.',
    })
    .define({
      name: 'rabbitmq.requested.heartbeat.seconds',
      type: 'INT',
      defaultValue: 60,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      group: 'Connection',
      documentation: 'The heartbeat interval to ask the server for; 0 for none.',
    })
    .define({
      name: 'rabbitmq.connection.timeout.ms',
      type: 'INT',
      defaultValue: 60000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      group: 'Connection',
      documentation: 'How long to wait for the TCP connection.',
    })
    .define({
      name: 'rabbitmq.security.protocol',
      type: 'STRING',
      defaultValue: 'PLAINTEXT',
      validator: Validators.in('PLAINTEXT', 'SSL'),
      importance: 'MEDIUM',
      group: 'Security',
      documentation: 'PLAINTEXT, or SSL for AMQP over TLS (amqps).',
    })
    .define({
      name: 'rabbitmq.ssl.ca.file',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      group: 'Security',
      documentation: "tsconnect's: a PEM file of the certificate authorities to trust, with SSL.",
    })
    .define({
      name: 'rabbitmq.ssl.cert.file',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      group: 'Security',
      documentation: "tsconnect's: a PEM file with the client's certificate, for mutual TLS.",
    })
    .define({
      name: 'rabbitmq.ssl.key.file',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      group: 'Security',
      documentation: "tsconnect's: a PEM file with the client's private key, for mutual TLS.",
    })
}

/** The source connector's keys; `format` is the default of `rabbitmq.record.format`. */
export function sourceConfig(format: 'bytes' | 'struct'): ConfigDef {
  return connectionKeys(new ConfigDef())
    .define({
      name: 'kafka.topic',
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'HIGH',
      group: 'Source',
      documentation: 'The Kafka topic to write the messages to.',
    })
    .define({
      name: 'rabbitmq.queue',
      type: 'LIST',
      validator: Validators.nonEmptyList(),
      importance: 'HIGH',
      group: 'Source',
      documentation:
        'The queues to consume; they must exist. With several tasks, every task consumes every queue (RabbitMQ spreads the messages among the consumers).',
    })
    .define({
      name: 'rabbitmq.prefetch.count',
      type: 'INT',
      defaultValue: 0,
      validator: Validators.between(0, 65535),
      importance: 'MEDIUM',
      group: 'Source',
      documentation:
        'The most messages the server sends before they are acknowledged, which happens once Kafka has their records; 0 is no limit. A limit bounds the task memory when Kafka is slower than the queue.',
    })
    .define({
      name: 'rabbitmq.prefetch.global',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      group: 'Source',
      documentation: 'Whether the prefetch count is shared by every consumer of the channel rather than per consumer.',
    })
    .define({
      name: 'rabbitmq.record.format',
      type: 'STRING',
      defaultValue: format,
      validator: Validators.in('bytes', 'struct'),
      importance: 'MEDIUM',
      group: 'Source',
      documentation:
        "tsconnect's: the record shape. `bytes`: the value is the body (Confluent's source). `struct`: jcustenborder's MessageKey key and Message value (consumer tag, envelope, properties, body).",
    })
    .define({
      name: 'rabbitmq.poll.timeout.ms',
      type: 'LONG',
      defaultValue: 1000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      group: 'Source',
      documentation: "tsconnect's: how long a poll waits for a first message before it answers none.",
    })
    .define({
      name: 'rabbitmq.records.max.per.poll',
      type: 'INT',
      defaultValue: 1000,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: 'Source',
      documentation: "tsconnect's: the most records one poll hands to the worker.",
    })
}

/** The sink connector's keys. */
export const SINK_CONFIG: ConfigDef = connectionKeys(new ConfigDef())
  .define({
    name: 'rabbitmq.exchange',
    type: 'STRING',
    importance: 'HIGH',
    group: 'Sink',
    documentation: 'The exchange to publish to; it must exist (the empty name is the default exchange).',
  })
  .define({
    name: 'rabbitmq.routing.key',
    type: 'STRING',
    importance: 'HIGH',
    group: 'Sink',
    documentation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own template syntax
      "The routing key, a fixed string as in Confluent's sink or, beyond it, a template: `${topic}`, `${partition}`, `${offset}`, `${key}` and `${header.<name>}`.",
  })
  .define({
    name: 'rabbitmq.delivery.mode',
    type: 'STRING',
    defaultValue: 'PERSISTENT',
    validator: Validators.in('PERSISTENT', 'TRANSIENT'),
    importance: 'MEDIUM',
    group: 'Sink',
    documentation: 'Whether the broker writes the messages to disk (PERSISTENT) or keeps them in memory (TRANSIENT).',
  })
  .define({
    name: 'rabbitmq.forward.kafka.key',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Sink',
    documentation: "Whether the record's key (as text) is sent as the message's correlation id.",
  })
  .define({
    name: 'rabbitmq.forward.kafka.metadata',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Sink',
    documentation:
      "Whether the record's topic, partition, offset and timestamp are sent as the message headers `KAFKA_TOPIC`, `KAFKA_PARTITION`, `KAFKA_OFFSET` and `KAFKA_TIMESTAMP`.",
  })
  .define({
    name: 'rabbitmq.forward.kafka.headers',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Sink',
    documentation: "Whether the record's headers are sent as message headers (values as text).",
  })
  .define({
    name: 'rabbitmq.publish.ack.timeout',
    type: 'INT',
    defaultValue: 10000,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: 'Sink',
    documentation:
      'How long a commit waits for the publisher confirms of what was published; offsets are committed only for confirmed messages.',
  })

/** Parses a config with one of the definitions above (throws ConfigError naming the key). */
export function parse(def: ConfigDef, props: Readonly<Record<string, string>>): AbstractConfig {
  return new AbstractConfig(def, props)
}

function readPem(config: AbstractConfig, key: string): Buffer | undefined {
  const path = config.getString(key) ?? ''
  if (path === '') return undefined
  try {
    return readFileSync(path)
  } catch (error) {
    throw new ConfigError(`Invalid value ${path} for configuration ${key}: ${String(error)}`, key)
  }
}

/** What amqplib's connect takes: the server and the socket options. */
export interface ConnectionSettings {
  readonly url: Options.Connect
  readonly socket: Record<string, unknown>
}

/** The connection of a config. */
export function connectionSettings(config: AbstractConfig): ConnectionSettings {
  const tls = config.getString('rabbitmq.security.protocol') === 'SSL'
  const ca = readPem(config, 'rabbitmq.ssl.ca.file')
  const cert = readPem(config, 'rabbitmq.ssl.cert.file')
  const key = readPem(config, 'rabbitmq.ssl.key.file')
  return {
    url: {
      protocol: tls ? 'amqps' : 'amqp',
      hostname: config.getString('rabbitmq.host') ?? 'localhost',
      port: config.getInt('rabbitmq.port') ?? 5672,
      username: config.getString('rabbitmq.username') ?? 'guest',
      password: config.getPassword('rabbitmq.password')?.value() ?? 'guest',
      vhost: config.getString('rabbitmq.virtual.host') ?? '/',
      heartbeat: config.getInt('rabbitmq.requested.heartbeat.seconds') ?? 60,
    },
    socket: {
      timeout: config.getInt('rabbitmq.connection.timeout.ms') ?? 60000,
      ...(ca === undefined ? {} : { ca: [ca] }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
    },
  }
}
