/**
 * MqttSinkConnector (Confluent's io.confluent.connect.mqtt.MqttSinkConnector, its keys): publishes each record's
 * value to an MQTT topic, by default the record's Kafka topic (`mqtt.topic` is a template: publish-template.ts),
 * with `mqtt.qos` and `mqtt.retain.enabled`. With MQTT 5 the record's headers go along as user properties.
 *
 * Delivery: with QoS 1 or 2, at least once. put() publishes; preCommit (flush) waits until the broker acknowledged
 * every message published so far (PUBACK, or PUBCOMP for QoS 2), and an error there fails the commit, so the worker
 * commits offsets only for records the broker has. A task killed in between is replaced by one that publishes the
 * uncommitted records again (duplicates). With QoS 0, flush waits only until the messages are written to the socket.
 */
import type { IClientPublishOptions, MqttClient } from 'mqtt'
import {
  type ConfigDef,
  payloadOf,
  RecordTemplate,
  RetriableError,
  SinkConnector,
  type SinkRecord,
  SinkTask,
  type TopicPartitionOffset,
  valueText,
} from 'tsconnect'
import { connectClient, endClient, newClient } from './client.ts'
import { connectionSettings, parse, SINK_CONFIG, TASK_CLIENT_ID, taskClientId } from './config.ts'

const VERSION = '0.1.0'

/** How many QoS 1 and 2 publishes may wait for their acknowledgement; Mosquitto's default receive maximum is 20. */
const MAX_IN_FLIGHT = 16

/** The connector: every task publishes whatever the worker gives it. */
export class MqttSinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return SINK_CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    RecordTemplate.parse(parse(SINK_CONFIG, props).getString('mqtt.topic') ?? '', 'mqtt.topic')
    this.#props = props
  }

  taskClass() {
    return MqttSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, (_, i) => ({
      ...this.#props,
      [TASK_CLIENT_ID]: taskClientId(this.#props, i),
    }))
  }

  stop(): void {}
}

/** The task: publishes in put(), waits for the acknowledgements in flush(). */
export class MqttSinkTask extends SinkTask {
  #client: MqttClient | null = null
  #template: RecordTemplate | null = null
  #options: IClientPublishOptions = { qos: 0 }
  #userProperties = true
  #inFlight = new Set<Promise<void>>()
  #failure: Error | null = null

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = parse(SINK_CONFIG, props)
    this.#template = RecordTemplate.parse(config.getString('mqtt.topic') ?? '', 'mqtt.topic')
    this.#options = {
      qos: (config.getInt('mqtt.qos') ?? 0) as 0 | 1 | 2,
      retain: config.getBoolean('mqtt.retain.enabled') ?? false,
    }
    const settings = connectionSettings(config, props[TASK_CLIENT_ID] || taskClientId(props, 0))
    this.#userProperties =
      (config.getBoolean('mqtt.headers.as.user.properties') ?? true) && settings.options.protocolVersion === 5
    const client = newClient(settings)
    client.on('error', () => {}) // reconnects are mqtt.js's; publishes wait for them
    this.#client = client
    await connectClient(client, settings.options.connectTimeout ?? 30_000)
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const client = this.#client
    const template = this.#template
    if (client === null || template === null) return
    for (const record of records) {
      if ((this.#options.qos ?? 0) > 0) {
        while (this.#inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.#inFlight)
      }
      const options: IClientPublishOptions = { ...this.#options }
      if (this.#userProperties && !record.headers.isEmpty()) {
        const userProperties: Record<string, string[]> = {}
        for (const h of record.headers) {
          const values = userProperties[h.key] ?? []
          values.push(valueText(h.value))
          userProperties[h.key] = values
        }
        options.properties = { userProperties }
      }
      const publishing: Promise<void> = client
        .publishAsync(template.render(record), payloadOf(record.value), options)
        .then(
          () => {
            this.#inFlight.delete(publishing)
          },
          (error: unknown) => {
            this.#inFlight.delete(publishing)
            this.#failure ??= error instanceof Error ? error : new Error(String(error))
          },
        )
      this.#inFlight.add(publishing)
    }
  }

  override async flush(_offsets: readonly TopicPartitionOffset[]): Promise<void> {
    await Promise.all(this.#inFlight)
    const failure = this.#failure
    if (failure !== null) {
      this.#failure = null
      throw new RetriableError(`publishing to the MQTT broker failed: ${failure.message}`, { cause: failure })
    }
  }

  async stop(): Promise<void> {
    const client = this.#client
    this.#client = null
    if (client !== null) await endClient(client)
  }
}
