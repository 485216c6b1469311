/**
 * The connector's configuration: Debezium PostgresConnector's keys and defaults (PostgresConnectorConfig and
 * CommonConnectorConfig of Debezium 3.6.1) for everything that applies to pgoutput, so a Debezium config runs
 * unchanged. Debezium keys that tsconnect does not implement are named in validation (UNSUPPORTED below) rather
 * than ignored: a config that relies on one fails with the key and the reason.
 */
import { ConfigDef, ConfigValue, Validators } from 'tsconnect'

/** The version Debezium's source block and REST status report; records are byte-compatible with this release. */
export const DEBEZIUM_VERSION = '3.6.1.Final'

const CONNECTION = 'Connection'
const CAPTURE = 'Capture'
const SNAPSHOT = 'Snapshot'
const STREAM = 'Streaming'
const EVENTS = 'Events'

const enumOf = (...values: string[]) => Validators.in(...values)

/** The ConfigDef of io.debezium.connector.postgresql.PostgresConnector as tsconnect implements it. */
export const POSTGRES_CONFIG: ConfigDef = new ConfigDef()
  .define({
    name: 'topic.prefix',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    group: CONNECTION,
    documentation:
      "The logical name of the database server: the prefix of every topic (`<topic.prefix>.<schema>.<table>`) and the source partition's `server`.",
  })
  .define({
    name: 'database.hostname',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    group: CONNECTION,
    documentation: 'The PostgreSQL server to connect to.',
  })
  .define({
    name: 'database.port',
    type: 'INT',
    defaultValue: 5432,
    validator: Validators.between(1, 65535),
    importance: 'HIGH',
    group: CONNECTION,
    documentation: "The PostgreSQL server's port.",
  })
  .define({
    name: 'database.user',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    group: CONNECTION,
    documentation:
      'The user to connect as; it needs the REPLICATION attribute (or superuser) and SELECT on the captured tables.',
  })
  .define({
    name: 'database.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: CONNECTION,
    documentation: "The user's password.",
  })
  .define({
    name: 'database.dbname',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    group: CONNECTION,
    documentation: 'The database to capture (a logical replication slot belongs to one database).',
  })
  .define({
    name: 'plugin.name',
    type: 'STRING',
    defaultValue: 'decoderbufs',
    validator: enumOf('decoderbufs', 'pgoutput'),
    importance: 'MEDIUM',
    group: CONNECTION,
    documentation:
      "The logical decoding plugin. Debezium's default is `decoderbufs`; tsconnect implements `pgoutput` (built into PostgreSQL 10+) only, and validation asks for it.",
  })
  .define({
    name: 'slot.name',
    type: 'STRING',
    defaultValue: 'debezium',
    validator: Validators.nonEmptyString(),
    importance: 'MEDIUM',
    group: STREAM,
    documentation: 'The logical replication slot to stream from; created (with an exported snapshot) when missing.',
  })
  .define({
    name: 'slot.drop.on.stop',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: STREAM,
    documentation:
      'Whether the slot is dropped when the task stops cleanly (for tests; a dropped slot loses its position).',
  })
  .define({
    name: 'slot.max.retries',
    type: 'INT',
    defaultValue: 6,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: STREAM,
    documentation: 'How often to try to claim a slot that another connection still holds.',
  })
  .define({
    name: 'slot.retry.delay.ms',
    type: 'LONG',
    defaultValue: 10_000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    group: STREAM,
    documentation: 'The pause between tries to claim the slot.',
  })
  .define({
    name: 'publication.name',
    type: 'STRING',
    defaultValue: 'dbz_publication',
    validator: Validators.nonEmptyString(),
    importance: 'MEDIUM',
    group: STREAM,
    documentation: 'The publication pgoutput streams.',
  })
  .define({
    name: 'publication.autocreate.mode',
    type: 'STRING',
    defaultValue: 'all_tables',
    validator: enumOf('disabled', 'all_tables', 'filtered', 'no_tables'),
    importance: 'LOW',
    group: STREAM,
    documentation:
      'When the publication is missing: `all_tables` creates it FOR ALL TABLES (needs superuser), `filtered` for the tables the include/exclude lists select, `no_tables` empty, `disabled` fails.',
  })
  .define({
    name: 'status.update.interval.ms',
    type: 'INT',
    defaultValue: 10_000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    group: STREAM,
    documentation:
      'How often a standby status (the last committed LSN) is sent to the server, also when nothing changes.',
  })
  .define({
    name: 'schema.include.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'MEDIUM',
    group: CAPTURE,
    documentation:
      'Regular expressions for the schemas to capture (whole-name matches); absent: all but the system schemas.',
  })
  .define({
    name: 'schema.exclude.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'MEDIUM',
    group: CAPTURE,
    documentation: 'Regular expressions for schemas not to capture; not with schema.include.list.',
  })
  .define({
    name: 'table.include.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'MEDIUM',
    group: CAPTURE,
    documentation: 'Regular expressions matched against `schema.table` for the tables to capture.',
  })
  .define({
    name: 'table.exclude.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'MEDIUM',
    group: CAPTURE,
    documentation:
      'Regular expressions matched against `schema.table` for tables not to capture; not with table.include.list.',
  })
  .define({
    name: 'column.include.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'LOW',
    group: CAPTURE,
    documentation: 'Regular expressions matched against `schema.table.column` for the columns to keep.',
  })
  .define({
    name: 'column.exclude.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'LOW',
    group: CAPTURE,
    documentation: 'Regular expressions matched against `schema.table.column` for columns to leave out.',
  })
  .define({
    name: 'message.key.columns',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: CAPTURE,
    documentation:
      'Record keys other than the primary key: `<schema.table regex>:<column>,<column>;...`, e.g. `inv.orders:customer_id,order_no`.',
  })
  .define({
    name: 'snapshot.mode',
    type: 'STRING',
    defaultValue: 'initial',
    validator: enumOf('initial', 'always', 'no_data', 'never', 'initial_only', 'when_needed'),
    importance: 'MEDIUM',
    group: SNAPSHOT,
    documentation:
      '`initial` snapshots when there is no committed offset (or the last snapshot did not finish), `always` at every start, `no_data` (`never`) never, `initial_only` snapshots and does not stream, `when_needed` also when the slot is gone.',
  })
  .define({
    name: 'snapshot.fetch.size',
    type: 'INT',
    defaultValue: 10_240,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: SNAPSHOT,
    documentation: 'Rows fetched per round trip from the snapshot cursor: the most rows of a table held in memory.',
  })
  .define({
    name: 'snapshot.isolation.mode',
    type: 'STRING',
    defaultValue: 'serializable',
    validator: enumOf('serializable', 'repeatable_read', 'read_committed', 'read_uncommitted'),
    importance: 'LOW',
    group: SNAPSHOT,
    documentation:
      "Accepted for Debezium's configs; a snapshot under a newly created slot always reads the slot's exported snapshot (REPEATABLE READ).",
  })
  .define({
    name: 'tombstones.on.delete',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    group: EVENTS,
    documentation: 'Whether a delete is followed by a tombstone (same key, null value) for log compaction.',
  })
  .define({
    name: 'skipped.operations',
    type: 'LIST',
    defaultValue: 't',
    validator: Validators.listOf('c', 'u', 'd', 't', 'none'),
    importance: 'LOW',
    group: EVENTS,
    documentation: 'Operations not to emit: c inserts, u updates, d deletes, t truncates; `none` emits all.',
  })
  .define({
    name: 'decimal.handling.mode',
    type: 'STRING',
    defaultValue: 'precise',
    validator: enumOf('precise', 'double', 'string'),
    importance: 'MEDIUM',
    group: EVENTS,
    documentation: 'numeric and money as Connect Decimal (`precise`), float64 (`double`) or text (`string`).',
  })
  .define({
    name: 'time.precision.mode',
    type: 'STRING',
    defaultValue: 'adaptive',
    validator: enumOf('adaptive', 'adaptive_time_microseconds'),
    importance: 'MEDIUM',
    group: EVENTS,
    documentation:
      "Debezium's time types by column precision (`adaptive`: Time/MicroTime, Timestamp/MicroTimestamp); `connect` is not implemented.",
  })
  .define({
    name: 'binary.handling.mode',
    type: 'STRING',
    defaultValue: 'bytes',
    validator: enumOf('bytes', 'base64', 'base64-url-safe', 'hex'),
    importance: 'LOW',
    group: EVENTS,
    documentation: 'bytea as bytes or as text in base64, URL-safe base64 or hex.',
  })
  .define({
    name: 'interval.handling.mode',
    type: 'STRING',
    defaultValue: 'numeric',
    validator: enumOf('numeric', 'string'),
    importance: 'LOW',
    group: EVENTS,
    documentation: 'interval as MicroDuration microseconds (months of 365.25/12 days) or as text.',
  })
  .define({
    name: 'hstore.handling.mode',
    type: 'STRING',
    defaultValue: 'json',
    validator: enumOf('json'),
    importance: 'LOW',
    group: EVENTS,
    documentation: 'hstore as JSON text (`map` is not implemented).',
  })
  .define({
    name: 'provide.transaction.metadata',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: EVENTS,
    documentation:
      'Whether transaction BEGIN/END events go to `<topic.prefix>.transaction` and envelopes carry a transaction block.',
  })
  .define({
    name: 'topic.transaction',
    type: 'STRING',
    defaultValue: 'transaction',
    importance: 'LOW',
    group: EVENTS,
    documentation: 'The suffix of the transaction topic.',
  })
  .define({
    name: 'heartbeat.interval.ms',
    type: 'INT',
    defaultValue: 0,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: EVENTS,
    documentation:
      'How often a heartbeat record (carrying the current offset, so the slot advances on an idle database) is written to `<topic.heartbeat.prefix>.<topic.prefix>`; 0 disables.',
  })
  .define({
    name: 'topic.heartbeat.prefix',
    type: 'STRING',
    defaultValue: '__debezium-heartbeat',
    importance: 'LOW',
    group: EVENTS,
    documentation: 'The prefix of the heartbeat topic.',
  })
  .define({
    name: 'heartbeat.action.query',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: EVENTS,
    documentation:
      'A statement run on the database at each heartbeat (e.g. an UPDATE of a heartbeat table, so WAL flows).',
  })
  .define({
    name: 'max.batch.size',
    type: 'INT',
    defaultValue: 2048,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: EVENTS,
    documentation: 'The most records one poll returns.',
  })
  .define({
    name: 'max.queue.size',
    type: 'INT',
    defaultValue: 8192,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: EVENTS,
    documentation: 'The most replication messages buffered before reading from the server pauses.',
  })
  .define({
    name: 'poll.interval.ms',
    type: 'LONG',
    defaultValue: 500,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    group: EVENTS,
    documentation: 'How long a poll waits for changes when there are none.',
  })

/**
 * Debezium keys this connector does not implement, with the values that mean what it does anyway (an empty list:
 * any value is refused). Each one supplied with another value is a validation error naming it.
 */
export const UNSUPPORTED: Readonly<Record<string, readonly string[]>> = {
  'database.sslmode': ['disable'],
  'database.sslcert': [],
  'database.sslkey': [],
  'database.sslpassword': [],
  'database.sslrootcert': [],
  'database.sslfactory': [],
  'database.initial.statements': [],
  'snapshot.select.statement.overrides': [],
  'snapshot.include.collection.list': [],
  'snapshot.locking.mode': ['none'],
  'snapshot.query.mode': ['select_all'],
  'snapshot.max.threads': ['1'],
  'snapshot.delay.ms': ['0'],
  'signal.data.collection': [],
  'signal.enabled.channels': ['source'],
  'incremental.snapshot.chunk.size': ['1024'],
  'read.only': ['false'],
  'publish.via.partition.root': ['false'],
  'slot.stream.params': [],
  'slot.failover': ['false'],
  'xmin.fetch.interval.ms': ['0'],
  'include.unknown.datatypes': ['false'],
  'money.fraction.digits': ['2'],
  converters: [],
  'column.propagate.source.type': [],
  'datatype.propagate.source.type': [],
  'schema.name.adjustment.mode': ['none'],
  'field.name.adjustment.mode': ['none'],
  'topic.naming.strategy': [
    'io.debezium.schema.SchemaTopicNamingStrategy',
    'io.debezium.schema.DefaultTopicNamingStrategy',
  ],
  'topic.delimiter': ['.'],
  'replica.identity.autoset.values': [],
  'message.prefix.include.list': [],
  'message.prefix.exclude.list': [],
  'lsn.flush.mode': ['connector'],
  'flush.lsn.source': ['true'],
  'extended.headers.enabled': ['true'],
  'unavailable.value.placeholder': ['__debezium_unavailable_value'],
  'post.processors': [],
  'custom.metric.tags': [],
  'offset.mismatch.strategy': [],
}

/** Validation problems beyond the ConfigDef's: pgoutput only, Debezium keys that are not implemented. */
export function extraProblems(props: Readonly<Record<string, string>>): ConfigValue[] {
  const problems: ConfigValue[] = []
  const plugin = props['plugin.name'] ?? 'decoderbufs'
  if (plugin !== 'pgoutput') {
    const v = new ConfigValue('plugin.name')
    v.value = plugin
    v.addErrorMessage(`tsconnect's PostgresConnector decodes pgoutput only; set plugin.name=pgoutput (was ${plugin})`)
    problems.push(v)
  }
  for (const [key, value] of Object.entries(props)) {
    const accepted = UNSUPPORTED[key] ?? (/^column\.(mask|truncate|mask\.hash)\./.test(key) ? [] : undefined)
    if (accepted === undefined || accepted.includes(value)) continue
    const v = new ConfigValue(key)
    v.value = value
    v.addErrorMessage(
      `${key} is a Debezium setting that tsconnect's PostgresConnector does not implement${accepted.length > 0 ? ` (only ${accepted.join(', ')})` : ''}`,
    )
    problems.push(v)
  }
  for (const [a, b] of [
    ['schema.include.list', 'schema.exclude.list'],
    ['table.include.list', 'table.exclude.list'],
    ['column.include.list', 'column.exclude.list'],
  ] as const) {
    if (props[a] && props[b]) {
      const v = new ConfigValue(b)
      v.value = props[b] ?? null
      v.addErrorMessage(`${b} may not be set together with ${a}`)
      problems.push(v)
    }
  }
  return problems
}
