/**
 * The S3 sink's configuration: the keys and defaults of Confluent's S3SinkConnectorConfig and of the
 * storage-common configs it composes (StorageCommonConfig, StorageSinkConnectorConfig, PartitionerConfig), so a
 * Confluent connector config works unchanged. One ConfigDef drives parsing, REST validate and the reference page;
 * `parseS3SinkConfig` turns it into the typed settings the task runs on, refusing what this port does not do with
 * a ConfigError that names the key.
 */
import { AbstractConfig, ConfigDef, ConfigError, Validators } from 'tsconnect'

/** Confluent's format classes, by the Java class name users write. */
export const FORMAT_CLASSES = Object.freeze({
  json: 'io.confluent.connect.s3.format.json.JsonFormat',
  bytearray: 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat',
  avro: 'io.confluent.connect.s3.format.avro.AvroFormat',
  parquet: 'io.confluent.connect.s3.format.parquet.ParquetFormat',
})

/** storage-common's partitioner classes, by the Java class name users write. */
export const PARTITIONER_CLASSES = Object.freeze({
  default: 'io.confluent.connect.storage.partitioner.DefaultPartitioner',
  field: 'io.confluent.connect.storage.partitioner.FieldPartitioner',
  timeBased: 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
  daily: 'io.confluent.connect.storage.partitioner.DailyPartitioner',
  hourly: 'io.confluent.connect.storage.partitioner.HourlyPartitioner',
})

/** The only credentials provider: the AWS SDK's default chain (environment, profile files, container, instance). */
const DEFAULT_CREDENTIALS_PROVIDER = 'com.amazonaws.auth.DefaultAWSCredentialsProviderChain'
const MIB = 1024 * 1024

const S3 = 'S3'
const STORAGE = 'Storage'
const CONNECTOR = 'Connector'
const PARTITIONER = 'Partitioner'

/** The S3 sink's ConfigDef (S3SinkConnectorConfig with storage-common's keys). */
export const S3_SINK_CONFIG = new ConfigDef()
  .define({
    name: 's3.bucket.name',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'The S3 Bucket.',
    group: S3,
    orderInGroup: 1,
  })
  .define({
    name: 's3.region',
    type: 'STRING',
    defaultValue: 'us-west-2',
    importance: 'MEDIUM',
    documentation: 'The AWS region to be used the connector.',
    group: S3,
    orderInGroup: 2,
  })
  .define({
    name: 's3.part.size',
    type: 'INT',
    defaultValue: 25 * MIB,
    validator: Validators.between(5 * MIB, 2 ** 31 - 1),
    importance: 'HIGH',
    documentation:
      'The Part Size in S3 Multi-part Uploads. An object larger than one part is uploaded in parts of this size.',
    group: S3,
    orderInGroup: 3,
  })
  .define({
    name: 's3.credentials.provider.class',
    type: 'CLASS',
    defaultValue: DEFAULT_CREDENTIALS_PROVIDER,
    importance: 'LOW',
    documentation:
      'Credentials provider to use for authentication to AWS when aws.access.key.id is not set. Only the default ' +
      'chain is available here: the AWS environment variables, the shared credentials and config files ' +
      '(AWS_PROFILE), web identity, and the container and instance metadata endpoints.',
    group: S3,
    orderInGroup: 4,
  })
  .define({
    name: 'aws.access.key.id',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    documentation: 'The AWS access key ID used to authenticate personal AWS credentials such as IAM credentials.',
    group: S3,
    orderInGroup: 5,
  })
  .define({
    name: 'aws.secret.access.key',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'The secret access key used to authenticate personal AWS credentials such as IAM credentials.',
    group: S3,
    orderInGroup: 6,
  })
  .define({
    name: 's3.compression.type',
    type: 'STRING',
    defaultValue: 'none',
    validator: Validators.in('none', 'gzip'),
    importance: 'LOW',
    documentation: 'Compression type for files written to S3 (JSON and byte array formats): none or gzip.',
    group: S3,
    orderInGroup: 7,
  })
  .define({
    name: 's3.compression.level',
    type: 'INT',
    defaultValue: -1,
    validator: Validators.between(-1, 9),
    importance: 'LOW',
    documentation: 'Compression level for gzip, -1 (the default level) or 0 to 9.',
    group: S3,
    orderInGroup: 8,
  })
  .define({
    name: 's3.send.digest',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    documentation:
      'Enable or disable sending checksums of uploaded parts. Off by default, which also suits S3-compatible ' +
      'servers that do not implement checksum headers.',
    group: S3,
    orderInGroup: 9,
  })
  .define({
    name: 's3.part.retries',
    type: 'INT',
    defaultValue: 3,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    documentation: 'Maximum number of retry attempts for a failed request to S3 before the upload is given up.',
    group: S3,
    orderInGroup: 10,
  })
  .define({
    name: 's3.retry.backoff.ms',
    type: 'LONG',
    defaultValue: 200,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'How long to wait in milliseconds before the first retry of a request to S3.',
    group: S3,
    orderInGroup: 11,
  })
  .define({
    name: 's3.path.style.access.enabled',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation:
      'Specifies whether or not to enable path style access to the bucket used by the connector (the bucket in ' +
      'the URL path rather than in the host name), as most S3-compatible servers need.',
    group: S3,
    orderInGroup: 12,
  })
  .define({
    name: 'behavior.on.null.values',
    type: 'STRING',
    defaultValue: 'fail',
    validator: Validators.inIgnoringCase('ignore', 'fail'),
    importance: 'LOW',
    documentation:
      'How to handle records with a null value (tombstones): ignore skips them, fail fails the task. ' +
      "Confluent's 'write' is not available.",
    group: S3,
    orderInGroup: 13,
  })
  .define({
    name: 'format.bytearray.extension',
    type: 'STRING',
    defaultValue: '.bin',
    importance: 'LOW',
    documentation: 'Output file extension for ByteArrayFormat. Defaults to .bin.',
    group: S3,
    orderInGroup: 14,
  })
  .define({
    name: 'format.bytearray.separator',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'String inserted between records for ByteArrayFormat. Defaults to the line separator and may contain ' +
      'escape sequences like \\n.',
    group: S3,
    orderInGroup: 15,
  })
  .define({
    name: 'json.decimal.format',
    type: 'STRING',
    defaultValue: 'BASE64',
    validator: Validators.inIgnoringCase('BASE64', 'NUMERIC'),
    importance: 'LOW',
    documentation: 'How JsonFormat writes Decimal values: BASE64 (the bytes) or NUMERIC (a JSON number).',
    group: S3,
    orderInGroup: 16,
  })
  .define({
    name: 'avro.codec',
    type: 'STRING',
    defaultValue: 'null',
    validator: Validators.in('null', 'deflate'),
    importance: 'LOW',
    documentation: 'The Avro compression codec for AvroFormat files: null (none) or deflate.',
    group: S3,
    orderInGroup: 17,
  })
  .define({
    name: 'store.url',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Store URL: the endpoint of an S3-compatible server (http://host:port); AWS S3 when not set.',
    group: STORAGE,
    orderInGroup: 1,
  })
  .define({
    name: 'storage.class',
    type: 'CLASS',
    defaultValue: 'io.confluent.connect.s3.storage.S3Storage',
    validator: Validators.in('io.confluent.connect.s3.storage.S3Storage'),
    importance: 'HIGH',
    documentation: 'The underlying storage layer.',
    group: STORAGE,
    orderInGroup: 2,
  })
  .define({
    name: 'topics.dir',
    type: 'STRING',
    defaultValue: 'topics',
    importance: 'HIGH',
    documentation: 'Top level directory to store the data ingested from Kafka.',
    group: STORAGE,
    orderInGroup: 3,
  })
  .define({
    name: 'directory.delim',
    type: 'STRING',
    defaultValue: '/',
    importance: 'MEDIUM',
    documentation: 'Directory delimiter pattern.',
    group: STORAGE,
    orderInGroup: 4,
  })
  .define({
    name: 'file.delim',
    type: 'STRING',
    defaultValue: '+',
    importance: 'MEDIUM',
    documentation: 'File delimiter pattern.',
    group: STORAGE,
    orderInGroup: 5,
  })
  .define({
    name: 'format.class',
    type: 'CLASS',
    validator: Validators.in(FORMAT_CLASSES.json, FORMAT_CLASSES.bytearray, FORMAT_CLASSES.avro),
    importance: 'HIGH',
    documentation:
      'The format class to use when writing data to the store: JsonFormat (one JSON value per line), ' +
      "ByteArrayFormat (the value's bytes, separated) or AvroFormat (Avro container files). ParquetFormat is not " +
      'available.',
    group: CONNECTOR,
    orderInGroup: 1,
  })
  .define({
    name: 'flush.size',
    type: 'INT',
    validator: Validators.atLeast(1),
    importance: 'HIGH',
    documentation: 'Number of records written to store before invoking file commits.',
    group: CONNECTOR,
    orderInGroup: 2,
  })
  .define({
    name: 'rotate.interval.ms',
    type: 'LONG',
    defaultValue: -1,
    importance: 'HIGH',
    documentation:
      'The time interval in milliseconds to invoke file commits, measured in the timestamps of the ' +
      "partitioner's timestamp.extractor: a file is committed when a record's timestamp is this far past the " +
      "file's first. Only with a time-based partitioner; -1 disables it.",
    group: CONNECTOR,
    orderInGroup: 3,
  })
  .define({
    name: 'rotate.schedule.interval.ms',
    type: 'LONG',
    defaultValue: -1,
    importance: 'MEDIUM',
    documentation:
      'The time interval in milliseconds to periodically invoke file commits on the wall clock (aligned to the ' +
      'start of the day in timezone, which must be set). Files are committed on schedule even when no record ' +
      'arrives; object names are then not deterministic across a replay. -1 disables it.',
    group: CONNECTOR,
    orderInGroup: 4,
  })
  .define({
    name: 'filename.offset.zero.pad.width',
    type: 'INT',
    defaultValue: 10,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'Width to zero-pad offsets in store filenames to if the offsets are too short.',
    group: CONNECTOR,
    orderInGroup: 5,
  })
  .define({
    name: 'schema.compatibility',
    type: 'STRING',
    defaultValue: 'NONE',
    validator: Validators.in('NONE'),
    importance: 'HIGH',
    documentation: 'The schema compatibility rule: NONE, a file is committed whenever the value schema changes.',
    group: CONNECTOR,
    orderInGroup: 6,
  })
  .define({
    name: 'rotate.file.on.partition.change',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation:
      'With rotate.interval.ms and a time-based partitioner: commit the open files when a record falls in another ' +
      'encoded partition than the one before it.',
    group: CONNECTOR,
    orderInGroup: 7,
  })
  .define({
    name: 'partitioner.class',
    type: 'CLASS',
    defaultValue: PARTITIONER_CLASSES.default,
    validator: Validators.in(...Object.values(PARTITIONER_CLASSES)),
    importance: 'HIGH',
    documentation:
      'The partitioner to use when writing data to the store: DefaultPartitioner (partition=<kafka partition>), ' +
      'FieldPartitioner (<field>=<value> of partition.field.name), TimeBasedPartitioner (path.format of the ' +
      'timestamp.extractor time, in partition.duration.ms buckets), DailyPartitioner or HourlyPartitioner.',
    group: PARTITIONER,
    orderInGroup: 1,
  })
  .define({
    name: 'partition.field.name',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'The name of the partitioning field when FieldPartitioner is used (several, comma-separated).',
    group: PARTITIONER,
    orderInGroup: 2,
  })
  .define({
    name: 'partition.duration.ms',
    type: 'LONG',
    defaultValue: -1,
    importance: 'MEDIUM',
    documentation: 'The duration of a partition milliseconds used by TimeBasedPartitioner.',
    group: PARTITIONER,
    orderInGroup: 3,
  })
  .define({
    name: 'path.format',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation:
      "This configuration is used to set the format of the data directories when partitioning with TimeBasedPartitioner. The format set in this configuration converts the Unix timestamp to proper directories strings. For example, if you set path.format='year'=YYYY/'month'=MM/'day'=dd/'hour'=HH, the data directories will have the format /year=2015/month=12/day=07/hour=15/.",
    group: PARTITIONER,
    orderInGroup: 4,
  })
  .define({
    name: 'locale',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'The locale to use when partitioning with TimeBasedPartitioner (for month and day names).',
    group: PARTITIONER,
    orderInGroup: 5,
  })
  .define({
    name: 'timezone',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation:
      'The timezone to use when partitioning with TimeBasedPartitioner, and for rotate.schedule.interval.ms ' +
      '(an IANA name such as UTC or Europe/Paris).',
    group: PARTITIONER,
    orderInGroup: 6,
  })
  .define({
    name: 'timestamp.extractor',
    type: 'STRING',
    defaultValue: 'Wallclock',
    validator: Validators.in('Wallclock', 'Record', 'RecordField'),
    importance: 'MEDIUM',
    documentation:
      'The extractor that gets the timestamp for records when partitioning with TimeBasedPartitioner: Wallclock ' +
      "(processing time), Record (the Kafka record's timestamp) or RecordField (timestamp.field of the value).",
    group: PARTITIONER,
    orderInGroup: 7,
  })
  .define({
    name: 'timestamp.field',
    type: 'STRING',
    defaultValue: 'timestamp',
    importance: 'MEDIUM',
    documentation:
      'The record field to be used as timestamp by the timestamp extractor (dots name nested fields): a number ' +
      'of milliseconds, a Timestamp, or an ISO-8601 string.',
    group: PARTITIONER,
    orderInGroup: 8,
  })

/** The format of the objects written. */
export type FormatName = 'json' | 'bytearray' | 'avro'
/** The partitioner, with Daily and Hourly as TimeBased with their fixed settings. */
export type PartitionerName = 'default' | 'field' | 'timeBased'
/** Where a TimeBasedPartitioner takes a record's time from. */
export type TimestampExtractorName = 'Wallclock' | 'Record' | 'RecordField'

/** What the task runs on, parsed and checked. */
export interface S3SinkSettings {
  bucket: string
  region: string
  endpoint: string | null
  pathStyle: boolean
  accessKeyId: string
  secretAccessKey: string | null
  partSize: number
  partRetries: number
  retryBackoffMs: number
  sendDigest: boolean
  compression: 'none' | 'gzip'
  compressionLevel: number
  nullValues: 'ignore' | 'fail'
  format: FormatName
  byteArrayExtension: string
  byteArraySeparator: Uint8Array
  decimalFormat: 'BASE64' | 'NUMERIC'
  avroCodec: 'null' | 'deflate'
  topicsDir: string
  directoryDelim: string
  fileDelim: string
  flushSize: number
  rotateIntervalMs: number
  rotateScheduleIntervalMs: number
  rotateOnPartitionChange: boolean
  zeroPadWidth: number
  partitioner: PartitionerName
  partitionFields: readonly string[]
  partitionDurationMs: number
  pathFormat: string
  locale: string
  timezone: string
  timestampExtractor: TimestampExtractorName
  timestampField: string
}

/** Java's escapes in format.bytearray.separator (StringEscapeUtils.unescapeJava's common ones). */
function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[ntrbf0\\'"])/g, (_, e: string) => {
    if (e.startsWith('u')) return String.fromCharCode(Number.parseInt(e.slice(1), 16))
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' } as Record<string, string>)[e] ?? e
  })
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/**
 * Parses and checks a connector or task config, with the messages of Confluent's connector where it has them
 * (S3SinkConnectorConfig.validateTimezone, TimeBasedPartitioner.configure); throws ConfigError naming the key.
 */
export function parseS3SinkConfig(props: Readonly<Record<string, string>>): S3SinkSettings {
  const c = new AbstractConfig(S3_SINK_CONFIG, props)
  const str = (k: string) => c.getString(k) ?? ''
  const num = (k: string) => c.getNumber(k) ?? 0
  const formatClass = str('format.class')
  const format = (Object.entries(FORMAT_CLASSES).find(([, v]) => v === formatClass)?.[0] ?? 'json') as FormatName
  const partitionerClass = str('partitioner.class')
  let partitioner: PartitionerName = 'default'
  let partitionDurationMs = num('partition.duration.ms')
  let pathFormat = str('path.format')
  const delim = str('directory.delim')
  if (partitionerClass === PARTITIONER_CLASSES.field) partitioner = 'field'
  if (partitionerClass === PARTITIONER_CLASSES.timeBased) partitioner = 'timeBased'
  if (partitionerClass === PARTITIONER_CLASSES.daily || partitionerClass === PARTITIONER_CLASSES.hourly) {
    partitioner = 'timeBased'
    const hourly = partitionerClass === PARTITIONER_CLASSES.hourly
    partitionDurationMs = hourly ? 3_600_000 : 86_400_000
    pathFormat = ["'year'=YYYY", "'month'=MM", "'day'=dd", ...(hourly ? ["'hour'=HH"] : [])].join(delim)
  }
  const timezone = str('timezone')
  const locale = str('locale')
  const rotateScheduleIntervalMs = num('rotate.schedule.interval.ms')
  if (rotateScheduleIntervalMs > 0 && timezone === '') {
    throw new ConfigError('timezone configuration must be set when using rotate.schedule.interval.ms', 'timezone')
  }
  if (timezone !== '' && !validTimezone(timezone)) {
    throw new ConfigError(`Invalid value ${timezone} for configuration timezone: not a known time zone`, 'timezone')
  }
  const fields = c.getList('partition.field.name') ?? []
  if (partitioner === 'field' && fields.length === 0) {
    throw new ConfigError(
      'Invalid value for configuration partition.field.name: FieldPartitioner needs at least one field',
      'partition.field.name',
    )
  }
  if (partitioner === 'timeBased') {
    if (partitionDurationMs < 0) {
      throw new ConfigError(
        `Invalid value ${partitionDurationMs} for configuration partition.duration.ms: Partition duration needs to be a positive.`,
        'partition.duration.ms',
      )
    }
    if (pathFormat.trim() === '' || pathFormat === delim) {
      throw new ConfigError(
        `Invalid value ${pathFormat} for configuration path.format: Path format cannot be empty.`,
        'path.format',
      )
    }
    if (delim !== '' && pathFormat.endsWith(delim)) pathFormat = pathFormat.slice(0, -delim.length)
    if (locale.trim() === '') {
      throw new ConfigError('Invalid value  for configuration locale: Locale cannot be empty.', 'locale')
    }
    if (timezone.trim() === '') {
      throw new ConfigError('Invalid value  for configuration timezone: Timezone cannot be empty.', 'timezone')
    }
  }
  const provider = str('s3.credentials.provider.class')
  if (provider !== DEFAULT_CREDENTIALS_PROVIDER) {
    throw new ConfigError(
      `Invalid value ${provider} for configuration s3.credentials.provider.class: only ${DEFAULT_CREDENTIALS_PROVIDER} is available`,
      's3.credentials.provider.class',
    )
  }
  const separator = c.getString('format.bytearray.separator')
  return {
    bucket: str('s3.bucket.name'),
    region: str('s3.region'),
    endpoint: c.getString('store.url'),
    pathStyle: c.getBoolean('s3.path.style.access.enabled') ?? true,
    accessKeyId: str('aws.access.key.id'),
    secretAccessKey: c.getPassword('aws.secret.access.key')?.value() ?? null,
    partSize: num('s3.part.size'),
    partRetries: num('s3.part.retries'),
    retryBackoffMs: num('s3.retry.backoff.ms'),
    sendDigest: c.getBoolean('s3.send.digest') ?? false,
    compression: str('s3.compression.type') as 'none' | 'gzip',
    compressionLevel: num('s3.compression.level'),
    nullValues: str('behavior.on.null.values').toLowerCase() as 'ignore' | 'fail',
    format,
    byteArrayExtension: str('format.bytearray.extension'),
    byteArraySeparator: Buffer.from(separator === null ? '\n' : unescapeJava(separator), 'utf8'),
    decimalFormat: str('json.decimal.format').toUpperCase() as 'BASE64' | 'NUMERIC',
    avroCodec: str('avro.codec') as 'null' | 'deflate',
    topicsDir: str('topics.dir'),
    directoryDelim: delim,
    fileDelim: str('file.delim'),
    flushSize: num('flush.size'),
    rotateIntervalMs: num('rotate.interval.ms'),
    rotateScheduleIntervalMs,
    rotateOnPartitionChange: c.getBoolean('rotate.file.on.partition.change') ?? true,
    zeroPadWidth: num('filename.offset.zero.pad.width'),
    partitioner,
    partitionFields: fields,
    partitionDurationMs,
    pathFormat,
    locale,
    timezone,
    timestampExtractor: str('timestamp.extractor') as TimestampExtractorName,
    timestampField: str('timestamp.field'),
  }
}
