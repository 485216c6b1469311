/**
 * The number converters of org.apache.kafka.connect.converters (Short, Integer, Long, Float, Double, and Boolean):
 * one value as the big-endian bytes Kafka's serializers write (2, 4, 8, 4 and 8 bytes; a boolean is one byte 0 or
 * 1). Reading checks the length with the serializers' messages, e.g. "Failed to deserialize integer: Size of data
 * received by IntegerDeserializer is not 4". Reading gives the OPTIONAL schema of the type.
 */
import type { Converter, HeaderConverter } from '../api/converter.ts'
import type { ConfigDef } from '../config/config-def.ts'
import { Schema } from '../data/schema.ts'
import { SchemaAndValue } from '../data/schema-and-value.ts'
import { describeType } from '../data/validate.ts'
import { DataError } from '../errors.ts'
import { BUILTIN_VERSION, newConverterConfigDef } from './converter-config.ts'

const CONFIG_DEF = newConverterConfigDef()

/** How one type is written and read. */
interface NumberCodec {
  /** Java's type name in messages: "short", "integer", ... */
  typeName: string
  /** The Kafka deserializer's name in messages. */
  deserializer: string
  size: number
  schema: Schema
  /** Whether a value can be written as this type. */
  accepts(value: unknown): boolean
  write(view: DataView, value: unknown): void
  read(view: DataView): unknown
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}

/** The shared body of the number converters. */
abstract class NumberConverter implements Converter, HeaderConverter {
  readonly #codec: NumberCodec

  protected constructor(codec: NumberCodec) {
    this.#codec = codec
  }

  version(): string {
    return BUILTIN_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(): void {}

  fromConnectData(_topic: string, _schema: Schema | null, value: unknown): Uint8Array | null {
    if (value == null) return null
    const bytes = new Uint8Array(this.#codec.size)
    if (!this.#codec.accepts(value)) {
      throw new DataError(
        `Failed to serialize to ${this.#codec.typeName} (was ${describeType(value)}): ${String(value)}`,
      )
    }
    this.#codec.write(new DataView(bytes.buffer), value)
    return bytes
  }

  toConnectData(_topic: string, value: Uint8Array | null): SchemaAndValue {
    if (value == null) return new SchemaAndValue(this.#codec.schema, null)
    if (value.length !== this.#codec.size) {
      throw new DataError(
        `Failed to deserialize ${this.#codec.typeName}: Size of data received by ${this.#codec.deserializer} is not ${this.#codec.size}`,
      )
    }
    return new SchemaAndValue(
      this.#codec.schema,
      this.#codec.read(new DataView(value.buffer, value.byteOffset, value.length)),
    )
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, value)
  }

  close(): void {}
}

/** INT16 as 2 big-endian bytes. */
export class ShortConverter extends NumberConverter {
  constructor() {
    super({
      typeName: 'short',
      deserializer: 'ShortDeserializer',
      size: 2,
      schema: Schema.OPTIONAL_INT16_SCHEMA,
      accepts: (x) => isInt(x, -32768, 32767),
      write: (v, x) => v.setInt16(0, x as number),
      read: (v) => v.getInt16(0),
    })
  }
}

/** INT32 as 4 big-endian bytes. */
export class IntegerConverter extends NumberConverter {
  constructor() {
    super({
      typeName: 'integer',
      deserializer: 'IntegerDeserializer',
      size: 4,
      schema: Schema.OPTIONAL_INT32_SCHEMA,
      accepts: (x) => isInt(x, -2147483648, 2147483647),
      write: (v, x) => v.setInt32(0, x as number),
      read: (v) => v.getInt32(0),
    })
  }
}

/** INT64 as 8 big-endian bytes; reads a number when it is a safe integer, a bigint otherwise. */
export class LongConverter extends NumberConverter {
  constructor() {
    super({
      typeName: 'long',
      deserializer: 'LongDeserializer',
      size: 8,
      schema: Schema.OPTIONAL_INT64_SCHEMA,
      accepts: (x) => Number.isSafeInteger(x) || (typeof x === 'bigint' && BigInt.asIntN(64, x) === x),
      write: (v, x) => v.setBigInt64(0, BigInt(x as number | bigint)),
      read: (v) => {
        const n = v.getBigInt64(0)
        return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
      },
    })
  }
}

/** FLOAT32 as 4 big-endian IEEE 754 bytes. */
export class FloatConverter extends NumberConverter {
  constructor() {
    super({
      typeName: 'float',
      deserializer: 'FloatDeserializer',
      size: 4,
      schema: Schema.OPTIONAL_FLOAT32_SCHEMA,
      accepts: (x) => typeof x === 'number',
      write: (v, x) => v.setFloat32(0, x as number),
      read: (v) => v.getFloat32(0),
    })
  }
}

/** FLOAT64 as 8 big-endian IEEE 754 bytes. */
export class DoubleConverter extends NumberConverter {
  constructor() {
    super({
      typeName: 'double',
      deserializer: 'DoubleDeserializer',
      size: 8,
      schema: Schema.OPTIONAL_FLOAT64_SCHEMA,
      accepts: (x) => typeof x === 'number',
      write: (v, x) => v.setFloat64(0, x as number),
      read: (v) => v.getFloat64(0),
    })
  }
}

/** BOOLEAN as one byte, 1 for true and 0 for false. */
export class BooleanConverter extends NumberConverter {
  constructor() {
    super({
      typeName: 'boolean',
      deserializer: 'BooleanDeserializer',
      size: 1,
      schema: Schema.OPTIONAL_BOOLEAN_SCHEMA,
      accepts: (x) => typeof x === 'boolean',
      write: (v, x) => v.setUint8(0, x ? 1 : 0),
      read: (v) => {
        const b = v.getUint8(0)
        if (b > 1)
          throw new DataError(`Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${b}`)
        return b === 1
      },
    })
  }
}
