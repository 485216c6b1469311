/**
 * ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass through unchanged;
 * reading gives OPTIONAL_BYTES. Writing anything but bytes (or a schema other than BYTES) is a DataError.
 */
import type { Converter, HeaderConverter } from '../api/converter.ts'
import type { ConfigDef } from '../config/config-def.ts'
import { Schema } from '../data/schema.ts'
import { SchemaAndValue } from '../data/schema-and-value.ts'
import { describeType } from '../data/validate.ts'
import { DataError } from '../errors.ts'
import { BUILTIN_VERSION, newConverterConfigDef } from './converter-config.ts'

const CONFIG_DEF = newConverterConfigDef()

/** Raw bytes, as they are. */
export class ByteArrayConverter implements Converter, HeaderConverter {
  version(): string {
    return BUILTIN_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(): void {}

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema != null && schema.type !== 'BYTES') {
      throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type}`)
    }
    if (value == null) return null
    if (!(value instanceof Uint8Array)) {
      throw new DataError(`ByteArrayConverter is not compatible with objects of type ${describeType(value)}`)
    }
    return value
  }

  toConnectData(_topic: string, value: Uint8Array | null): SchemaAndValue {
    return new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, value)
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, value)
  }

  close(): void {}
}
