/**
 * The three stores on a real cluster, from Java-style worker properties (what the distributed worker wires up).
 *
 * Each store gets its own reading client and producer, and its own admin client for topic set-up, closed with
 * the store. With exactly.once.source.support=enabled the config and offsets topics are read read_committed;
 * with preparing or enabled the leader's privileged config writes are transactions of `connect-cluster-<group.id>`.
 */
import { KafkaTopicAdmin } from '../kafka/topic-admin.ts'
import { KafkaTopicLog } from '../kafka/topic-log.ts'
import { KafkaTransactionalWriter } from '../kafka/transactional-writer.ts'
import { logger as componentLogger, type Logger } from '../util/log.ts'
import { KafkaConfigStore } from './kafka-config-store.ts'
import { KafkaOffsetStore } from './offset-store.ts'
import { KafkaStatusStore } from './status-store.ts'
import {
  exactlyOnceSourceSupport,
  internalClientIdBase,
  internalClientProperties,
  internalTopicSettings,
  type WorkerProperties,
} from './topic-settings.ts'

/** Options of the factories. */
export interface KafkaStoreOptions {
  logger?: Logger
  /** How long the logs wait on the broker for new records (default 500 ms). */
  fetchMaxWaitMs?: number
}

function wait(opts: KafkaStoreOptions): { fetchMaxWaitMs?: number } {
  return opts.fetchMaxWaitMs !== undefined ? { fetchMaxWaitMs: opts.fetchMaxWaitMs } : {}
}

/** The config store on config.storage.topic. */
export function createKafkaConfigStore(props: WorkerProperties, opts: KafkaStoreOptions = {}): KafkaConfigStore {
  const logger = opts.logger ?? componentLogger('stores.config')
  const settings = internalTopicSettings(props, 'config', logger)
  const eos = exactlyOnceSourceSupport(props)
  const clientId = `${internalClientIdBase(props)}configs`
  const clientProps = internalClientProperties(props, clientId)
  const groupId = String(props['group.id'])
  return new KafkaConfigStore({
    transport: new KafkaTopicLog({
      topic: settings.topic,
      consumerProps: clientProps,
      producerProps: clientProps,
      readCommitted: eos === 'enabled',
      logger,
    }),
    admin: KafkaTopicAdmin.fromProperties(clientProps, logger),
    closeAdmin: true,
    replicationFactor: settings.replicationFactor,
    topicConfigs: settings.configs,
    setting: settings.setting,
    ...(eos === 'disabled'
      ? {}
      : {
          transactionalWriter: () =>
            new KafkaTransactionalWriter(
              settings.topic,
              { ...clientProps, 'client.id': `${clientId}-leader`, 'transactional.id': `connect-cluster-${groupId}` },
              logger,
            ),
        }),
    logger,
    ...wait(opts),
  })
}

/** The offset store on offset.storage.topic, or on a connector's own offsets topic when `topic` is given. */
export function createKafkaOffsetStore(
  props: WorkerProperties,
  opts: KafkaStoreOptions & { topic?: string } = {},
): KafkaOffsetStore {
  const logger = opts.logger ?? componentLogger('stores.offsets')
  const settings = internalTopicSettings(props, 'offset', logger)
  const clientProps = internalClientProperties(props, `${internalClientIdBase(props)}offsets`)
  return new KafkaOffsetStore({
    transport: new KafkaTopicLog({
      topic: opts.topic ?? settings.topic,
      consumerProps: clientProps,
      producerProps: clientProps,
      readCommitted: exactlyOnceSourceSupport(props) === 'enabled',
      logger,
    }),
    admin: KafkaTopicAdmin.fromProperties(clientProps, logger),
    closeAdmin: true,
    partitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    topicConfigs: settings.configs,
    setting: opts.topic ? 'offsets.storage.topic' : settings.setting,
    logger,
    ...wait(opts),
  })
}

/** The status store on status.storage.topic. */
export function createKafkaStatusStore(props: WorkerProperties, opts: KafkaStoreOptions = {}): KafkaStatusStore {
  const logger = opts.logger ?? componentLogger('stores.status')
  const settings = internalTopicSettings(props, 'status', logger)
  const clientProps = internalClientProperties(props, `${internalClientIdBase(props)}statuses`)
  return new KafkaStatusStore({
    transport: new KafkaTopicLog({
      topic: settings.topic,
      consumerProps: clientProps,
      producerProps: clientProps,
      logger,
    }),
    admin: KafkaTopicAdmin.fromProperties(clientProps, logger),
    closeAdmin: true,
    partitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    topicConfigs: settings.configs,
    setting: settings.setting,
    logger,
    ...wait(opts),
  })
}
