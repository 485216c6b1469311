/**
 * The replication connection: a pg Client opened with `replication: 'database'`, which speaks the walsender's
 * commands (IDENTIFY_SYSTEM, CREATE_REPLICATION_SLOT, START_REPLICATION) over the simple query protocol.
 * START_REPLICATION switches the connection to CopyBoth: the server sends CopyData (XLogData, keepalives), the
 * client answers with CopyData standby status updates. pg's Client routes CopyData to the active query, so the
 * stream is a custom submittable (the pattern of pg-cursor); status updates go out with sendCopyFromChunk.
 *
 * Backpressure: when the consumer holds more than it wants, pause() stops reading the socket, so PostgreSQL's
 * walsender blocks on its send buffer instead of this process buffering the WAL.
 */
import pg from 'pg'
import { formatLsn, parseLsn, unixMillisToPgMicros } from './lsn.ts'
import { type CopyDataMessage, decodeCopyData, encodeStandbyStatus } from './pgoutput.ts'

/** Where and as whom to connect. */
export interface ConnectionOptions {
  host: string
  port: number
  user: string
  password: string
  database: string
  /** Milliseconds to wait for the connection (database.connectionTimeZone-free: sessions run in UTC). */
  connectTimeoutMs?: number
}

/**
 * Session settings both connections use, so that values print the same way in the snapshot and in the stream:
 * ISO dates, UTC, PostgreSQL-style intervals, shortest exact floats, hex bytea.
 */
const SESSION_OPTIONS =
  '-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex'

/** A pg Client whose results keep PostgreSQL's text output for every type (no JS parsing of values). */
export function textClient(o: ConnectionOptions, replication = false): pg.Client {
  return new pg.Client({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 30_000,
    options: SESSION_OPTIONS,
    types: { getTypeParser: () => (value: string) => value },
    ...(replication ? { replication: 'database' } : {}),
  } as pg.ClientConfig)
}

/** What CREATE_REPLICATION_SLOT answers. */
export interface CreatedSlot {
  slotName: string
  consistentPoint: bigint
  snapshotName: string | null
}

/** The receiver of a running stream. */
export interface StreamHandler {
  onMessage(message: CopyDataMessage): void
  onError(error: Error): void
  onEnd(): void
}

/** A running START_REPLICATION: send standby status, pause/resume reading, stop. */
export interface ReplicationStream {
  /** Tells the server everything up to `lsn` is durable downstream (the slot's confirmed_flush_lsn moves). */
  sendStatus(lsn: bigint, replyRequested?: boolean): void
  pause(): void
  resume(): void
}

/** The pg submittable that runs START_REPLICATION and receives its CopyData. */
class StartReplication {
  readonly text: string
  readonly #handler: StreamHandler
  callback?: (err: Error | null) => void

  constructor(text: string, handler: StreamHandler) {
    this.text = text
    this.#handler = handler
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text)
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    let decoded: CopyDataMessage
    try {
      decoded = decodeCopyData(msg.chunk)
    } catch (error) {
      this.#handler.onError(error as Error)
      return
    }
    this.#handler.onMessage(decoded)
  }

  handleError(err: Error): void {
    this.#handler.onError(err)
  }

  handleReadyForQuery(): void {
    this.#handler.onEnd()
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(): void {}
  handlePortalSuspended(): void {}
}

/** Double-quotes an identifier for the walsender's commands and SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Single-quotes a literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** A replication connection, one per task. */
export class ReplicationConnection {
  readonly #client: pg.Client
  #streaming = false

  private constructor(client: pg.Client) {
    this.#client = client
  }

  /** Opens the connection. */
  static async open(o: ConnectionOptions): Promise<ReplicationConnection> {
    const client = textClient(o, true)
    await client.connect()
    return new ReplicationConnection(client)
  }

  /** Called with any error the connection raises outside a command (a dropped socket). */
  onError(listener: (error: Error) => void): void {
    this.#client.on('error', listener)
  }

  /** The server's current WAL write position (IDENTIFY_SYSTEM's xlogpos). */
  async currentWalPosition(): Promise<bigint> {
    const r = await this.#client.query('IDENTIFY_SYSTEM')
    return parseLsn(String(r.rows[0]?.xlogpos))
  }

  /**
   * Creates a logical slot with pgoutput. With exportSnapshot the answer names a snapshot that other sessions
   * can SET TRANSACTION SNAPSHOT to, valid until this connection runs its next command: the snapshot sees exactly
   * the data before the slot's consistent point, and the slot streams exactly the changes after it.
   */
  async createSlot(slotName: string, exportSnapshot: boolean): Promise<CreatedSlot> {
    const r = await this.#client.query(
      `CREATE_REPLICATION_SLOT ${quoteIdent(slotName)} LOGICAL pgoutput ${exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`,
    )
    const row = r.rows[0] as Record<string, string | null>
    return {
      slotName: String(row.slot_name),
      consistentPoint: parseLsn(String(row.consistent_point)),
      snapshotName: row.snapshot_name ?? null,
    }
  }

  /**
   * START_REPLICATION of the slot from `startLsn` with pgoutput's protocol version 1 and the publication, as
   * Debezium starts it. Messages go to the handler as they arrive, on the socket's event loop turns.
   */
  startStreaming(slotName: string, startLsn: bigint, publication: string, handler: StreamHandler): ReplicationStream {
    if (this.#streaming) throw new Error('the replication connection is already streaming')
    this.#streaming = true
    const options = `("proto_version" '1', "publication_names" ${quoteLiteral(quoteIdent(publication))})`
    const command = `START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${formatLsn(startLsn)} ${options}`
    const client = this.#client
    // pg's Client types queries as its own Query; a submittable is what pg-cursor hands it too.
    void (client.query as unknown as (q: StartReplication) => unknown).call(
      client,
      new StartReplication(command, handler),
    )
    const connection = (client as unknown as { connection: PgConnection }).connection
    return {
      sendStatus(lsn, replyRequested = false) {
        connection.sendCopyFromChunk(encodeStandbyStatus(lsn, unixMillisToPgMicros(Date.now()), replyRequested))
      },
      pause() {
        connection.stream.pause()
      },
      resume() {
        connection.stream.resume()
      },
    }
  }

  /** Closes the connection (ending a stream with it). */
  async close(): Promise<void> {
    const connection = (this.#client as unknown as { connection: PgConnection }).connection
    connection.stream.resume()
    await endClient(this.#client)
  }
}

/**
 * Ends a client, bounded: pg's end() waits for the socket's 'end' event, which never comes again for a connection
 * the server already dropped; after a second the socket is destroyed instead.
 */
export async function endClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const ended = client.end().catch(() => {})
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      ;(client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()
      resolve()
    }, 1000)
  })
  await Promise.race([ended, late])
  clearTimeout(timer)
}

/** The parts of pg's Connection the stream uses. */
interface PgConnection {
  sendCopyFromChunk(chunk: Buffer): void
  stream: { pause(): void; resume(): void }
}
