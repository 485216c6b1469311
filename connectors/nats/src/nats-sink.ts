/**
 * NatsSinkConnector: publishes each record's value to the subject of the `nats.subject` template.
 *
 * With `nats.jetstream.enabled`, each publish waits for the stream's acknowledgement and carries the message id
 * `<topic>-<partition>-<offset>` (the Nats-Msg-Id header): flush waits for every acknowledgement, so offsets are
 * committed only for messages the stream stored, and a record published again after a kill -9 or a failed commit
 * has the same id, which the stream drops within its duplicate window (2 minutes by default): no loss and, inside
 * the window, no duplicate. On core NATS (the default) flush waits until the server has read what was published,
 * which is all core NATS promises: at most once for subscribers that are away.
 */
import { type JetStreamClient, jetstream } from '@nats-io/jetstream'
import { connect, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node'
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
import { connectionOptions, parse, SINK_CONFIG } from './config.ts'

const VERSION = '0.1.0'

/** The message id of a record: the same for the same record whenever it is published again. */
export function messageId(record: SinkRecord): string {
  return `${record.originalTopic}-${record.originalKafkaPartition}-${record.originalKafkaOffset}`
}

/** The connector: every task publishes whatever the worker gives it. */
export class NatsSinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return SINK_CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    RecordTemplate.parse(parse(SINK_CONFIG, props).getString('nats.subject') ?? '', 'nats.subject')
    this.#props = props
  }

  taskClass() {
    return NatsSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}
}

/** The task: publishes in put(), waits for the acknowledgements in flush(). */
export class NatsSinkTask extends SinkTask {
  #nc: NatsConnection | null = null
  #js: JetStreamClient | null = null
  #subject: RecordTemplate | null = null
  #withHeaders = true
  #maxInFlight = 256
  #inFlight = new Set<Promise<void>>()
  #failure: Error | null = null

  version(): string {
    return VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = parse(SINK_CONFIG, props)
    this.#subject = RecordTemplate.parse(config.getString('nats.subject') ?? '', 'nats.subject')
    this.#withHeaders = config.getBoolean('nats.headers.enabled') ?? true
    this.#maxInFlight = config.getInt('nats.publish.max.in.flight') ?? 256
    const nc = await connect(connectionOptions(config, props.name ?? 'tsconnect-nats')).catch((error: unknown) => {
      throw new RetriableError(`connecting to NATS failed: ${String(error)}`, { cause: error })
    })
    this.#nc = nc
    if (config.getBoolean('nats.jetstream.enabled')) this.#js = jetstream(nc)
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const nc = this.#nc
    const subject = this.#subject
    if (nc === null || subject === null) return
    for (const record of records) {
      const h = this.#withHeaders && !record.headers.isEmpty() ? natsHeaders() : undefined
      if (h !== undefined) for (const header of record.headers) h.append(header.key, valueText(header.value))
      const payload = payloadOf(record.value)
      const js = this.#js
      if (js === null) {
        nc.publish(subject.render(record), payload, h === undefined ? {} : { headers: h })
        continue
      }
      while (this.#inFlight.size >= this.#maxInFlight) await Promise.race(this.#inFlight)
      const publishing: Promise<void> = js
        .publish(subject.render(record), payload, {
          msgID: messageId(record),
          ...(h === undefined ? {} : { headers: h }),
        })
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
    if (this.#js === null) await this.#nc?.flush()
    const failure = this.#failure
    if (failure !== null) {
      this.#failure = null
      throw new RetriableError(`publishing to NATS failed: ${failure.message}`, { cause: failure })
    }
  }

  async stop(): Promise<void> {
    const nc = this.#nc
    this.#nc = null
    if (nc !== null) await nc.drain().catch(() => nc.close())
  }
}
