/**
 * The keys of one topic creation group (KIP-158), as Java's TopicCreationConfig declares them under
 * `topic.creation.<group>.`: include and exclude (lists of regexes), replication.factor and partitions. The default
 * group must give both numbers; the other groups default to the default group's.
 */
import { ConfigDef, type ConfigKeyOptions } from '../config-def.ts'
import { invalidValue } from '../types.ts'
import { Validators } from '../validators.ts'
import { TOPIC_CREATION_GROUPS } from './connector-config.ts'

/** The prefix of every topic creation key. */
export const TOPIC_CREATION_PREFIX = 'topic.creation.'
/** The group every topic falls back to. */
export const DEFAULT_TOPIC_CREATION_GROUP = 'default'

const regexList = Validators.of((name, value) => {
  for (const pattern of (value as readonly string[] | null) ?? []) {
    try {
      new RegExp(pattern)
    } catch (e) {
      throw invalidValue(name, value, `Syntax error in regular expression: ${(e as Error).message}`)
    }
  }
}, 'List of valid regular expressions')

const partitionsValidator = Validators.of((name, value) => {
  if (value !== -1 && (typeof value !== 'number' || value < 1)) {
    throw invalidValue(name, value, "Number of partitions must be positive, or -1 to use the broker's default")
  }
}, "Positive number, or -1 to use the broker's default")

const replicationFactorValidator = Validators.of((name, value) => {
  if (value !== -1 && (typeof value !== 'number' || value < 1)) {
    throw invalidValue(
      name,
      value,
      "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default",
    )
  }
}, "Positive number not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default")

/**
 * The definition of group `group`'s keys (full names); `defaults` are the default group's numbers, absent for the
 * default group itself, whose numbers are required.
 */
export function topicCreationGroupConfigDef(
  group: string,
  defaults?: { partitions: number; replicationFactor: number },
): ConfigDef {
  const prefix = `${TOPIC_CREATION_PREFIX}${group}.`
  const keys: ConfigKeyOptions[] = [
    {
      name: `${prefix}include`,
      type: 'LIST',
      defaultValue: [],
      validator: regexList,
      importance: 'LOW',
      documentation: 'A list of regular expressions matching the topics this group creates.',
    },
    {
      name: `${prefix}exclude`,
      type: 'LIST',
      defaultValue: [],
      validator: regexList,
      importance: 'LOW',
      documentation: 'A list of regular expressions matching topics this group does not create.',
    },
    {
      name: `${prefix}replication.factor`,
      type: 'SHORT',
      defaultValue: defaults?.replicationFactor,
      validator: replicationFactorValidator,
      importance: 'LOW',
      documentation: 'The replication factor of the topics this group creates; -1 for the broker default.',
    },
    {
      name: `${prefix}partitions`,
      type: 'INT',
      defaultValue: defaults?.partitions,
      validator: partitionsValidator,
      importance: 'LOW',
      documentation: 'The number of partitions of the topics this group creates; -1 for the broker default.',
    },
  ]
  const def = new ConfigDef()
  for (const k of keys) def.define(k)
  return def
}

const GROUPS_DEF = new ConfigDef().define(TOPIC_CREATION_GROUPS)

/** The names in topic.creation.groups, without the default group and without repeats. */
export function topicCreationGroupNames(props: Readonly<Record<string, string>>): string[] {
  const names = (GROUPS_DEF.parseOne(TOPIC_CREATION_GROUPS.name, props) as readonly string[]).filter(
    (g) => g !== '' && g !== DEFAULT_TOPIC_CREATION_GROUP,
  )
  return [...new Set(names)]
}
