/**
 * RabbitMQSourceConnector (Confluent's io.confluent.connect.rabbitmq.RabbitMQSourceConnector, and jcustenborder's
 * com.github.jcustenborder.kafka.connect.rabbitmq.RabbitMQSourceConnector with its struct records): consumes queues
 * with manual acknowledgement and writes each message to `kafka.topic` (record shapes: message-record.ts).
 *
 * Delivery: at least once. A message is acknowledged (basic.ack) only once the worker reports its record
 * acknowledged by Kafka (commitRecord). What a task had not acknowledged when it died, killed with -9 or cut off,
 * RabbitMQ puts back in the queue and delivers again (redelivered=true): nothing is lost, some records repeat.
 * `rabbitmq.prefetch.count` bounds how many unacknowledged messages a consumer holds.
 *
 * A delivery tag belongs to its channel: an acknowledgement for a channel that has closed is dropped (the message
 * comes back anyway), never sent on a new channel, where the same tag names another message.
 */
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib'
import {
  type ConfigDef,
  ConfigError,
  type RecordMetadata,
  RetriableError,
  SourceConnector,
  type SourceRecord,
  SourceTask,
} from 'tsconnect'
import { connectionSettings, parse, sourceConfig } from './config.ts'
import { messageRecord } from './message-record.ts'

const VERSION = '0.1.0'

/** Confluent's connector: records are the message bodies by default. */
export class RabbitMQSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return sourceConfig('bytes')
  }

  start(props: Readonly<Record<string, string>>): void {
    parse(this.config(), props)
    this.#props = props
  }

  taskClass() {
    return RabbitMQSourceTask
  }

  /** Every task consumes every queue: RabbitMQ deals a queue's messages out among its consumers. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    const format = parse(this.config(), this.#props).getString('rabbitmq.record.format') ?? 'bytes'
    return Array.from({ length: maxTasks }, () => ({ ...this.#props, 'rabbitmq.record.format': format }))
  }

  stop(): void {}
}

/** jcustenborder's connector: the same, with his struct records by default. */
export class JcustenborderRabbitMQSourceConnector extends RabbitMQSourceConnector {
  override config(): ConfigDef {
    return sourceConfig('struct')
  }
}

/** A message waiting for its record to be committed, and the channel its delivery tag belongs to. */
interface Delivery {
  readonly channel: Channel
  readonly message: ConsumeMessage
}

/** The task: one connection, one channel, one consumer per queue. */
export class RabbitMQSourceTask extends SourceTask {
  #props: Readonly<Record<string, string>> = {}
  #connection: ChannelModel | null = null
  #channel: Channel | null = null
  #kafkaTopic = ''
  #format: 'bytes' | 'struct' = 'bytes'
  #pollTimeoutMs = 1000
  #maxPerPoll = 1000
  #buffer: SourceRecord[] = []
  #deliveries = new Map<SourceRecord, Delivery>()
  #wake: (() => void) | null = null
  #stopped = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = parse(sourceConfig('bytes'), props)
    this.#props = props
    this.#kafkaTopic = config.getString('kafka.topic') ?? ''
    this.#format = config.getString('rabbitmq.record.format') === 'struct' ? 'struct' : 'bytes'
    this.#pollTimeoutMs = config.getLong('rabbitmq.poll.timeout.ms') ?? 1000
    this.#maxPerPoll = config.getInt('rabbitmq.records.max.per.poll') ?? 1000
    await this.#connect()
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#channel === null && !this.#stopped) {
      try {
        await this.#connect()
      } catch (error) {
        await this.#sleep(1000) // the worker polls again at once: don't spin while the broker is away
        throw new RetriableError(`reconnecting to RabbitMQ failed: ${String(error)}`, { cause: error })
      }
    }
    if (this.#buffer.length === 0 && !this.#stopped) await this.#sleep(this.#pollTimeoutMs)
    if (this.#buffer.length === 0) return null
    return this.#buffer.splice(0, this.#maxPerPoll)
  }

  override commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    const delivery = this.#deliveries.get(record)
    if (delivery === undefined) return
    this.#deliveries.delete(record)
    // A closed channel's tags mean nothing on the next one; RabbitMQ requeued those messages itself.
    if (delivery.channel === this.#channel) delivery.channel.ack(delivery.message)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#wake?.()
    const connection = this.#connection
    const channel = this.#channel
    if (connection === null) return
    // Stop deliveries first; the worker still reports records in flight after stop(), so give their
    // acknowledgements a moment to go out before the connection closes (fewer duplicates for the next task).
    if (channel !== null) {
      await Promise.all([...this.#consumerTags].map((tag) => channel.cancel(tag).catch(() => undefined)))
      const deadline = Date.now() + 5000
      // Records still buffered were never handed out: RabbitMQ requeues those on close.
      while (this.#deliveries.size > this.#buffer.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
    }
    this.#channel = null
    this.#connection = null
    await connection.close().catch(() => undefined)
  }

  #consumerTags = new Set<string>()

  async #connect(): Promise<void> {
    const config = parse(sourceConfig('bytes'), this.#props)
    const settings = connectionSettings(config)
    const connection = await amqp.connect(settings.url, settings.socket)
    const forget = () => {
      if (this.#connection === connection) {
        this.#connection = null
        this.#channel = null
      }
    }
    connection.on('error', () => {}) // 'close' follows
    connection.on('close', forget)
    try {
      const channel = await connection.createChannel()
      channel.on('error', () => {})
      channel.on('close', forget)
      const queues = config.getList('rabbitmq.queue') ?? []
      for (const queue of queues) {
        try {
          await channel.checkQueue(queue)
        } catch (error) {
          throw new ConfigError(
            `Invalid value ${queue} for configuration rabbitmq.queue: the queue does not exist (${String(error)})`,
            'rabbitmq.queue',
          )
        }
      }
      await channel.prefetch(
        config.getInt('rabbitmq.prefetch.count') ?? 0,
        config.getBoolean('rabbitmq.prefetch.global') ?? false,
      )
      this.#connection = connection
      this.#channel = channel
      this.#consumerTags.clear()
      for (const queue of queues) {
        const { consumerTag } = await channel.consume(queue, (message) => {
          if (message !== null) this.#arrived(channel, message)
        })
        this.#consumerTags.add(consumerTag)
      }
    } catch (error) {
      await connection.close().catch(() => undefined)
      throw error
    }
  }

  #arrived(channel: Channel, message: ConsumeMessage): void {
    const record = messageRecord(message, this.#kafkaTopic, this.#format, Date.now())
    this.#deliveries.set(record, { channel, message })
    this.#buffer.push(record)
    this.#wake?.()
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null
        resolve()
      }, ms)
      this.#wake = () => {
        clearTimeout(timer)
        this.#wake = null
        resolve()
      }
    })
  }
}
