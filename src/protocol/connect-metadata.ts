/**
 * The member metadata a Connect worker sends in JoinGroup, one copy per offered sub-protocol (Java's
 * `ConnectProtocol.WorkerState` v0 and `ExtendedWorkerState` v1/v2).
 *
 * ```
 * WorkerStateV0 => version:INT16(0) url:STRING config-offset:INT64
 * WorkerStateV1 => version:INT16(1|2) url:STRING config-offset:INT64 allocation:NULLABLE_BYTES
 * ```
 * `config-offset` is the offset of the last record read from the config topic plus 1 (-1: nothing read).
 * `allocation` is the worker's current full assignment, itself encoded as an assignment (connect-assignment.ts)
 * with the same header version, or null when the worker has none.
 *
 * Java's leader reads every member's metadata with the v1 reader, which tolerates a missing trailing `allocation`
 * (null), so v0 metadata reads as v1 without an allocation. Negative versions are corrupt.
 */
import { CorruptDataError } from '../errors.ts'
import { type ConnectAssignment, decodeAssignment, encodeAssignment } from './connect-assignment.ts'
import { WireReader, WireWriter } from './wire.ts'

/** A worker's state as it announces it to the group. */
export interface WorkerMetadata {
  /** The header version: 0 eager, 1 compatible, 2 sessioned. */
  version: number
  /** The worker's advertised REST URL. */
  url: string
  /** The config-topic offset the worker has read up to (next offset; -1 for none). */
  configOffset: bigint
  /** v1/v2: the worker's current full assignment; null when it has none (always null in v0). */
  allocation: ConnectAssignment | null
}

/** Encodes the metadata in the layout of its version; the allocation is written with the same header version. */
export function encodeWorkerMetadata(m: WorkerMetadata): Buffer {
  if (!Number.isInteger(m.version) || m.version < 0 || m.version > 0x7fff) {
    throw new RangeError(`metadata version ${m.version} is not a non-negative INT16`)
  }
  const w = new WireWriter().int16(m.version).string(m.url).int64(m.configOffset)
  if (m.version === 0) return w.toBuffer()
  const allocation = m.allocation ? encodeAssignment({ ...m.allocation, version: m.version }) : null
  return w.nullableBytes(allocation).toBuffer()
}

/** Decodes any version with the tolerant v1 reader; malformed bytes raise CorruptDataError. */
export function decodeWorkerMetadata(bytes: Buffer): WorkerMetadata {
  const r = new WireReader(bytes, 'Connect member metadata')
  const version = r.int16('version')
  if (version < 0) throw new CorruptDataError(`Connect member metadata: unsupported version ${version}`)
  const url = r.string('url')
  const configOffset = r.int64('config-offset')
  const allocationBytes = r.hasRemaining() ? r.nullableBytes('allocation') : null
  let allocation: ConnectAssignment | null = null
  if (allocationBytes !== null) {
    try {
      allocation = decodeAssignment(allocationBytes)
    } catch (err) {
      throw new CorruptDataError(`Connect member metadata: bad allocation: ${(err as Error).message}`, { cause: err })
    }
  }
  return { version, url, configOffset, allocation }
}
