/**
 * RabbitMQSinkConnector (Confluent's io.confluent.connect.rabbitmq.sink.RabbitMQSinkConnector, its keys): publishes
 * each record's value to `rabbitmq.exchange` with the routing key of `rabbitmq.routing.key` (a template beyond
 * Confluent's fixed string), through a channel in confirm mode.
 *
 * Delivery: at least once. The sink's preCommit waits (up to `rabbitmq.publish.ack.timeout`) for the broker's
 * publisher confirms and hands the worker, per partition, only the offset after the last record whose message and
 * every earlier one were confirmed: offsets are committed only for confirmed messages. A message the broker refused
 * (basic.nack), or a channel that closed with messages unconfirmed, fails the commit, and the worker gives the
 * records again from the last committed offsets. A task killed with -9 is replaced by one that publishes the
 * uncommitted records again (duplicates).
 */
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib'
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
import { connectionSettings, parse, SINK_CONFIG } from './config.ts'

const VERSION = '0.1.0'

/** The connector: every task publishes whatever the worker gives it. */
export class RabbitMQSinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return SINK_CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    RecordTemplate.parse(parse(SINK_CONFIG, props).getString('rabbitmq.routing.key') ?? '', 'rabbitmq.routing.key')
    this.#props = props
  }

  taskClass() {
    return RabbitMQSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}
}

/** A published record, until its confirm. */
interface Pending {
  readonly offset: number
  state: 'waiting' | 'confirmed' | 'refused'
}

/** The task: publishes in put(), commits confirmed prefixes in preCommit(). */
export class RabbitMQSinkTask extends SinkTask {
  #props: Readonly<Record<string, string>> = {}
  #connection: ChannelModel | null = null
  #channel: ConfirmChannel | null = null
  #exchange = ''
  #routingKey: RecordTemplate | null = null
  #persistent = true
  #forwardKey = false
  #forwardMetadata = false
  #forwardHeaders = false
  #ackTimeoutMs = 10000
  /** Published records per partition ("topic/partition"), oldest first, until a commit passes them. */
  #pending = new Map<string, Pending[]>()
  #confirms = new Set<Promise<void>>()
  #lost = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = parse(SINK_CONFIG, props)
    this.#props = props
    this.#exchange = config.getString('rabbitmq.exchange') ?? ''
    this.#routingKey = RecordTemplate.parse(config.getString('rabbitmq.routing.key') ?? '', 'rabbitmq.routing.key')
    this.#persistent = config.getString('rabbitmq.delivery.mode') !== 'TRANSIENT'
    this.#forwardKey = config.getBoolean('rabbitmq.forward.kafka.key') ?? false
    this.#forwardMetadata = config.getBoolean('rabbitmq.forward.kafka.metadata') ?? false
    this.#forwardHeaders = config.getBoolean('rabbitmq.forward.kafka.headers') ?? false
    this.#ackTimeoutMs = config.getInt('rabbitmq.publish.ack.timeout') ?? 10000
    await this.#connect()
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (this.#lost) throw new RetriableError('the RabbitMQ channel closed with messages unconfirmed')
    if (this.#channel === null) {
      try {
        await this.#connect()
      } catch (error) {
        throw new RetriableError(`reconnecting to RabbitMQ failed: ${String(error)}`, { cause: error })
      }
    }
    const channel = this.#channel as ConfirmChannel
    const routingKey = this.#routingKey as RecordTemplate
    for (const record of records) {
      const pending: Pending = { offset: record.kafkaOffset, state: 'waiting' }
      const key = `${record.topic}/${record.kafkaPartition}`
      const list = this.#pending.get(key) ?? []
      list.push(pending)
      this.#pending.set(key, list)
      let confirmed: () => void = () => {}
      const confirm = new Promise<void>((resolve) => {
        confirmed = resolve
      })
      this.#confirms.add(confirm)
      const written = channel.publish(
        this.#exchange,
        routingKey.render(record),
        payloadOf(record.value),
        this.#options(record),
        (error) => {
          pending.state = error === null || error === undefined ? 'confirmed' : 'refused'
          this.#confirms.delete(confirm)
          confirmed()
        },
      )
      // The socket's buffer is full: wait until it drains before publishing more.
      if (!written) await new Promise<void>((resolve) => channel.once('drain', () => resolve()))
    }
  }

  override async preCommit(currentOffsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(this.#confirms),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#ackTimeoutMs)
      }),
    ])
    clearTimeout(timer)
    const committable: TopicPartitionOffset[] = []
    for (const current of currentOffsets) {
      const key = `${current.topic}/${current.partition}`
      const list = this.#pending.get(key) ?? []
      let confirmedUpTo = 0
      while (confirmedUpTo < list.length && (list[confirmedUpTo] as Pending).state === 'confirmed') confirmedUpTo++
      const first = list[confirmedUpTo]
      if (first?.state === 'refused' || (first !== undefined && this.#lost)) {
        this.#pending.clear()
        this.#lost = false
        throw new RetriableError(`RabbitMQ did not confirm the message of ${key} offset ${first.offset}`)
      }
      if (first === undefined) committable.push(current)
      else if (confirmedUpTo > 0)
        committable.push({ ...current, offset: (list[confirmedUpTo - 1] as Pending).offset + 1 })
      list.splice(0, confirmedUpTo)
    }
    return committable
  }

  override close(partitions: readonly { topic: string; partition: number }[]): void {
    for (const p of partitions) this.#pending.delete(`${p.topic}/${p.partition}`)
  }

  async stop(): Promise<void> {
    const connection = this.#connection
    this.#connection = null
    this.#channel = null
    if (connection !== null) await connection.close().catch(() => undefined)
  }

  #options(record: SinkRecord): Options.Publish {
    const headers: Record<string, unknown> = {}
    if (this.#forwardHeaders) for (const h of record.headers) headers[h.key] = valueText(h.value)
    if (this.#forwardMetadata) {
      headers.KAFKA_TOPIC = record.topic
      headers.KAFKA_PARTITION = record.kafkaPartition
      headers.KAFKA_OFFSET = record.kafkaOffset
      if (record.timestamp !== null) headers.KAFKA_TIMESTAMP = record.timestamp
    }
    return {
      persistent: this.#persistent,
      headers,
      ...(this.#forwardKey && record.key !== null ? { correlationId: valueText(record.key) } : {}),
    }
  }

  async #connect(): Promise<void> {
    const settings = connectionSettings(parse(SINK_CONFIG, this.#props))
    const connection = await amqp.connect(settings.url, settings.socket)
    const forget = () => {
      if (this.#connection !== connection) return
      this.#connection = null
      this.#channel = null
      // Messages published on the closed channel will never be confirmed: the next commit rewinds.
      if (this.#confirms.size > 0 || [...this.#pending.values()].some((l) => l.some((p) => p.state === 'waiting'))) {
        this.#lost = true
      }
    }
    connection.on('error', () => {})
    connection.on('close', forget)
    try {
      const channel = await connection.createConfirmChannel()
      channel.on('error', () => {})
      channel.on('close', forget)
      await channel.checkExchange(this.#exchange === '' ? 'amq.direct' : this.#exchange)
      this.#connection = connection
      this.#channel = channel
    } catch (error) {
      await connection.close().catch(() => undefined)
      throw error
    }
  }
}
