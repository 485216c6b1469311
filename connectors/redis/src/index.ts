/**
 * The plugin list tsconnect reads from this package (see tsconnect's docs/connector-guide.md): Redis Inc.'s three
 * connectors under their Java class names, so configs written for the Java connector find them.
 */
import type { PluginDescriptor } from 'tsconnect'
import { RedisKeysSourceConnector } from './keys-source.ts'
import { RedisSinkConnector } from './redis-sink.ts'
import { RedisStreamSourceConnector } from './stream-source.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'sink',
    plugin: RedisSinkConnector,
    className: 'com.redis.kafka.connect.RedisSinkConnector',
    version: '1.0.0',
  },
  {
    type: 'source',
    plugin: RedisStreamSourceConnector,
    className: 'com.redis.kafka.connect.RedisStreamSourceConnector',
    version: '1.0.0',
  },
  {
    type: 'source',
    plugin: RedisKeysSourceConnector,
    className: 'com.redis.kafka.connect.RedisKeysSourceConnector',
    version: '1.0.0',
  },
]

export { RedisKeysSourceConnector, RedisKeysSourceTask } from './keys-source.ts'
export { RedisSinkConnector, RedisSinkTask } from './redis-sink.ts'
export { RedisStreamSourceConnector, RedisStreamSourceTask } from './stream-source.ts'
