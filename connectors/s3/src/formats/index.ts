/** The format the settings name. */
import type { S3SinkSettings } from '../config.ts'
import { avroFormat } from './avro-format.ts'
import type { Format } from './format.ts'
import { byteArrayFormat, jsonFormat } from './line-formats.ts'

export type { Format, RecordWriter } from './format.ts'

/** A new format instance for the task's settings. */
export function newFormat(settings: S3SinkSettings): Format {
  switch (settings.format) {
    case 'json':
      return jsonFormat(settings)
    case 'bytearray':
      return byteArrayFormat(settings)
    case 'avro':
      return avroFormat(settings)
  }
}
