/**
 * The assignment a Connect leader sends each member in SyncGroup (Java's `ConnectProtocol.Assignment` v0 and
 * `ExtendedAssignment` v1/v2).
 *
 * ```
 * AssignmentV0 => version:INT16(0) error:INT16 leader:STRING leader-url:STRING config-offset:INT64
 *                 assignment:ConnectorAssignments
 * AssignmentV1 => version:INT16(1|2) error:INT16 leader:STRING leader-url:STRING config-offset:INT64
 *                 assignment:ConnectorAssignments? revoked:ConnectorAssignments? delay:INT32
 * ```
 * (ConnectorAssignments: see connector-assignments.ts; `?` marks a nullable array.) Version 2 is byte-for-byte
 * version 1; it only tells that request signing is on.
 *
 * Java workers decode every assignment, v0 included, with the v1 reader, which tolerates missing trailing fields:
 * when no bytes are left, `assignment` and `revoked` read as empty and `delay` as 0. Any version ≥ 0 is read with
 * that layout (a future version only appends fields); a negative version is corrupt. Bytes after the last field are
 * ignored for the same reason.
 *
 * v0 assignments are complete; v1/v2 ones are increments: previous set − revoked + assignment.
 */
import { CorruptDataError } from '../errors.ts'
import {
  type ConnectorsAndTasks,
  NO_WORK,
  readConnectorAssignments,
  writeConnectorAssignments,
} from './connector-assignments.ts'
import { WireReader, WireWriter } from './wire.ts'

/** The assignment error codes. */
export const ASSIGNMENT_ERROR = {
  NO_ERROR: 0,
  /** The leader is behind some member's config offset: read the config topic to the end and rejoin. */
  CONFIG_MISMATCH: 1,
} as const

/** A decoded (or to-be-encoded) Connect assignment. */
export interface ConnectAssignment {
  /** The header version: 0 eager, 1 compatible, 2 sessioned. */
  version: number
  /** ASSIGNMENT_ERROR.NO_ERROR or CONFIG_MISMATCH (other values are kept as read). */
  error: number
  /** The leader's group member id. */
  leader: string
  /** The leader's advertised REST URL. */
  leaderUrl: string
  /** The config-topic offset the assignment was computed at. */
  configOffset: bigint
  /** v0: the complete set to run; v1/v2: the newly assigned items. */
  assigned: ConnectorsAndTasks
  /** v1/v2: the items to stop (always empty in v0). */
  revoked: ConnectorsAndTasks
  /** v1/v2: ms after which to rejoin for a scheduled rebalance; 0 for none. */
  delay: number
}

/** Encodes an assignment in the layout of its version (0: v0; 1 and up: v1). */
export function encodeAssignment(a: ConnectAssignment): Buffer {
  if (!Number.isInteger(a.version) || a.version < 0 || a.version > 0x7fff) {
    throw new RangeError(`assignment version ${a.version} is not a non-negative INT16`)
  }
  const w = new WireWriter().int16(a.version).int16(a.error).string(a.leader).string(a.leaderUrl).int64(a.configOffset)
  writeConnectorAssignments(w, a.assigned)
  if (a.version === 0) return w.toBuffer()
  writeConnectorAssignments(w, a.revoked)
  return w.int32(a.delay).toBuffer()
}

/** Decodes any assignment with the tolerant v1 reader; malformed bytes raise CorruptDataError. */
export function decodeAssignment(bytes: Buffer): ConnectAssignment {
  const r = new WireReader(bytes, 'Connect assignment')
  const version = r.int16('version')
  if (version < 0) throw new CorruptDataError(`Connect assignment: unsupported version ${version}`)
  const error = r.int16('error')
  const leader = r.string('leader')
  const leaderUrl = r.string('leader-url')
  const configOffset = r.int64('config-offset')
  const assigned = r.hasRemaining() ? readConnectorAssignments(r, 'assignment') : NO_WORK
  const revoked = r.hasRemaining() ? readConnectorAssignments(r, 'revoked') : NO_WORK
  const delay = r.hasRemaining() ? r.int32('delay') : 0
  return { version, error, leader, leaderUrl, configOffset, assigned, revoked, delay }
}
