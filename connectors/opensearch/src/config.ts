/**
 * The search sink's configuration, in two flavours over one set of declarations: Confluent's
 * ElasticsearchSinkConnectorConfig (write.method, behavior.on.null.values fail, elastic.security.protocol and
 * elastic.https.ssl.* for TLS) and Aiven's OpenSearchSinkConnectorConfig (index.write.method,
 * key.ignore.id.strategy, behavior.on.null.values ignore, ssl.* for TLS). Keys and defaults are the Java
 * connectors'; `parseSearchSinkConfig` gives the typed settings, refusing what this port does not do with a
 * ConfigError naming the key.
 */
import { readFileSync } from 'node:fs'
import { AbstractConfig, ConfigDef, ConfigError, Validators } from 'tsconnect'

/** Which Java connector's keys and defaults. */
export type Flavour = 'confluent' | 'aiven'

const CONNECTOR = 'Connector'
const DATA = 'Data Conversion'
const SECURITY = 'Security'

/** The ConfigDef of a flavour. */
export function searchSinkConfigDef(flavour: Flavour): ConfigDef {
  const tls = flavour === 'confluent' ? 'elastic.https.' : ''
  let order = 0
  const def = new ConfigDef()
    .define({
      name: 'connection.url',
      type: 'LIST',
      validator: Validators.nonEmptyList(),
      importance: 'HIGH',
      documentation:
        'The comma-separated list of one or more URLs of the cluster (http://host:9200 or https://host:9200); ' +
        'requests go to them in turn.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'connection.username',
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The username for basic authentication; used only when the password is set too.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'connection.password',
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The password for basic authentication; used only when the username is set too.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'batch.size',
      type: 'INT',
      defaultValue: 2000,
      validator: Validators.between(1, 1_000_000),
      importance: 'MEDIUM',
      documentation: 'The number of records to process as a batch when writing (the actions of one bulk request).',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'bulk.size.bytes',
      type: 'LONG',
      defaultValue: 5 * 1024 * 1024,
      validator: Validators.atLeast(-1),
      importance: 'LOW',
      documentation: 'The maximum size (in bytes) of a bulk request body; -1 for no limit but batch.size.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'max.in.flight.requests',
      type: 'INT',
      defaultValue: 5,
      validator: Validators.between(1, 1000),
      importance: 'MEDIUM',
      documentation: 'The maximum number of bulk requests in flight at once, before the task waits.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'max.buffered.records',
      type: 'INT',
      defaultValue: 20000,
      validator: Validators.between(1, 2 ** 31 - 1),
      importance: 'LOW',
      documentation: 'The maximum number of records buffered before put() waits for bulk requests to complete.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'linger.ms',
      type: 'LONG',
      defaultValue: 1,
      validator: Validators.between(0, 604_800_000),
      importance: 'LOW',
      documentation:
        'How long a batch smaller than batch.size may wait for more records before it is sent (checked at each put).',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'flush.timeout.ms',
      type: 'LONG',
      defaultValue: flavour === 'confluent' ? 180_000 : 10_000,
      validator: Validators.atLeast(1000),
      importance: 'LOW',
      documentation: 'How long a flush (before an offset commit) waits for the buffered records to be written.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'max.retries',
      type: 'INT',
      defaultValue: 5,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation:
        'The maximum number of retries of a bulk request (or of its items) answered 429, 5xx or not at all, ' +
        'before the task fails.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'retry.backoff.ms',
      type: 'LONG',
      defaultValue: 100,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation:
        'The backoff before the first retry; it doubles with each retry (with random jitter), at most 24 hours.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'connection.timeout.ms',
      type: 'INT',
      defaultValue: 1000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation: 'How long to wait in milliseconds when establishing a connection.',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
    .define({
      name: 'read.timeout.ms',
      type: 'INT',
      defaultValue: 3000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation: 'How long to wait in milliseconds for an answer to a request (then it is retried).',
      group: CONNECTOR,
      orderInGroup: ++order,
    })
  order = 0
  def
    .define({
      name: 'key.ignore',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'HIGH',
      documentation:
        'Whether to ignore the record key for the document id: then the id is topic+partition+offset ' +
        (flavour === 'aiven' ? '(or as key.ignore.id.strategy says)' : '') +
        '; else the key (a string, number or boolean) is the id.',
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: 'schema.ignore',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      documentation:
        'Whether to ignore schemas: then the cluster infers the mapping; else the index mapping is created from ' +
        "the record's value schema before the first document of the index is written.",
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: 'compact.map.entries',
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      documentation:
        'Whether maps with string keys are written as JSON objects; else as arrays of key and value entries.',
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: 'topic.key.ignore',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Topics whose keys are ignored (as key.ignore, for these topics only).',
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: 'topic.schema.ignore',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Topics whose schemas are ignored (as schema.ignore, for these topics only).',
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: 'drop.invalid.message',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      documentation:
        'Whether to drop a record that cannot be made into a document (e.g. a null key) instead of failing.',
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: 'behavior.on.null.values',
      type: 'STRING',
      defaultValue: flavour === 'confluent' ? 'fail' : 'ignore',
      validator: Validators.inIgnoringCase('ignore', 'delete', 'fail'),
      importance: 'LOW',
      documentation:
        'How to handle records with a null value (tombstones): ignore skips them, delete deletes the document of ' +
        'the id, fail fails the task.',
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: 'behavior.on.malformed.documents',
      type: 'STRING',
      defaultValue: 'fail',
      validator: Validators.inIgnoringCase('ignore', 'warn', 'fail'),
      importance: 'LOW',
      documentation:
        'How to handle documents the cluster rejects as malformed (mapper_parsing_exception, ' +
        'illegal_argument_exception, action_request_validation_exception): ignore drops them, warn drops them ' +
        'with a warning, fail fails the task.',
      group: DATA,
      orderInGroup: ++order,
    })
    .define({
      name: flavour === 'confluent' ? 'write.method' : 'index.write.method',
      type: 'STRING',
      defaultValue: 'insert',
      validator: Validators.inIgnoringCase('insert', 'upsert'),
      importance: 'LOW',
      documentation:
        'How documents are written: insert (index: the document replaces any of the same id) or upsert ' +
        '(update with doc_as_upsert: fields merge into the document of the same id).',
      group: DATA,
      orderInGroup: ++order,
    })
  if (flavour === 'aiven') {
    def.define({
      name: 'key.ignore.id.strategy',
      type: 'STRING',
      defaultValue: 'topic.partition.offset',
      validator: Validators.in('none', 'record.key', 'topic.partition.offset'),
      importance: 'LOW',
      documentation:
        'With key.ignore: the document id: none (the cluster picks one), record.key or topic.partition.offset.',
      group: DATA,
      orderInGroup: ++order,
    })
  }
  order = 0
  if (flavour === 'confluent') {
    def.define({
      name: 'elastic.security.protocol',
      type: 'STRING',
      defaultValue: 'PLAINTEXT',
      validator: Validators.in('PLAINTEXT', 'SSL'),
      importance: 'MEDIUM',
      documentation:
        'The security protocol to use when connecting: PLAINTEXT, or SSL (TLS, also implied by https URLs).',
      group: SECURITY,
      orderInGroup: ++order,
    })
  }
  return def
    .define({
      name: `${tls}ssl.truststore.type`,
      type: 'STRING',
      defaultValue: 'PEM',
      validator: Validators.in('PEM'),
      importance: 'MEDIUM',
      documentation: 'The format of the trust store: PEM (JKS and PKCS12 trust stores are not read here).',
      group: SECURITY,
      orderInGroup: ++order,
    })
    .define({
      name: `${tls}ssl.truststore.location`,
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation:
        'A PEM file of the CA certificates to trust; the system CAs when neither this nor the certificates are set.',
      group: SECURITY,
      orderInGroup: ++order,
    })
    .define({
      name: `${tls}ssl.truststore.certificates`,
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The CA certificates to trust, in PEM, inline.',
      group: SECURITY,
      orderInGroup: ++order,
    })
    .define({
      name: `${tls}ssl.endpoint.identification.algorithm`,
      type: 'STRING',
      defaultValue: 'https',
      importance: 'LOW',
      documentation: "Checks the server's host name against its certificate when https; empty turns the check off.",
      group: SECURITY,
      orderInGroup: ++order,
    })
}

/** Confluent's ElasticsearchSinkConnectorConfig keys. */
export const ELASTICSEARCH_SINK_CONFIG = searchSinkConfigDef('confluent')
/** Aiven's OpenSearchSinkConnectorConfig keys. */
export const OPENSEARCH_SINK_CONFIG = searchSinkConfigDef('aiven')

/** Where a document id comes from. */
export type IdStrategy = 'none' | 'record.key' | 'topic.partition.offset'

/** What the task runs on. */
export interface SearchSinkSettings {
  urls: readonly string[]
  auth: { username: string; password: string } | null
  tls: { ca: string | null; checkHostname: boolean }
  batchSize: number
  bulkSizeBytes: number
  maxInFlight: number
  maxBuffered: number
  lingerMs: number
  flushTimeoutMs: number
  maxRetries: number
  retryBackoffMs: number
  connectTimeoutMs: number
  readTimeoutMs: number
  keyIgnore: boolean
  /** With key.ignore (or topic.key.ignore): the id (Confluent's is always topic+partition+offset). */
  ignoredKeyId: IdStrategy
  topicKeyIgnore: ReadonlySet<string>
  schemaIgnore: boolean
  topicSchemaIgnore: ReadonlySet<string>
  compactMapEntries: boolean
  dropInvalid: boolean
  nullValues: 'ignore' | 'delete' | 'fail'
  malformed: 'ignore' | 'warn' | 'fail'
  writeMethod: 'insert' | 'upsert'
}

/** Parses and checks a connector or task config of the flavour; throws ConfigError naming the key. */
export function parseSearchSinkConfig(flavour: Flavour, props: Readonly<Record<string, string>>): SearchSinkSettings {
  const c = new AbstractConfig(flavour === 'confluent' ? ELASTICSEARCH_SINK_CONFIG : OPENSEARCH_SINK_CONFIG, props)
  const tls = flavour === 'confluent' ? 'elastic.https.' : ''
  const urls = (c.getList('connection.url') ?? []).map((u) => u.replace(/\/+$/, ''))
  for (const u of urls) {
    if (!/^https?:\/\/[^/]+/.test(u)) {
      throw new ConfigError(
        `Invalid value ${u} for configuration connection.url: not an http or https URL`,
        'connection.url',
      )
    }
  }
  const username = c.getString('connection.username')
  const password = c.getPassword('connection.password')?.value() ?? null
  const location = c.getString(`${tls}ssl.truststore.location`)
  let ca = c.getPassword(`${tls}ssl.truststore.certificates`)?.value() ?? null
  if (location !== null && location !== '') {
    try {
      ca = readFileSync(location, 'utf8')
    } catch (error) {
      throw new ConfigError(
        `Invalid value ${location} for configuration ${tls}ssl.truststore.location: ${(error as Error).message}`,
        `${tls}ssl.truststore.location`,
      )
    }
  }
  const writeMethod = (
    c.getString(flavour === 'confluent' ? 'write.method' : 'index.write.method') ?? 'insert'
  ).toLowerCase()
  const ignoredKeyId =
    flavour === 'aiven' ? (c.getString('key.ignore.id.strategy') as IdStrategy) : 'topic.partition.offset'
  if (writeMethod === 'upsert' && c.getBoolean('key.ignore') && ignoredKeyId === 'none') {
    throw new ConfigError(
      'Invalid value none for configuration key.ignore.id.strategy: none is not supported for index upsert',
      'key.ignore.id.strategy',
    )
  }
  return {
    urls,
    auth: username !== null && username !== '' && password !== null ? { username, password } : null,
    tls: { ca, checkHostname: (c.getString(`${tls}ssl.endpoint.identification.algorithm`) ?? '') !== '' },
    batchSize: c.getInt('batch.size') ?? 2000,
    bulkSizeBytes: c.getLong('bulk.size.bytes') ?? -1,
    maxInFlight: c.getInt('max.in.flight.requests') ?? 5,
    maxBuffered: c.getInt('max.buffered.records') ?? 20000,
    lingerMs: c.getLong('linger.ms') ?? 1,
    flushTimeoutMs: c.getLong('flush.timeout.ms') ?? 180_000,
    maxRetries: c.getInt('max.retries') ?? 5,
    retryBackoffMs: c.getLong('retry.backoff.ms') ?? 100,
    connectTimeoutMs: c.getInt('connection.timeout.ms') ?? 1000,
    readTimeoutMs: c.getInt('read.timeout.ms') ?? 3000,
    keyIgnore: c.getBoolean('key.ignore') ?? false,
    ignoredKeyId,
    topicKeyIgnore: new Set(c.getList('topic.key.ignore') ?? []),
    schemaIgnore: c.getBoolean('schema.ignore') ?? false,
    topicSchemaIgnore: new Set(c.getList('topic.schema.ignore') ?? []),
    compactMapEntries: c.getBoolean('compact.map.entries') ?? true,
    dropInvalid: c.getBoolean('drop.invalid.message') ?? false,
    nullValues: (c.getString('behavior.on.null.values') ?? 'fail').toLowerCase() as SearchSinkSettings['nullValues'],
    malformed: (
      c.getString('behavior.on.malformed.documents') ?? 'fail'
    ).toLowerCase() as SearchSinkSettings['malformed'],
    writeMethod: writeMethod as 'insert' | 'upsert',
  }
}
