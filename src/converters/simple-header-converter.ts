/**
 * SimpleHeaderConverter (org.apache.kafka.connect.storage.SimpleHeaderConverter), the default header converter:
 * header values as the UTF-8 of their Values string form, read back with Values.parseString. Bytes that do not
 * parse become a BYTES value rather than an error, as in Java.
 */
import type { HeaderConverter } from '../api/converter.ts'
import { ConfigDef } from '../config/config-def.ts'
import { Schema } from '../data/schema.ts'
import { SchemaAndValue } from '../data/schema-and-value.ts'
import { Values } from '../data/values.ts'
import { logger } from '../util/log.ts'
import { BUILTIN_VERSION } from './converter-config.ts'

const CONFIG_DEF = new ConfigDef()
const decoder = new TextDecoder('utf-8')
const encoder = new TextEncoder()

/** Header values as strings, with types inferred when read. */
export class SimpleHeaderConverter implements HeaderConverter {
  version(): string {
    return BUILTIN_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(): void {}

  toConnectHeader(topic: string, headerKey: string, value: Uint8Array | null): SchemaAndValue {
    if (value == null) return SchemaAndValue.NULL
    try {
      return Values.parseString(decoder.decode(value))
    } catch (e) {
      logger('converters.simple-header').warn(
        { err: e, topic, headerKey },
        'Failed to deserialize value for header, so using byte array',
      )
      return new SchemaAndValue(Schema.BYTES_SCHEMA, value)
    }
  }

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value == null) return null
    return encoder.encode(Values.convertToString(schema, value) ?? '')
  }

  close(): void {}
}
