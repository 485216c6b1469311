/**
 * MqttSourceConnector (Confluent's io.confluent.connect.mqtt.MqttSourceConnector, its keys): subscribes to MQTT
 * topic filters and writes each message to `kafka.topic`, keyed by its MQTT topic (record shape: message-record.ts).
 *
 * Delivery: with `mqtt.qos` 1 or 2 and `mqtt.clean.session.enabled=false`, at least once. The task holds each
 * message's acknowledgement until the worker reports its record acknowledged by Kafka (commitRecord; held-acks.ts),
 * and the broker keeps whatever was not acknowledged in the client's persistent session: a task killed with -9
 * loses nothing, and what it had not yet acknowledged arrives again (duplicates). With QoS 0, or a clean session,
 * messages sent while no task is connected are lost (at most once), as MQTT defines.
 *
 * mqtt.js acknowledges a message as soon as its handler returns, and handles incoming packets one at a time, so
 * delaying the handler would stall the connection (pings included). Instead the task captures messages as they
 * arrive (the client's `packetreceive` event) and holds back the PUBACK or PUBREC packet the client then sends,
 * through the one method every outgoing packet passes (`_sendPacket`).
 */
import type { IPublishPacket, MqttClient, Packet } from 'mqtt'
import {
  type ConfigDef,
  ConfigError,
  ConnectError,
  type RecordMetadata,
  SourceConnector,
  type SourceRecord,
  SourceTask,
} from 'tsconnect'
import { connectClient, endClient, newClient } from './client.ts'
import { connectionSettings, parse, SOURCE_CONFIG, TASK_CLIENT_ID, taskClientId } from './config.ts'
import { type HeldAck, HeldAcks } from './held-acks.ts'
import { messageRecord } from './message-record.ts'

const VERSION = '0.1.0'

/** The connector: deals the topic filters out among at most tasks.max tasks. */
export class MqttSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return SOURCE_CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    parse(SOURCE_CONFIG, props)
    this.#props = props
  }

  taskClass() {
    return MqttSourceTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    const filters = parse(SOURCE_CONFIG, this.#props).getList('mqtt.topics') ?? []
    const count = Math.max(1, Math.min(maxTasks, filters.length))
    return Array.from({ length: count }, (_, i) => ({
      ...this.#props,
      'mqtt.topics': filters.filter((_, j) => j % count === i).join(','),
      [TASK_CLIENT_ID]: taskClientId(this.#props, i),
    }))
  }

  stop(): void {}
}

/** The part of mqtt.js's client the task reaches into: the method every outgoing packet passes. */
interface PacketSender {
  _sendPacket(packet: Packet, cb?: (error?: Error) => void, cbStorePut?: () => void, noStore?: boolean): void
}

/** The task: one client, one persistent session per client id. */
export class MqttSourceTask extends SourceTask {
  #client: MqttClient | null = null
  #kafkaTopic = ''
  #maxPerPoll = 1000
  #pollTimeoutMs = 1000
  #buffer: SourceRecord[] = []
  #acks = new HeldAcks()
  #held = new Map<SourceRecord, HeldAck>()
  #wake: (() => void) | null = null
  #failure: Error | null = null
  #stopped = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = parse(SOURCE_CONFIG, props)
    this.#kafkaTopic = config.getString('kafka.topic') ?? ''
    this.#maxPerPoll = config.getInt('mqtt.records.max.per.poll') ?? 1000
    this.#pollTimeoutMs = config.getLong('mqtt.poll.timeout.ms') ?? 1000
    const filters = config.getList('mqtt.topics') ?? []
    const qos = (config.getInt('mqtt.qos') ?? 0) as 0 | 1 | 2
    const settings = connectionSettings(config, props[TASK_CLIENT_ID] || taskClientId(props, 0))
    const client = newClient(settings)
    this.#client = client
    this.#holdAcknowledgements(client)
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'publish') this.#arrived(packet)
    })
    // Whatever is held is never sent on a later connection (held-acks.ts); the broker sends those messages again.
    client.on('close', () => this.#acks.reset())
    client.on('error', () => {}) // reconnects are mqtt.js's; a failed first connect is reported by connectClient
    await connectClient(client, settings.options.connectTimeout ?? 30_000)
    const granted = await client.subscribeAsync([...filters], { qos })
    const refused = granted.filter((g) => g.qos === 128)
    if (refused.length > 0) {
      throw new ConfigError(
        `the MQTT broker refused the subscriptions ${refused.map((g) => g.topic).join(', ')}`,
        'mqtt.topics',
      )
    }
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#failure !== null) throw this.#failure
    if (this.#buffer.length === 0 && !this.#stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#wake = null
          resolve()
        }, this.#pollTimeoutMs)
        this.#wake = () => {
          clearTimeout(timer)
          this.#wake = null
          resolve()
        }
      })
    }
    if (this.#buffer.length === 0) return null
    return this.#buffer.splice(0, this.#maxPerPoll)
  }

  override commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    const held = this.#held.get(record)
    if (held === undefined) return
    this.#held.delete(record)
    this.#acks.commit(held)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#wake?.()
    const client = this.#client
    if (client === null) return
    this.#client = null
    // The worker still tells of records in flight after stop() (it drains before it commits): let their
    // acknowledgements go out first, for a while, so that the next task receives fewer duplicates.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.#acks.drained(), new Promise((r) => (timer = setTimeout(r, 5000)))])
    clearTimeout(timer)
    await endClient(client)
  }

  #arrived(packet: IPublishPacket): void {
    const record = messageRecord(packet, this.#kafkaTopic, Date.now())
    if (packet.qos > 0 && packet.messageId !== undefined) this.#held.set(record, this.#acks.hold(packet.messageId))
    this.#buffer.push(record)
    this.#wake?.()
  }

  #holdAcknowledgements(client: MqttClient): void {
    const sender = client as unknown as PacketSender
    const send = sender._sendPacket.bind(client)
    if (typeof send !== 'function') {
      this.#failure = new ConnectError('UNKNOWN', 'this mqtt.js has no _sendPacket: acknowledgements cannot be held')
      return
    }
    sender._sendPacket = (packet, cb, cbStorePut, noStore) => {
      if ((packet.cmd === 'puback' || packet.cmd === 'pubrec') && packet.messageId !== undefined) {
        if (this.#acks.offer(packet.messageId, () => send(packet, undefined, cbStorePut, noStore))) {
          // mqtt.js takes the next packet only once this one is "sent": let it go on at once.
          cb?.()
          return
        }
      }
      send(packet, cb, cbStorePut, noStore)
    }
  }
}
