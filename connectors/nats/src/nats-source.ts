/**
 * NatsSourceConnector: NATS messages into a Kafka topic (record shape: message-record.ts).
 *
 * With `nats.stream` set it reads the stream through a durable pull consumer (explicit acks) and acknowledges a
 * message only once the worker reports its record acknowledged by Kafka (commitRecord): at least once. A task killed
 * with -9 leaves its messages unacknowledged; after `nats.ack.wait.ms` the server delivers them again to the task
 * that took over the durable consumer. Without a stream it subscribes to core NATS subjects, in a queue group shared
 * by the tasks: at most once, as core NATS keeps no messages.
 */
import { AckPolicy, type Consumer, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect, type NatsConnection, nanos, type Subscription } from '@nats-io/transport-node'
import {
  type ConfigDef,
  ConfigError,
  type RecordMetadata,
  RetriableError,
  SourceConnector,
  type SourceRecord,
  SourceTask,
} from 'tsconnect'
import { connectionOptions, parse, SOURCE_CONFIG } from './config.ts'
import { coreRecord, jetStreamRecord, type KeyChoice } from './message-record.ts'

const VERSION = '0.1.0'

/** The connector: JetStream takes one task per durable consumer; core NATS shares a queue group among tasks. */
export class NatsSourceConnector extends SourceConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return SOURCE_CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    const config = parse(SOURCE_CONFIG, props)
    if ((config.getString('nats.stream') ?? '') === '' && (config.getString('nats.subject') ?? '') === '') {
      throw new ConfigError('Missing required configuration "nats.subject": core NATS needs a subject', 'nats.subject')
    }
    this.#props = props
  }

  taskClass() {
    return NatsSourceTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    // Several pull requests on one durable consumer would work too; one task keeps acknowledgement order simple.
    const jetStream = (this.#props['nats.stream'] ?? '') !== ''
    return Array.from({ length: jetStream ? 1 : maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}
}

/** The task: fetches from the durable consumer in poll(), or buffers what the core subscription receives. */
export class NatsSourceTask extends SourceTask {
  #nc: NatsConnection | null = null
  #consumer: Consumer | null = null
  #subscription: Subscription | null = null
  #kafkaTopic = ''
  #key: KeyChoice = { type: 'subject', value: '' }
  #pollTimeoutMs = 1000
  #maxPerPoll = 500
  #buffer: SourceRecord[] = []
  #pending = new Map<SourceRecord, JsMsg>()
  #wake: (() => void) | null = null
  #stopped = false

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = parse(SOURCE_CONFIG, props)
    this.#kafkaTopic = config.getString('kafka.topic') ?? ''
    this.#key = {
      type: (config.getString('nats.key.type') ?? 'subject') as KeyChoice['type'],
      value: config.getString('nats.key.value') ?? '',
    }
    this.#pollTimeoutMs = config.getLong('nats.poll.timeout.ms') ?? 1000
    this.#maxPerPoll = config.getInt('nats.records.max.per.poll') ?? 500
    const name = props.name ?? 'tsconnect-nats'
    const nc = await connect(connectionOptions(config, name)).catch((error: unknown) => {
      throw new RetriableError(`connecting to NATS failed: ${String(error)}`, { cause: error })
    })
    this.#nc = nc
    const stream = config.getString('nats.stream') ?? ''
    const subject = config.getString('nats.subject') ?? ''
    if (stream === '') {
      this.#subscription = nc.subscribe(subject, {
        queue: config.getString('nats.queue.name') || name,
        callback: (error, msg) => {
          if (error !== null) return
          this.#buffer.push(coreRecord(msg, this.#kafkaTopic, this.#key, Date.now()))
          this.#wake?.()
        },
      })
      return
    }
    const durable = config.getString('nats.durable.name') || name.replace(/[^A-Za-z0-9_-]/g, '_')
    const jsm = await jetstreamManager(nc)
    const exists = await jsm.consumers.info(stream, durable).then(
      () => true,
      () => false,
    )
    if (!exists) {
      const policy = config.getString('nats.deliver.policy')
      await jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy:
          policy === 'new' ? DeliverPolicy.New : policy === 'last' ? DeliverPolicy.Last : DeliverPolicy.All,
        ack_wait: nanos(config.getLong('nats.ack.wait.ms') ?? 30000),
        max_ack_pending: config.getInt('nats.max.ack.pending') ?? 1000,
        ...(subject === '' ? {} : { filter_subject: subject }),
      })
    }
    this.#consumer = await jetstream(nc).consumers.get(stream, durable)
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#stopped) return null
    const consumer = this.#consumer
    if (consumer === null) {
      if (this.#buffer.length === 0) await this.#sleep(this.#pollTimeoutMs)
      return this.#buffer.length === 0 ? null : this.#buffer.splice(0, this.#maxPerPoll)
    }
    const records: SourceRecord[] = []
    try {
      const messages = await consumer.fetch({ max_messages: this.#maxPerPoll, expires: this.#pollTimeoutMs })
      for await (const msg of messages) {
        const record = jetStreamRecord(msg, this.#kafkaTopic, this.#key)
        this.#pending.set(record, msg)
        records.push(record)
      }
    } catch (error) {
      if (this.#stopped) return records
      throw new RetriableError(`fetching from JetStream failed: ${String(error)}`, { cause: error })
    }
    return records
  }

  override commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    const msg = this.#pending.get(record)
    if (msg === undefined) return
    this.#pending.delete(record)
    try {
      msg.ack()
    } catch {
      // The connection is gone: the server delivers the message again after its ack wait.
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#wake?.()
    const nc = this.#nc
    if (nc === null) return
    this.#subscription?.unsubscribe()
    // The worker still reports records in flight after stop(): let their acks go out for a while first.
    const deadline = Date.now() + 5000
    while (this.#pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    this.#nc = null
    await nc.drain().catch(() => nc.close())
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
