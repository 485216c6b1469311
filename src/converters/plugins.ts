/**
 * The built-in converters and header converters as plugin descriptors, each under the class name of its Java twin
 * so that worker and connector configs written for Java Connect find them. Java registers every converter that
 * also implements HeaderConverter under both types; so do we.
 */
import type { Converter, HeaderConverter } from '../api/converter.ts'
import type { PluginDescriptor } from '../api/plugin.ts'
import { ByteArrayConverter } from './byte-array-converter.ts'
import { BUILTIN_VERSION } from './converter-config.ts'
import { JsonConverter } from './json/json-converter.ts'
import {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from './number-converters.ts'
import { SimpleHeaderConverter } from './simple-header-converter.ts'
import { StringConverter } from './string-converter.ts'

function both(plugin: new () => Converter & HeaderConverter, javaClassName: string): PluginDescriptor[] {
  return [
    { type: 'converter', plugin, javaClassName, version: BUILTIN_VERSION },
    { type: 'header_converter', plugin, javaClassName, version: BUILTIN_VERSION },
  ]
}

/** The built-in converter and header converter plugins. */
export function builtinConverterPlugins(): PluginDescriptor[] {
  return [
    ...both(JsonConverter, 'org.apache.kafka.connect.json.JsonConverter'),
    ...both(StringConverter, 'org.apache.kafka.connect.storage.StringConverter'),
    ...both(ByteArrayConverter, 'org.apache.kafka.connect.converters.ByteArrayConverter'),
    ...both(BooleanConverter, 'org.apache.kafka.connect.converters.BooleanConverter'),
    ...both(ShortConverter, 'org.apache.kafka.connect.converters.ShortConverter'),
    ...both(IntegerConverter, 'org.apache.kafka.connect.converters.IntegerConverter'),
    ...both(LongConverter, 'org.apache.kafka.connect.converters.LongConverter'),
    ...both(FloatConverter, 'org.apache.kafka.connect.converters.FloatConverter'),
    ...both(DoubleConverter, 'org.apache.kafka.connect.converters.DoubleConverter'),
    {
      type: 'header_converter',
      plugin: SimpleHeaderConverter,
      javaClassName: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
      version: BUILTIN_VERSION,
    },
  ]
}
