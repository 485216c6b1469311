/**
 * The two line-oriented formats of Confluent's S3 sink, with s3.compression.type applied to the whole object:
 * JsonFormat (each value as JSON without schema, as JsonConverter with schemas.enable=false writes it, then a line
 * separator; extension `.json`) and ByteArrayFormat (each value's bytes as ByteArrayConverter gives them, then
 * format.bytearray.separator; extension format.bytearray.extension). gzip adds `.gz`.
 */

import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { ByteArrayConverter, DataError, JsonConverter, type SinkRecord } from 'tsconnect'
import type { S3SinkSettings } from '../config.ts'
import type { Format, RecordWriter } from './format.ts'

const gzipAsync = promisify(gzip)
const NEWLINE = Buffer.from('\n')

type Encode = (record: SinkRecord) => Uint8Array

function lineFormat(extension: string, separator: Uint8Array, encode: Encode, settings: S3SinkSettings): Format {
  const compressed = settings.compression === 'gzip'
  return {
    extension: compressed ? `${extension}.gz` : extension,
    newWriter(): RecordWriter {
      const chunks: Uint8Array[] = []
      return {
        write(record) {
          chunks.push(encode(record), separator)
        },
        async finish() {
          const body = Buffer.concat(chunks)
          if (!compressed) return body
          return gzipAsync(body, settings.compressionLevel >= 0 ? { level: settings.compressionLevel } : {})
        },
      }
    },
  }
}

/** JsonFormat: one JSON value per line. */
export function jsonFormat(settings: S3SinkSettings): Format {
  const converter = new JsonConverter()
  converter.configure({ 'schemas.enable': 'false', 'decimal.format': settings.decimalFormat }, false)
  const encode: Encode = (r) => converter.fromConnectData(r.topic, r.valueSchema, r.value) ?? Buffer.from('null')
  return lineFormat('.json', NEWLINE, encode, settings)
}

/** ByteArrayFormat: each value's bytes, then the separator. */
export function byteArrayFormat(settings: S3SinkSettings): Format {
  const converter = new ByteArrayConverter()
  const encode: Encode = (r) => {
    try {
      return converter.fromConnectData(r.topic, r.valueSchema, r.value) ?? new Uint8Array(0)
    } catch (error) {
      throw new DataError(`ByteArrayFormat needs byte values (ByteArrayConverter); record at offset ${r.kafkaOffset}`, {
        cause: error,
      })
    }
  }
  return lineFormat(settings.byteArrayExtension, settings.byteArraySeparator, encode, settings)
}
