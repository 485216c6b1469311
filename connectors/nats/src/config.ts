/**
 * The NATS connectors' keys. No NATS connector is the de-facto one in Kafka Connect (nats-io/nats-kafka is a Go
 * bridge, not a Connect plugin), so the keys are tsconnect's, under `nats.*`, with the names of nats-kafka's
 * settings where it has one (subject, queue name, durable name, key type and value, topic).
 */

import type { ConnectionOptions } from '@nats-io/transport-node'
import { AbstractConfig, ConfigDef, Validators } from 'tsconnect'

function connectionKeys(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: 'nats.servers',
      type: 'LIST',
      validator: Validators.nonEmptyList(),
      importance: 'HIGH',
      group: 'Connection',
      documentation: 'The NATS servers to connect to, e.g. `nats://nats:4222` (`tls://` for TLS).',
    })
    .define({
      name: 'nats.username',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      group: 'Connection',
      documentation: 'The user name to connect with, or blank for none.',
    })
    .define({
      name: 'nats.password',
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'MEDIUM',
      group: 'Connection',
      documentation: 'The password to connect with, or blank for none.',
    })
    .define({
      name: 'nats.token',
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'MEDIUM',
      group: 'Connection',
      documentation: 'An authentication token, or blank for none.',
    })
    .define({
      name: 'nats.connect.timeout.ms',
      type: 'INT',
      defaultValue: 20000,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: 'Connection',
      documentation: 'How long to wait for the first connection.',
    })
}

/** The source connector's keys. */
export const SOURCE_CONFIG: ConfigDef = connectionKeys(new ConfigDef())
  .define({
    name: 'kafka.topic',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    group: 'Source',
    documentation: 'The Kafka topic to write the messages to.',
  })
  .define({
    name: 'nats.subject',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    group: 'Source',
    documentation:
      "The subject to read, wildcards (`*`, `>`) allowed. Core NATS: the subject subscribed to (required). JetStream: the durable consumer's filter subject; blank reads the whole stream.",
  })
  .define({
    name: 'nats.stream',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    group: 'Source',
    documentation:
      'The JetStream stream to read through a durable consumer (at least once). Blank reads core NATS subjects instead (at most once: core NATS keeps nothing).',
  })
  .define({
    name: 'nats.durable.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Source',
    documentation:
      "JetStream: the durable pull consumer's name, created if it does not exist; blank means the connector's name. Its acknowledged position is what a restarted task resumes from.",
  })
  .define({
    name: 'nats.deliver.policy',
    type: 'STRING',
    defaultValue: 'all',
    validator: Validators.in('all', 'new', 'last'),
    importance: 'LOW',
    group: 'Source',
    documentation:
      'JetStream: where a newly created durable consumer starts: every message kept, only new ones, or the last.',
  })
  .define({
    name: 'nats.ack.wait.ms',
    type: 'LONG',
    defaultValue: 30000,
    validator: Validators.atLeast(1000),
    importance: 'LOW',
    group: 'Source',
    documentation:
      'JetStream: how long the server waits for an acknowledgement before it delivers a message again, e.g. to the task that took over from a dead one.',
  })
  .define({
    name: 'nats.max.ack.pending',
    type: 'INT',
    defaultValue: 1000,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: 'Source',
    documentation: 'JetStream: the most messages delivered and not yet acknowledged (Kafka has not their records yet).',
  })
  .define({
    name: 'nats.queue.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: 'Source',
    documentation:
      "Core NATS: the queue group the tasks subscribe in (each message to one task); blank means the connector's name.",
  })
  .define({
    name: 'nats.key.type',
    type: 'STRING',
    defaultValue: 'subject',
    validator: Validators.in('none', 'fixed', 'subject', 'reply'),
    importance: 'LOW',
    group: 'Source',
    documentation:
      "The record key, as nats-kafka's keytype: none, fixed (`nats.key.value`), the subject or the reply subject.",
  })
  .define({
    name: 'nats.key.value',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: 'Source',
    documentation: 'The key with `nats.key.type=fixed`.',
  })
  .define({
    name: 'nats.poll.timeout.ms',
    type: 'LONG',
    defaultValue: 1000,
    validator: Validators.atLeast(1000),
    importance: 'LOW',
    group: 'Source',
    documentation: 'How long a poll waits for messages before it answers none.',
  })
  .define({
    name: 'nats.records.max.per.poll',
    type: 'INT',
    defaultValue: 500,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: 'Source',
    documentation: 'The most records one poll hands to the worker.',
  })

/** The sink connector's keys. */
export const SINK_CONFIG: ConfigDef = connectionKeys(new ConfigDef())
  .define({
    name: 'nats.subject',
    type: 'STRING',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own template syntax
    defaultValue: '${topic}',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    group: 'Sink',
    documentation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own template syntax
      'The subject to publish to, a template: `${topic}` (the default), `${partition}`, `${offset}`, `${key}`, `${header.<name>}`.',
  })
  .define({
    name: 'nats.jetstream.enabled',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'HIGH',
    group: 'Sink',
    documentation:
      "Publish through JetStream: each message waits for the stream's acknowledgement and carries the message id `<topic>-<partition>-<offset>` (`Nats-Msg-Id`), so the stream drops a record published again within its duplicate window. False publishes on core NATS (at most once).",
  })
  .define({
    name: 'nats.headers.enabled',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: 'Sink',
    documentation: "Whether the record's headers are published as NATS headers (values as text).",
  })
  .define({
    name: 'nats.publish.max.in.flight',
    type: 'INT',
    defaultValue: 256,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: 'Sink',
    documentation: 'JetStream: the most publishes waiting for their acknowledgement.',
  })

/** Parses a config with one of the definitions above (throws ConfigError naming the key). */
export function parse(def: ConfigDef, props: Readonly<Record<string, string>>): AbstractConfig {
  return new AbstractConfig(def, props)
}

/** The connection options of a config. */
export function connectionOptions(config: AbstractConfig, name: string): ConnectionOptions {
  const user = config.getString('nats.username') ?? ''
  const pass = config.getPassword('nats.password')?.value() ?? ''
  const token = config.getPassword('nats.token')?.value() ?? ''
  return {
    servers: [...(config.getList('nats.servers') ?? [])],
    name,
    timeout: config.getInt('nats.connect.timeout.ms') ?? 20000,
    maxReconnectAttempts: -1,
    ...(user === '' ? {} : { user, pass }),
    ...(token === '' ? {} : { token }),
  }
}
