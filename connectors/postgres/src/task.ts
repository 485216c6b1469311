/**
 * PostgresConnectorTask: the one task of a PostgresConnector. start() connects, ensures the publication and the
 * slot, and decides whether to snapshot; poll() gives the snapshot's records (chunked), then the stream's.
 *
 * Delivery: at-least-once. The slot's confirmed LSN moves only in commit(), which the worker calls after the
 * offsets of the records before it are durable in the offsets topic, and only to the lsn_commit (or lsn_proc) of
 * the offset the store holds then (Debezium's commitOffset rule). A task killed at any point restarts from its last
 * committed offset; what it sent after that is sent again.
 *
 * The replication socket is the only producer of messages: its handler appends to `#queue` and pauses the socket
 * when the queue holds max.queue.size messages; poll() is the only consumer, and resumes the socket when the queue
 * has drained to half.
 */
import type pg from 'pg'
import { AbstractConfig, ConfigError, RetriableError, type SourceRecord, SourceTask } from 'tsconnect'
import { DEBEZIUM_VERSION, POSTGRES_CONFIG } from './config.ts'
import { Filters } from './filters.ts'
import { readOffset, type StoredOffset, sourcePartition } from './offsets.ts'
import { ChangeRecords } from './records/change-records.ts'
import {
  type ConnectionOptions,
  endClient,
  quoteIdent,
  ReplicationConnection,
  type ReplicationStream,
  textClient,
} from './replication/connection.ts'
import { parseLsn } from './replication/lsn.ts'
import { type CopyDataMessage, decodePgOutput } from './replication/pgoutput.ts'
import type { TableSchema } from './schema/table-schema.ts'
import type { ValueModes } from './schema/values.ts'
import { SnapshotReader } from './snapshot.ts'
import { ChangeStream } from './streaming.ts'

type Phase = 'snapshot' | 'streaming' | 'idle' | 'stopped'

interface Queued {
  lsn: bigint
  payload: Buffer
}

/** The task. */
export class PostgresConnectorTask extends SourceTask {
  #config!: AbstractConfig
  #connection!: ConnectionOptions
  #jdbc: pg.Client | null = null
  #replication: ReplicationConnection | null = null
  #stream: ReplicationStream | null = null
  #records!: ChangeRecords
  #filters!: Filters
  #modes!: ValueModes
  #partition!: ReadonlyMap<string, string>
  #phase: Phase = 'idle'
  #snapshot: SnapshotReader | null = null
  #changes: ChangeStream | null = null
  #stored: StoredOffset | null = null
  #startLsn = 0n
  #slotName = ''
  #publication = ''
  readonly #queue: Queued[] = []
  #paused = false
  #wake: (() => void) | null = null
  #failure: Error | null = null
  #flushedLsn = 0n
  #lastReceivedLsn = 0n
  #statusTimer: NodeJS.Timeout | null = null
  #heartbeatTimer: NodeJS.Timeout | null = null
  #heartbeatDue = false
  #maxBatch = 2048
  #maxQueue = 8192
  #pollIntervalMs = 500
  #initialOnly = false
  #acknowledged = 0

  version(): string {
    return DEBEZIUM_VERSION
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    this.#config = new AbstractConfig(POSTGRES_CONFIG, props)
    const c = this.#config
    const prefix = c.getString('topic.prefix') as string
    this.#connection = {
      host: c.getString('database.hostname') as string,
      port: c.getInt('database.port') as number,
      user: c.getString('database.user') as string,
      password: c.getPassword('database.password')?.value() ?? '',
      database: c.getString('database.dbname') as string,
    }
    this.#filters = new Filters({
      schemaInclude: c.getList('schema.include.list'),
      schemaExclude: c.getList('schema.exclude.list'),
      tableInclude: c.getList('table.include.list'),
      tableExclude: c.getList('table.exclude.list'),
      columnInclude: c.getList('column.include.list'),
      columnExclude: c.getList('column.exclude.list'),
      messageKeyColumns: c.getString('message.key.columns'),
    })
    this.#modes = {
      decimal: c.getString('decimal.handling.mode') as ValueModes['decimal'],
      time: c.getString('time.precision.mode') as ValueModes['time'],
      binary: c.getString('binary.handling.mode') as ValueModes['binary'],
      interval: c.getString('interval.handling.mode') as ValueModes['interval'],
      hstore: 'json',
    }
    this.#maxBatch = c.getInt('max.batch.size') as number
    this.#maxQueue = c.getInt('max.queue.size') as number
    this.#pollIntervalMs = c.getLong('poll.interval.ms') as number
    this.#slotName = c.getString('slot.name') as string
    this.#publication = c.getString('publication.name') as string
    this.#partition = sourcePartition(prefix)
    this.#records = new ChangeRecords({
      topicPrefix: prefix,
      database: this.#connection.database,
      partition: this.#partition,
      tombstonesOnDelete: c.getBoolean('tombstones.on.delete') as boolean,
      taskId: '0',
    })

    const stored = await this.context.offsetStorageReader().offset(this.#partition)
    this.#stored = stored === null ? null : readOffset(stored)

    const jdbc = textClient(this.#connection)
    jdbc.on('error', (error) => this.#fail(error))
    await jdbc.connect()
    this.#jdbc = jdbc
    await this.#ensurePublication(jdbc)

    const slotRow = await this.#inactiveSlot(jdbc)
    const mode = c.getString('snapshot.mode') as string
    this.#initialOnly = mode === 'initial_only'
    const snapshotUnfinished =
      this.#stored !== null &&
      this.#stored.snapshot !== null &&
      !this.#stored.lastSnapshotRecord &&
      !this.#stored.snapshotCompleted
    const wantsSnapshot =
      mode === 'always' ||
      ((mode === 'initial' || mode === 'initial_only' || mode === 'when_needed') &&
        (this.#stored === null || snapshotUnfinished)) ||
      (mode === 'when_needed' && slotRow === undefined)
    if (this.#initialOnly && !wantsSnapshot) {
      this.#phase = 'idle'
      return
    }

    this.#replication = await this.#openReplication()
    let exported: string | null = null
    if (slotRow === undefined) {
      const created = await this.#replication.createSlot(this.#slotName, wantsSnapshot)
      exported = created.snapshotName
      this.#startLsn = created.consistentPoint
    } else {
      const flushed = slotRow.flushed === null ? 0n : parseLsn(slotRow.flushed)
      const s = this.#stored
      this.#startLsn = s?.lsnCommit ?? s?.lsnProc ?? s?.lsn ?? flushed
      if (this.#startLsn < flushed) this.#startLsn = flushed
    }
    this.#flushedLsn = this.#startLsn
    if (wantsSnapshot) {
      this.#snapshot = new SnapshotReader(jdbc, this.#records, {
        topicPrefix: prefix,
        filters: this.#filters,
        modes: this.#modes,
        fetchSize: c.getInt('snapshot.fetch.size') as number,
        lsn: this.#startLsn,
        exportedSnapshot: exported,
      })
      await this.#snapshot.begin()
      this.#phase = 'snapshot'
      if (slotRow === undefined) this.#stored = null
    } else {
      this.#startStreaming(new Map())
    }
  }

  /**
   * The slot's state once no other connection streams from it (a task that died a moment ago may still hold it
   * until PostgreSQL notices): tried slot.max.retries times, slot.retry.delay.ms apart, as Debezium does.
   */
  async #inactiveSlot(jdbc: pg.Client): Promise<{ flushed: string | null } | undefined> {
    const retries = this.#config.getInt('slot.max.retries') as number
    const delay = this.#config.getLong('slot.retry.delay.ms') as number
    for (let attempt = 1; ; attempt++) {
      const slot = await jdbc.query(
        'SELECT confirmed_flush_lsn::text AS flushed, active FROM pg_replication_slots WHERE slot_name = $1 AND database = $2',
        [this.#slotName, this.#connection.database],
      )
      const row = slot.rows[0] as { flushed: string | null; active: string } | undefined
      if (row === undefined || row.active !== 't') return row
      if (attempt >= retries) {
        throw new RetriableError(`replication slot ${this.#slotName} is still in use by another connection`)
      }
      await new Promise((r) => setTimeout(r, delay))
    }
  }

  async #openReplication(): Promise<ReplicationConnection> {
    const retries = this.#config.getInt('slot.max.retries') as number
    const delay = this.#config.getLong('slot.retry.delay.ms') as number
    for (let attempt = 1; ; attempt++) {
      try {
        const connection = await ReplicationConnection.open(this.#connection)
        connection.onError((error) => this.#fail(error))
        return connection
      } catch (error) {
        if (attempt >= retries) throw error
        await new Promise((r) => setTimeout(r, delay))
      }
    }
  }

  async #ensurePublication(jdbc: pg.Client): Promise<void> {
    const found = await jdbc.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [this.#publication])
    if (found.rows.length > 0) return
    const mode = this.#config.getString('publication.autocreate.mode')
    const name = quoteIdent(this.#publication)
    if (mode === 'disabled') {
      throw new ConfigError(
        `publication ${this.#publication} does not exist and publication.autocreate.mode=disabled`,
        'publication.autocreate.mode',
      )
    }
    if (mode === 'all_tables') {
      await jdbc.query(`CREATE PUBLICATION ${name} FOR ALL TABLES`)
    } else if (mode === 'no_tables') {
      await jdbc.query(`CREATE PUBLICATION ${name}`)
    } else {
      const tables = await jdbc.query(
        `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
      )
      const captured = tables.rows
        .filter((t) => this.#filters.includeTable(t.schema, t.name))
        .map((t) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`)
      await jdbc.query(
        captured.length > 0
          ? `CREATE PUBLICATION ${name} FOR TABLE ${captured.join(', ')}`
          : `CREATE PUBLICATION ${name}`,
      )
    }
  }

  #startStreaming(schemas: Map<number, TableSchema>): void {
    const c = this.#config
    const skipped = new Set((c.getList('skipped.operations') ?? []).filter((s) => s !== 'none'))
    this.#changes = new ChangeStream(
      this.#jdbc as pg.Client,
      this.#records,
      {
        topicPrefix: c.getString('topic.prefix') as string,
        filters: this.#filters,
        modes: this.#modes,
        skipped,
        resumeFrom: this.#stored,
        transactionTopic: c.getBoolean('provide.transaction.metadata')
          ? `${c.getString('topic.prefix')}.${c.getString('topic.transaction')}`
          : null,
      },
      schemas,
    )
    const replication = this.#replication as ReplicationConnection
    this.#stream = replication.startStreaming(this.#slotName, this.#startLsn, this.#publication, {
      onMessage: (m) => this.#receive(m),
      onError: (error) => this.#fail(error),
      onEnd: () => this.#fail(new RetriableError('the replication stream ended')),
    })
    this.#phase = 'streaming'
    const statusMs = c.getInt('status.update.interval.ms') as number
    if (statusMs > 0) {
      this.#statusTimer = setInterval(() => this.#stream?.sendStatus(this.#flushedLsn), statusMs)
      this.#statusTimer.unref()
    }
    const heartbeatMs = c.getInt('heartbeat.interval.ms') as number
    if (heartbeatMs > 0) {
      this.#heartbeatTimer = setInterval(() => {
        this.#heartbeatDue = true
        this.#wakeUp()
      }, heartbeatMs)
      this.#heartbeatTimer.unref()
    }
  }

  #receive(m: CopyDataMessage): void {
    if (m.tag === 'keepalive') {
      if (m.replyRequested) this.#stream?.sendStatus(this.#flushedLsn)
      return
    }
    this.#lastReceivedLsn = m.dataStart
    this.#queue.push({ lsn: m.dataStart, payload: m.payload })
    if (!this.#paused && this.#queue.length >= this.#maxQueue) {
      this.#paused = true
      this.#stream?.pause()
    }
    this.#wakeUp()
  }

  #wakeUp(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  #fail(error: Error): void {
    if (this.#phase === 'stopped') return
    this.#failure ??= error
    this.#wakeUp()
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.#failure !== null) throw this.#failure
    switch (this.#phase) {
      case 'snapshot':
        return this.#pollSnapshot()
      case 'streaming':
        return this.#pollStream()
      default:
        await this.#idle(this.#pollIntervalMs)
        return null
    }
  }

  async #pollSnapshot(): Promise<SourceRecord[]> {
    const snapshot = this.#snapshot as SnapshotReader
    const records = await snapshot.next()
    if (snapshot.done) {
      await snapshot.end()
      this.#snapshot = null
      if (this.#initialOnly) this.#phase = 'idle'
      else this.#startStreaming(snapshot.schemas)
    }
    return records
  }

  #idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null
        resolve()
      }, ms)
      this.#wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  async #pollStream(): Promise<SourceRecord[] | null> {
    if (this.#queue.length === 0 && !this.#heartbeatDue) await this.#idle(this.#pollIntervalMs)
    if (this.#failure !== null) throw this.#failure
    const changes = this.#changes as ChangeStream
    const out: SourceRecord[] = []
    while (this.#queue.length > 0 && out.length < this.#maxBatch) {
      const next = this.#queue.shift() as Queued
      out.push(...(await changes.process(next.lsn, decodePgOutput(next.payload))))
    }
    if (this.#paused && this.#queue.length <= this.#maxQueue / 2) {
      this.#paused = false
      this.#stream?.resume()
    }
    if (this.#heartbeatDue) {
      this.#heartbeatDue = false
      const query = this.#config.getString('heartbeat.action.query')
      if (query) await (this.#jdbc as pg.Client).query(query)
      const topic = `${this.#config.getString('topic.heartbeat.prefix')}.${this.#config.getString('topic.prefix')}`
      out.push(this.#records.heartbeat(topic, changes.currentOffset(this.#lastReceivedLsn)))
    }
    return out
  }

  /** Counts acknowledged records, so that a commit with nothing new reads no offsets. */
  override commitRecord(): void {
    this.#acknowledged++
  }

  /**
   * The worker committed offsets: confirm to the slot the position the offsets topic now holds (never further),
   * so the server may recycle the WAL before it.
   */
  override async commit(): Promise<void> {
    if (this.#stream === null || this.#phase !== 'streaming' || this.#acknowledged === 0) return
    this.#acknowledged = 0
    const stored = await this.context.offsetStorageReader().offset(this.#partition)
    if (stored === null) return
    const offset = readOffset(stored)
    const lsn = offset.lsnCommit ?? offset.lsnProc
    if (lsn === null || lsn <= this.#flushedLsn) return
    this.#flushedLsn = lsn
    this.#stream.sendStatus(lsn)
  }

  async stop(): Promise<void> {
    this.#phase = 'stopped'
    if (this.#statusTimer !== null) clearInterval(this.#statusTimer)
    if (this.#heartbeatTimer !== null) clearInterval(this.#heartbeatTimer)
    this.#wakeUp()
    await this.#replication?.close()
    this.#replication = null
    if (this.#config?.getBoolean('slot.drop.on.stop') && this.#jdbc !== null) {
      await this.#jdbc
        .query(
          'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active',
          [this.#slotName],
        )
        .catch(() => {})
    }
    if (this.#jdbc !== null) await endClient(this.#jdbc)
    this.#jdbc = null
  }
}
