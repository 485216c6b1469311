/**
 * Creating and checking an internal topic before its log starts, as Java's TopicAdmin and KafkaTopicBasedBackingStore
 * do: create it when missing (cleanup.policy=compact forced), and refuse a topic that exists with any other cleanup
 * policy, because a deleting topic eventually loses connector configs, offsets or statuses.
 */
import { ConfigError, KafkaError } from '../errors.ts'
import { BROKER_ERROR } from '../kafka/broker-errors.ts'
import type { NewTopicSpec, TopicAdminClient } from '../kafka/topic-admin.ts'
import { systemClock } from '../util/clock.ts'
import type { Logger } from '../util/log.ts'

/** An internal topic to set up. */
export interface InternalTopic {
  /** Name, partitions (-1: broker default), replication factor (-1: broker default), extra topic configs. */
  spec: NewTopicSpec
  /** The worker setting that names the topic, e.g. config.storage.topic (errors name it). */
  setting: string
  /** What the topic holds, for messages, e.g. "connector configurations". */
  purpose: string
}

/** Options of ensureInternalTopic. */
export interface TopicSetupOptions {
  logger: Logger
  /** How long to keep retrying creation while brokers come up (Java: default.api.timeout.ms, 60 s). */
  timeoutMs?: number
  retryBackoffMs?: number
  signal?: AbortSignal
}

/**
 * Creates the topic when it is missing, or checks that an existing one is compacted only. Throws ConfigError
 * naming the setting when it is not; a topic whose policy cannot be described (no permission) is accepted with
 * a log line, as in Java.
 */
export async function ensureInternalTopic(admin: TopicAdminClient, topic: InternalTopic, opts: TopicSetupOptions) {
  const { spec, purpose } = topic
  const log = opts.logger
  const configs = { ...spec.configs, 'cleanup.policy': 'compact' }
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000)
  let outcome: Awaited<ReturnType<TopicAdminClient['createTopic']>>
  for (;;) {
    try {
      outcome = await admin.createTopic({ ...spec, configs })
      break
    } catch (error) {
      // Too few brokers are up yet for the replication factor, or the controller is busy: try again for a while.
      const retriable =
        error instanceof KafkaError && (error.retriable || error.kafkaCode === BROKER_ERROR.INVALID_REPLICATION_FACTOR)
      if (!retriable || Date.now() >= deadline) throw error
      log.info({ topic: spec.name, err: error }, `creating the topic for ${purpose} failed; retrying`)
      await systemClock.sleep(opts.retryBackoffMs ?? 1_000, opts.signal)
    }
  }
  if (outcome === 'created') {
    log.info(
      { topic: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor },
      'created topic',
    )
    return
  }
  if (outcome === 'not-authorized') {
    log.info({ topic: spec.name }, 'not authorized to create topics; assuming the topic exists')
  }
  await verifyCompactedOnly(admin, topic, log)
}

/** Throws ConfigError unless the topic's cleanup.policy is exactly compact (checked only when it can be described). */
export async function verifyCompactedOnly(admin: TopicAdminClient, topic: InternalTopic, log: Logger): Promise<void> {
  const { spec, setting, purpose } = topic
  const policy = await admin.cleanupPolicy(spec.name)
  const policies = new Set(
    (policy ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter((p) => p.length > 0),
  )
  if (policies.size === 0) {
    log.info(
      { topic: spec.name },
      "unable to verify that the topic's cleanup.policy is compact: the broker or the principal's permissions do not allow describing it",
    )
    return
  }
  if (policies.size === 1 && policies.has('compact')) return
  const found = [...policies].join(',')
  throw new ConfigError(
    `Topic '${spec.name}' supplied via the '${setting}' property is required to have 'cleanup.policy=compact' to ` +
      `guarantee consistency and durability of ${purpose}, but found the topic currently has ` +
      `'cleanup.policy=${found}'. Continuing would likely result in eventually losing ${purpose} and problems ` +
      `restarting this Connect cluster in the future. Change the '${setting}' property in the Connect worker ` +
      "configurations to use a topic with 'cleanup.policy=compact'.",
    setting,
  )
}
