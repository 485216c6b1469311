/**
 * What the Connect assignors take and give: the configured work (a config snapshot), each member's current work,
 * and per-member results. Plain data, so the assignors stay pure functions.
 */
import type { ConnectorsAndTasks } from '../protocol/connector-assignments.ts'

/** What the leader knows of the config topic when it assigns (Java's ClusterConfigState, reduced to its needs). */
export interface ConfigSnapshot {
  /** The config-topic offset the snapshot reflects: the next offset to read (-1 when nothing was read). */
  readonly offset: bigint
  /**
   * Every configured connector with its number of tasks. A connector whose task configs are inconsistent (not all
   * committed) counts 0 tasks; a STOPPED connector is still listed, with 0 tasks.
   */
  readonly connectorTasks: ReadonlyMap<string, number>
}

/** A source of config snapshots: the config store of issue 4 implements it, tests use a fixed one. */
export interface ConfigSnapshotProvider {
  /** The latest snapshot this worker has read (cheap; no I/O). */
  snapshot(): ConfigSnapshot
}

/** What one member is told in a round: the work to start and the work to stop. */
export interface MemberAssignment {
  /** Newly assigned work (eager: the complete set). */
  readonly assigned: ConnectorsAndTasks
  /** Work to stop before starting anything (eager: always empty; everything was revoked before joining). */
  readonly revoked: ConnectorsAndTasks
}

/** An empty snapshot: no connectors, nothing read. */
export const EMPTY_SNAPSHOT: ConfigSnapshot = Object.freeze({ offset: -1n, connectorTasks: new Map<string, number>() })
