/**
 * Where tolerated failures go (Java's LogReporter and DeadLetterQueueReporter): the log, with the record when
 * errors.log.include.messages is set, and the dead letter queue, with Java's context header names.
 */
import type { Logger } from '../util/log.ts'
import type { ErrorContext, ErrorReporter } from './error-handling.ts'
import type { RecordSender } from './record-sender.ts'

/** Java's DLQ context header names (DeadLetterQueueReporter). */
export const DLQ_HEADERS = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connector: '__connect.errors.connector.name',
  task: '__connect.errors.task.id',
  stage: '__connect.errors.stage',
  className: '__connect.errors.class.name',
  exceptionClass: '__connect.errors.exception.class.name',
  exceptionMessage: '__connect.errors.exception.message',
  exceptionTrace: '__connect.errors.exception.stacktrace',
} as const

/** The Java class name an error is shown under (ours are named after Java's where there is a twin). */
function exceptionClassName(error: Error): string {
  const javaNames: Record<string, string> = {
    DataError: 'org.apache.kafka.connect.errors.DataException',
    RetriableError: 'org.apache.kafka.connect.errors.RetriableException',
    TransformationError: 'org.apache.kafka.connect.errors.ConnectException',
  }
  return javaNames[error.name] ?? error.name
}

/** Logs failures (errors.log.enable). */
export class LogReporter implements ErrorReporter {
  readonly #log: Logger
  readonly #taskId: string
  readonly #includeMessages: boolean
  /** Errors logged (task-error-metrics total-errors-logged). */
  logged = 0

  constructor(log: Logger, taskId: string, includeMessages: boolean) {
    this.#log = log
    this.#taskId = taskId
    this.#includeMessages = includeMessages
  }

  async report(ctx: ErrorContext): Promise<void> {
    const where = ctx.raw
      ? `topic='${ctx.raw.topic}', partition=${ctx.raw.partition}, offset=${ctx.raw.offset ?? 'unknown'}`
      : ''
    this.logged++
    this.#log.error(
      {
        err: ctx.error,
        stage: ctx.stage,
        className: ctx.className,
        ...(this.#includeMessages && ctx.record != null ? { record: String(ctx.record) } : {}),
      },
      `Error encountered in task ${this.#taskId}. Executing stage '${ctx.stage}' with class '${ctx.className}'${where ? `, where consumed record is {${where}}` : ''}.`,
    )
  }
}

/** Sends failed records to errors.deadletterqueue.topic.name; the topic is created (1 partition) when missing. */
export class DeadLetterQueueReporter implements ErrorReporter {
  readonly #sender: RecordSender
  readonly #topic: string
  readonly #connector: string
  readonly #task: number
  readonly #contextHeaders: boolean
  readonly #ensureTopic: () => Promise<void>
  readonly #log: Logger
  #topicReady: Promise<void> | undefined
  /** DLQ produce requests and failures (task-error-metrics). */
  requests = 0
  failures = 0

  constructor(opts: {
    sender: RecordSender
    topic: string
    connector: string
    task: number
    contextHeaders: boolean
    /** Creates the topic if missing; called until it succeeds. */
    ensureTopic: () => Promise<void>
    log: Logger
  }) {
    this.#log = opts.log
    this.#sender = opts.sender
    this.#topic = opts.topic
    this.#connector = opts.connector
    this.#task = opts.task
    this.#contextHeaders = opts.contextHeaders
    this.#ensureTopic = opts.ensureTopic
  }

  async report(ctx: ErrorContext): Promise<void> {
    // Java only sends records that were consumed (sinks); tsconnect also sends source records it converted.
    const raw = ctx.raw
    if (raw === null) return
    try {
      this.#topicReady ??= this.#ensureTopic()
      await this.#topicReady
    } catch (error) {
      this.#topicReady = undefined
      this.failures++
      this.#log.error({ err: error }, `Could not create the dead letter queue topic ${this.#topic}`)
      return
    }
    const headers: [string, Buffer | null][] = raw.headers.map(([k, v]) => [k.toString('utf8'), v])
    if (this.#contextHeaders) {
      const add = (k: string, v: string | null) => headers.push([k, v === null ? null : Buffer.from(v, 'utf8')])
      add(DLQ_HEADERS.topic, raw.topic)
      add(DLQ_HEADERS.partition, raw.partition === null ? null : String(raw.partition))
      add(DLQ_HEADERS.offset, raw.offset === null ? null : String(raw.offset))
      add(DLQ_HEADERS.connector, this.#connector)
      add(DLQ_HEADERS.task, String(this.#task))
      add(DLQ_HEADERS.stage, ctx.stage)
      add(DLQ_HEADERS.className, ctx.className)
      add(DLQ_HEADERS.exceptionClass, exceptionClassName(ctx.error))
      add(DLQ_HEADERS.exceptionMessage, ctx.error.message)
      add(DLQ_HEADERS.exceptionTrace, ctx.error.stack ?? String(ctx.error))
    }
    this.requests++
    try {
      await this.#sender.send([
        {
          topic: this.#topic,
          partition: null,
          key: raw.key,
          value: raw.value,
          headers,
          timestamp: raw.timestamp !== null && raw.timestamp >= 0n ? Number(raw.timestamp) : null,
        },
      ])
    } catch (error) {
      // As Java: a record the DLQ cannot take is logged, not retried, and does not fail the task.
      this.failures++
      this.#log.error({ err: error }, `Could not produce message to dead letter queue. topic=${this.#topic}`)
    }
  }

  async close(): Promise<void> {
    await this.#sender.close()
  }
}
