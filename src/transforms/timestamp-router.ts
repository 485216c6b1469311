/**
 * TimestampRouter (`org.apache.kafka.connect.transforms.TimestampRouter`): sets the topic from `topic.format`, in
 * which `${topic}` is the record's topic and `${timestamp}` its timestamp written with `timestamp.format` (a
 * SimpleDateFormat pattern, in UTC). Mostly for sinks, whose topic often names the table or index written to.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { simpleConfig } from './util/config.ts'
import { SimpleDateFormat } from './util/simple-date-format.ts'

const TOPIC_FORMAT = 'topic.format'
// Java's literal placeholders (not template strings).
const TOPIC_PLACEHOLDER = '$' + '{topic}'
const TIMESTAMP_PLACEHOLDER = '$' + '{timestamp}'
const DEFAULT_TOPIC_FORMAT = `${TOPIC_PLACEHOLDER}-${TIMESTAMP_PLACEHOLDER}`
const TIMESTAMP_FORMAT = 'timestamp.format'

const CONFIG_DEF = new ConfigDef()
  .define({
    name: TOPIC_FORMAT,
    type: 'STRING',
    defaultValue: DEFAULT_TOPIC_FORMAT,
    importance: 'HIGH',
    documentation: `Format string which can contain <code>${TOPIC_PLACEHOLDER}</code> and <code>${TIMESTAMP_PLACEHOLDER}</code> as placeholders for the topic and timestamp, respectively.`,
  })
  .define({
    name: TIMESTAMP_FORMAT,
    type: 'STRING',
    defaultValue: 'yyyyMMdd',
    importance: 'HIGH',
    documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
  })

/** Updates the record's topic as a function of the original topic and the record timestamp. */
export class TimestampRouter implements Transformation {
  #topicFormat = DEFAULT_TOPIC_FORMAT
  #timestampFormat = new SimpleDateFormat('yyyyMMdd')
  // Records of one batch mostly share a day: remember the text of the last span (a UTC day for yyyyMMdd).
  #resolution = 86_400_000
  #lastSpan: number | undefined
  #lastFormatted = ''
  #lastTopic: string | undefined
  #lastResult = ''

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const config = simpleConfig(CONFIG_DEF, props)
    this.#topicFormat = config.getString(TOPIC_FORMAT) ?? ''
    this.#timestampFormat = new SimpleDateFormat(config.getString(TIMESTAMP_FORMAT) ?? '')
    this.#resolution = this.#timestampFormat.resolutionMillis
    this.#lastSpan = undefined
    this.#lastTopic = undefined
  }

  apply<R extends ConnectRecord>(record: R): R {
    const timestamp = record.timestamp
    if (timestamp === null) throw new DataError(`Timestamp missing on record: ${String(record)}`)
    const span = Math.floor(timestamp / this.#resolution)
    if (span !== this.#lastSpan || record.topic !== this.#lastTopic) {
      this.#lastFormatted = this.#timestampFormat.format(new Date(timestamp))
      this.#lastSpan = span
      this.#lastTopic = record.topic
      this.#lastResult = this.#topicFormat
        .replaceAll(TOPIC_PLACEHOLDER, () => record.topic)
        .replaceAll(TIMESTAMP_PLACEHOLDER, () => this.#lastFormatted)
    }
    return record.newRecord({ topic: this.#lastResult })
  }

  close(): void {}
}
