/**
 * The MQTT connectors' keys. Confluent's MQTT connectors (io.confluent.connect.mqtt.*) name the connection keys
 * (`mqtt.server.uri`, `mqtt.username`, `mqtt.password`, `mqtt.clean.session.enabled`, the timeouts), the source's
 * `mqtt.topics`, `kafka.topic` and `mqtt.qos`, and the sink's `mqtt.qos` and `mqtt.retain.enabled`, so configs written
 * for them carry over. Keys Confluent does not have are tsconnect's and say so in their documentation.
 *
 * Confluent's SSL keys name Java key stores (`mqtt.ssl.trust.store.path`, ...); Node reads PEM files, so TLS is
 * configured with `mqtt.ssl.ca.file`, `mqtt.ssl.cert.file` and `mqtt.ssl.key.file` instead.
 */
import { readFileSync } from 'node:fs'
import type { IClientOptions } from 'mqtt'
import { AbstractConfig, ConfigDef, ConfigError, Validators } from 'tsconnect'

/** The keys of the connection, shared by the source and the sink. */
function connectionKeys(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: 'mqtt.server.uri',
      type: 'LIST',
      validator: Validators.nonEmptyList(),
      importance: 'HIGH',
      group: 'Connection',
      documentation:
        'The MQTT brokers to connect to, e.g. `tcp://broker:1883` or `ssl://broker:8883` (`mqtt://` and `mqtts://` too); the client tries them in turn.',
    })
    .define({
      name: 'mqtt.username',
      type: 'STRING',
      defaultValue: '',
      importance: 'HIGH',
      group: 'Connection',
      documentation: 'The user name to connect with, or blank to connect without one.',
    })
    .define({
      name: 'mqtt.password',
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'HIGH',
      group: 'Connection',
      documentation: 'The password to connect with, or blank to connect without one.',
    })
    .define({
      name: 'mqtt.client.id',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      group: 'Connection',
      documentation:
        "The base of the client ids; task i connects as `<base>-<i>`. Blank means the connector's name. A persistent session (`mqtt.clean.session.enabled=false`) belongs to its client id, so keep the base and the task count once messages flow.",
    })
    .define({
      name: 'mqtt.clean.session.enabled',
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      group: 'Connection',
      documentation:
        'Whether the broker forgets the session when the client disconnects. Set it to false for at-least-once delivery: the broker then keeps the subscriptions and every unacknowledged QoS 1 and 2 message for the client id.',
    })
    .define({
      name: 'mqtt.session.expiry.interval.seconds',
      type: 'LONG',
      defaultValue: 4294967295,
      validator: Validators.between(0, 4294967295),
      importance: 'LOW',
      group: 'Connection',
      documentation:
        "tsconnect's: with MQTT 5 and `mqtt.clean.session.enabled=false`, how long the broker keeps the session after a disconnect (4294967295, the default, is for ever). MQTT 5 ends a session with its connection unless this is set, so it is what makes the session persistent.",
    })
    .define({
      name: 'mqtt.connect.timeout.seconds',
      type: 'INT',
      defaultValue: 30,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: 'Connection',
      documentation: 'How long to wait for the broker to accept a connection.',
    })
    .define({
      name: 'mqtt.keepalive.interval.seconds',
      type: 'INT',
      defaultValue: 60,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: 'Connection',
      documentation: 'The keep-alive interval: a silent connection is checked with a ping this often.',
    })
    .define({
      name: 'mqtt.protocol.version',
      type: 'STRING',
      defaultValue: '5',
      validator: Validators.in('3.1.1', '5'),
      importance: 'LOW',
      group: 'Connection',
      documentation:
        "tsconnect's: the MQTT protocol version, `5` or `3.1.1`. Only MQTT 5 carries message properties (user properties, content type, ...).",
    })
    .define({
      name: 'mqtt.ssl.ca.file',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      group: 'Security',
      documentation: "tsconnect's: a PEM file of the certificate authorities to trust, for `ssl://` brokers.",
    })
    .define({
      name: 'mqtt.ssl.cert.file',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      group: 'Security',
      documentation: "tsconnect's: a PEM file with the client's certificate, for mutual TLS.",
    })
    .define({
      name: 'mqtt.ssl.key.file',
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      group: 'Security',
      documentation: "tsconnect's: a PEM file with the client's private key, for mutual TLS.",
    })
}

const QOS = Validators.between(0, 2)

/** The source connector's keys. */
export const SOURCE_CONFIG: ConfigDef = connectionKeys(new ConfigDef())
  .define({
    name: 'mqtt.topics',
    type: 'LIST',
    validator: Validators.nonEmptyList(),
    importance: 'HIGH',
    group: 'Source',
    documentation:
      'The topic filters to subscribe to; `+` and `#` wildcards and `$share/<group>/<filter>` shared subscriptions work. With several tasks, the filters are dealt out among them.',
  })
  .define({
    name: 'kafka.topic',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    group: 'Source',
    documentation: 'The Kafka topic to write the messages to (RegexRouter can route them further).',
  })
  .define({
    name: 'mqtt.qos',
    type: 'INT',
    defaultValue: 0,
    validator: QOS,
    importance: 'MEDIUM',
    group: 'Source',
    documentation:
      'The subscription QoS: 0 (at most once), 1 or 2. With 1 or 2 a message is acknowledged to the broker only after Kafka has its record.',
  })
  .define({
    name: 'mqtt.records.max.per.poll',
    type: 'INT',
    defaultValue: 1000,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: 'Source',
    documentation: "tsconnect's: the most records one poll hands to the worker.",
  })
  .define({
    name: 'mqtt.poll.timeout.ms',
    type: 'LONG',
    defaultValue: 1000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    group: 'Source',
    documentation: "tsconnect's: how long a poll waits for a first message before it answers none.",
  })

/** The sink connector's keys. */
export const SINK_CONFIG: ConfigDef = connectionKeys(new ConfigDef())
  .define({
    name: 'mqtt.qos',
    type: 'INT',
    defaultValue: 0,
    validator: QOS,
    importance: 'MEDIUM',
    group: 'Sink',
    documentation:
      'The QoS to publish with. With 1 or 2, offsets are committed only for messages the broker acknowledged (at least once); 0 is at most once.',
  })
  .define({
    name: 'mqtt.retain.enabled',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: 'Sink',
    documentation: 'Whether messages are published with the retain flag. A tombstone then clears the retained message.',
  })
  .define({
    name: 'mqtt.topic',
    type: 'STRING',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own template syntax
    defaultValue: '${topic}',
    validator: Validators.nonEmptyString(),
    importance: 'MEDIUM',
    group: 'Sink',
    documentation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own template syntax
      "tsconnect's: the MQTT topic to publish to, a template: `${topic}` (the record's topic, the default, as Confluent's sink does), `${partition}`, `${offset}`, `${key}` (the key as text) and `${header.<name>}`.",
  })
  .define({
    name: 'mqtt.headers.as.user.properties',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: 'Sink',
    documentation: "tsconnect's: with MQTT 5, publish each record header as a user property of the same name.",
  })

/** What both tasks read from their config to connect. */
export interface ConnectionSettings {
  readonly urls: readonly string[]
  readonly options: IClientOptions
}

/** A broker URI in Paho's spelling (tcp://, ssl://) as mqtt.js spells it (mqtt://, mqtts://). */
export function brokerUrl(uri: string): string {
  const m = /^([a-z]+):\/\/(.+)$/i.exec(uri.trim())
  if (m === null)
    throw new ConfigError(
      `Invalid value ${uri} for configuration mqtt.server.uri: expected scheme://host:port`,
      'mqtt.server.uri',
    )
  const scheme = (m[1] as string).toLowerCase()
  const mapped = { tcp: 'mqtt', mqtt: 'mqtt', ssl: 'mqtts', mqtts: 'mqtts', ws: 'ws', wss: 'wss' }[scheme]
  if (mapped === undefined) {
    throw new ConfigError(
      `Invalid value ${uri} for configuration mqtt.server.uri: unknown scheme ${scheme}`,
      'mqtt.server.uri',
    )
  }
  return `${mapped}://${m[2]}`
}

function readPem(config: AbstractConfig, key: string): Buffer | undefined {
  const path = config.getString(key) ?? ''
  return path === '' ? undefined : readFileSync(path)
}

/** The client options of one task, whose client id the connector chose. */
export function connectionSettings(config: AbstractConfig, clientId: string): ConnectionSettings {
  const urls = (config.getList('mqtt.server.uri') ?? []).map(brokerUrl)
  const username = config.getString('mqtt.username') ?? ''
  const password = config.getPassword('mqtt.password')?.value() ?? ''
  const ca = readPem(config, 'mqtt.ssl.ca.file')
  const cert = readPem(config, 'mqtt.ssl.cert.file')
  const key = readPem(config, 'mqtt.ssl.key.file')
  const clean = config.getBoolean('mqtt.clean.session.enabled') ?? true
  const protocolVersion = config.getString('mqtt.protocol.version') === '3.1.1' ? 4 : 5
  const options: IClientOptions = {
    clientId,
    clean,
    connectTimeout: (config.getInt('mqtt.connect.timeout.seconds') ?? 30) * 1000,
    keepalive: config.getInt('mqtt.keepalive.interval.seconds') ?? 60,
    protocolVersion,
    ...(protocolVersion === 5 && !clean
      ? { properties: { sessionExpiryInterval: config.getLong('mqtt.session.expiry.interval.seconds') ?? 4294967295 } }
      : {}),
    reconnectPeriod: 1000,
    ...(username === '' ? {} : { username }),
    ...(password === '' ? {} : { password }),
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  }
  if (urls.length > 1) {
    options.servers = urls.map((u) => {
      const url = new URL(u)
      return { host: url.hostname, port: Number(url.port || 1883), protocol: url.protocol.replace(':', '') as 'mqtt' }
    })
  }
  return { urls, options }
}

/** The task config key with the client id the connector chose for the task. */
export const TASK_CLIENT_ID = 'tsconnect.mqtt.task.client.id'

/** The client id of task `index`: the configured base, else the connector's name. */
export function taskClientId(props: Readonly<Record<string, string>>, index: number): string {
  const base = props['mqtt.client.id'] || props.name || 'tsconnect-mqtt'
  return `${base}-${index}`
}

/** Parses a config with one of the definitions above (throws ConfigError naming the key). */
export function parse(def: ConfigDef, props: Readonly<Record<string, string>>): AbstractConfig {
  return new AbstractConfig(def, props)
}
