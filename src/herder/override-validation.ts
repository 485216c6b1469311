/**
 * Validation of a connector's client overrides (producer.override.*, consumer.override.*, admin.override.*)
 * against the worker's connector.client.config.override.policy, as Java's AbstractHerder.validateClientOverrides:
 * each override of a client the connector uses is listed under its prefixed name, with Java's message when the
 * policy does not allow it. The policy itself is the worker's (worker/client-configs.ts), the one applied when a
 * task starts.
 *
 * Java also shows the client's declaration of each key (from ProducerConfig, ...); tsconnect does not carry Java's
 * client ConfigDefs, so `definition` is null, and values of Java's PASSWORD client keys show as "[hidden]".
 */
import { ConfigValue } from '../config/config-def.ts'
import { type ConfigInfos, prefixedConfigInfos } from '../config/config-infos.ts'
import { CLIENT_PASSWORD_KEYS, clientOverrides, type TaskClientRole } from '../worker/client-configs.ts'
import type { ConfigMap } from './herder.ts'

const HIDDEN = '[hidden]'

/** Which of a connector's clients a worker creates, as Java's connectorUses{Producer,Admin,Consumer}. */
export function clientsUsed(
  type: 'source' | 'sink',
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): TaskClientRole[] {
  const hasDlq = (connectorConfig['errors.deadletterqueue.topic.name'] ?? '').trim() !== ''
  // A distributed worker gives a source connector its own offsets-topic clients under exactly-once support, or
  // when the connector names its own offsets topic (DistributedHerder's overrides).
  const ownOffsetsClients =
    type === 'source' &&
    ((workerConfig['exactly.once.source.support'] ?? '').trim().toLowerCase() === 'enabled' ||
      (connectorConfig['offsets.storage.topic'] ?? '').trim() !== '')
  const topicCreation = Object.keys(connectorConfig).some((k) => k.startsWith('topic.creation.'))
  const uses: Record<TaskClientRole, boolean> = {
    producer: type === 'source' || hasDlq,
    admin: (type === 'source' ? topicCreation : hasDlq) || ownOffsetsClients,
    consumer: type === 'sink' || ownOffsetsClients,
  }
  return (['producer', 'admin', 'consumer'] as const).filter((role) => uses[role])
}

/** The validate answers of the overrides of each client the connector uses, in Java's order (producer, consumer, admin). */
export function validateClientOverrides(
  type: 'source' | 'sink',
  connectorConfig: Readonly<ConfigMap>,
  workerConfig: Readonly<ConfigMap>,
): ConfigInfos[] {
  const used = clientsUsed(type, connectorConfig, workerConfig)
  return (['producer', 'consumer', 'admin'] as const)
    .filter((role) => used.includes(role))
    .map((role) => {
      const values = clientOverrides(role, connectorConfig, workerConfig).map(({ key, value, error }) => {
        const v = new ConfigValue(key)
        v.value = CLIENT_PASSWORD_KEYS.has(key) && value !== null ? HIDDEN : value
        if (error !== undefined) v.addErrorMessage(error)
        return v
      })
      return prefixedConfigInfos(new Map(), values, `${role}.override.`)
    })
}
