/**
 * StringConverter (org.apache.kafka.connect.storage.StringConverter): values as text in `converter.encoding`
 * (UTF-8 by default). Writing uses the value's string form; reading always gives an OPTIONAL_STRING value.
 * Malformed input bytes become U+FFFD, as Java's decoder does, rather than failing.
 */
import type { Converter, HeaderConverter } from '../api/converter.ts'
import { AbstractConfig } from '../config/abstract-config.ts'
import type { ConfigDef } from '../config/config-def.ts'
import { Schema } from '../data/schema.ts'
import { SchemaAndValue } from '../data/schema-and-value.ts'
import { ConfigError } from '../errors.ts'
import { javaDoubleToString, javaFloatToString } from '../util/java-format.ts'
import { BUILTIN_VERSION, newConverterConfigDef, withConverterType } from './converter-config.ts'

const ENCODING_CONFIG = 'converter.encoding'

const CONFIG_DEF: ConfigDef = newConverterConfigDef().define({
  name: ENCODING_CONFIG,
  type: 'STRING',
  defaultValue: 'UTF-8',
  importance: 'HIGH',
  documentation: 'The name of the Java character set to use for encoding strings as byte arrays.',
  orderInGroup: -1,
  width: 'MEDIUM',
  displayName: 'Encoding',
})

const ENCODINGS: Record<string, BufferEncoding> = {
  'UTF-8': 'utf8',
  UTF8: 'utf8',
  'UTF-16LE': 'utf16le',
  'ISO-8859-1': 'latin1',
  LATIN1: 'latin1',
  'US-ASCII': 'ascii',
  ASCII: 'ascii',
}

/** The string form Java's toString() gives a Connect value of the given schema. */
export function javaToString(schema: Schema | null, value: unknown): string {
  if (typeof value === 'number') {
    if (schema?.type === 'FLOAT32') return javaFloatToString(value)
    if (schema?.type === 'FLOAT64' || !Number.isInteger(value)) return javaDoubleToString(value)
  }
  return String(value)
}

/** Strings as bytes in a configurable encoding. */
export class StringConverter implements Converter, HeaderConverter {
  #encoding: BufferEncoding = 'utf8'

  version(): string {
    return BUILTIN_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(configs: Readonly<Record<string, unknown>>, isKey?: boolean): void {
    const all = isKey === undefined ? configs : withConverterType(configs, isKey ? 'key' : 'value')
    const name = new AbstractConfig(CONFIG_DEF, all).getString(ENCODING_CONFIG) ?? 'UTF-8'
    const encoding = ENCODINGS[name.toUpperCase()]
    if (encoding === undefined) throw new ConfigError(`Unsupported encoding ${name}`, ENCODING_CONFIG)
    this.#encoding = encoding
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value == null) return null
    return Buffer.from(javaToString(schema, value), this.#encoding)
  }

  toConnectData(_topic: string, value: Uint8Array | null): SchemaAndValue {
    if (value == null) return new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, null)
    const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString(this.#encoding)
    return new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, text)
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, value)
  }

  close(): void {}
}
