/**
 * Connectors: they configure and split work into tasks, as Java's Connector, SourceConnector and SinkConnector.
 * Authors extend SourceConnector or SinkConnector; the worker calls initialize(), start(), taskConfigs() and
 * stop(), and validate() for the REST validate endpoint.
 *
 * Error semantics: an error from start() or taskConfigs() fails the connector (state FAILED); from stop() it is
 * logged. context.raiseError() fails a running connector from outside a worker call.
 */
import type { ConfigDef, ConfigValue } from '../config/config-def.ts'
import type {
  ConnectorContext,
  SinkConnectorContext,
  SourceConnectorContext,
  SourcePartitionOffset,
} from './contexts.ts'
import type { MaybePromise, SinkTask, SourceTask } from './task.ts'

/** The base of every connector. */
export abstract class Connector {
  /** Set by initialize() before start(). */
  protected context!: ConnectorContext

  /** Called by the worker before start(). */
  initialize(context: ConnectorContext): void {
    this.context = context
  }

  /** The connector's version, listed by GET /connector-plugins. */
  abstract version(): string
  /** Starts with the connector's config. */
  abstract start(props: Readonly<Record<string, string>>): MaybePromise<void>
  /** The task class the worker instantiates for each task config. */
  abstract taskClass(): new () => SourceTask | SinkTask
  /** Up to `maxTasks` task configs; each starts one task. */
  abstract taskConfigs(maxTasks: number): MaybePromise<Record<string, string>[]>
  /** Stops; called once. */
  abstract stop(): MaybePromise<void>
  /** The declaration of the connector's own configs (framework keys such as tasks.max are added by the worker). */
  abstract config(): ConfigDef

  /** Applies a new config; by default stop() then start(). */
  async reconfigure(props: Readonly<Record<string, string>>): Promise<void> {
    await this.stop()
    await this.start(props)
  }

  /** Validates a config for the REST validate endpoint; by default config().validate(props). */
  validate(props: Readonly<Record<string, string>>): MaybePromise<ConfigValue[]> {
    return this.config().validate(props)
  }
}

/** Whether a source connector can give exactly-once delivery with a config (Java's ExactlyOnceSupport). */
export type ExactlyOnceSupport = 'SUPPORTED' | 'UNSUPPORTED'
/** Whether a source connector can define its own transactions (Java's ConnectorTransactionBoundaries). */
export type ConnectorTransactionBoundaries = 'SUPPORTED' | 'UNSUPPORTED'

/** A connector that copies data from a source system into Kafka. */
export abstract class SourceConnector extends Connector {
  declare protected context: SourceConnectorContext

  override initialize(context: SourceConnectorContext): void {
    this.context = context
  }

  abstract override taskClass(): new () => SourceTask

  /** Exactly-once support for a config; null (the default) means "cannot tell", which fails `required`. */
  exactlyOnceSupport(_props: Readonly<Record<string, string>>): ExactlyOnceSupport | null {
    return null
  }

  /** Whether the connector can define transactions (transaction.boundary=connector); by default it cannot. */
  canDefineTransactionBoundaries(_props: Readonly<Record<string, string>>): ConnectorTransactionBoundaries {
    return 'UNSUPPORTED'
  }

  /**
   * Called when offsets are altered or reset through REST (an offset of null resets its partition). Return true
   * when the connector handled it (e.g. it keeps offsets outside Kafka too); throw to reject the request. The
   * default, false, means "nothing to do beyond Connect's offsets".
   */
  alterOffsets(
    _config: Readonly<Record<string, string>>,
    _offsets: readonly SourcePartitionOffset[],
  ): MaybePromise<boolean> {
    return false
  }
}

/** A sink partition offset to alter; null resets it. */
export interface SinkOffsetChange {
  readonly topic: string
  readonly partition: number
  readonly offset: number | null
}

/** A connector that copies data from Kafka into a sink system. */
export abstract class SinkConnector extends Connector {
  /** The config key listing the topics a sink consumes. */
  static readonly TOPICS_CONFIG = 'topics'

  declare protected context: SinkConnectorContext

  override initialize(context: SinkConnectorContext): void {
    this.context = context
  }

  abstract override taskClass(): new () => SinkTask

  /** As SourceConnector.alterOffsets, for consumer offsets. */
  alterOffsets(
    _config: Readonly<Record<string, string>>,
    _offsets: readonly SinkOffsetChange[],
  ): MaybePromise<boolean> {
    return false
  }
}
