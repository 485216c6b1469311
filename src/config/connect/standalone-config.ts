/**
 * A standalone worker's config (Java's StandaloneConfig): the worker keys, less the group and internal topics, plus
 * offset.storage.file.filename (required). Standalone mode keeps configs and statuses in memory, as Java does, and
 * runs the distributed herder's machinery on a one-member in-process group (local-group.ts); the group and topic
 * keys that machinery reads get fixed internal values here, since no broker ever sees them.
 */

import { ConfigError } from '../../errors.ts'
import { AbstractConfig } from '../abstract-config.ts'
import { ConfigDef } from '../config-def.ts'
import { parseWorkerConfig, type WorkerConfig, type WorkerProperties, workerConfigMarkdown } from './worker-config.ts'

/** The key naming the offsets file. */
export const OFFSET_FILE_KEY = 'offset.storage.file.filename'

/** The keys a standalone worker reads beyond the worker's (Java's StandaloneConfig). */
export const STANDALONE_CONFIG_DEF: ConfigDef = new ConfigDef().define({
  name: OFFSET_FILE_KEY,
  type: 'STRING',
  importance: 'HIGH',
  documentation: 'File to store source connector offsets',
  group: 'Standalone',
  orderInGroup: 1,
})

/** The values the in-process group and memory stores run with; the user's properties cannot change them. */
const INTERNAL: Readonly<WorkerProperties> = {
  'group.id': 'connect-standalone',
  'config.storage.topic': 'connect-standalone-configs',
  'offset.storage.topic': 'connect-standalone-offsets',
  'status.storage.topic': 'connect-standalone-status',
  // One member: no reason to wait for a departed worker before reassigning.
  'scheduled.rebalance.max.delay.ms': '0',
}

/** A parsed standalone config. */
export interface StandaloneConfig {
  readonly worker: WorkerConfig
  /** offset.storage.file.filename. */
  readonly offsetFile: string
}

/**
 * Parses and validates standalone worker properties.
 * @throws ConfigError naming the key at fault (offset.storage.file.filename when it is missing)
 */
export function parseStandaloneConfig(props: WorkerProperties): StandaloneConfig {
  const offsetFile = new AbstractConfig(STANDALONE_CONFIG_DEF, props).getString(OFFSET_FILE_KEY)?.trim()
  if (offsetFile === undefined || offsetFile === '') {
    throw new ConfigError(
      `Missing required configuration "${OFFSET_FILE_KEY}" which has no default value.`,
      OFFSET_FILE_KEY,
    )
  }
  return { worker: parseWorkerConfig({ ...props, ...INTERNAL }), offsetFile }
}

/**
 * docs/worker-config.md, generated from the worker's ConfigDef and the standalone keys: the distributed worker's
 * keys, then a section for connect-standalone.
 */
export function workerConfigDocs(): string {
  return [
    workerConfigMarkdown().trimEnd(),
    '',
    '## Standalone',
    '',
    'A standalone worker (`connect-standalone worker.properties connector.properties...`) takes the keys above except',
    '`group.id` and the keys of the internal topics (`config.storage.*`, `status.storage.*`, `offset.storage.topic`,',
    '`offset.storage.partitions`, `offset.storage.replication.factor`): it keeps connector configs and statuses in',
    'memory and source offsets in a file, named by:',
    '',
    STANDALONE_CONFIG_DEF.toMarkdown(),
    '',
  ].join('\n')
}
