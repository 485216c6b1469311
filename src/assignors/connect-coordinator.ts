/**
 * The Connect side of group membership (Java's `WorkerCoordinator`): the GroupProtocolHandler a GroupMember is given
 * for a Connect worker group. It announces this worker's REST URL, config offset and current work, runs the
 * leader's assignment, and turns each assignment into "stop these, run these" for the herder (its listener).
 *
 * It keeps the worker's full current assignment: eager assignments replace it, cooperative ones are increments
 * (previous − revoked + assigned). That full set is what the next JoinGroup reports as the allocation.
 * The herder must follow `nextStep` (as Java's DistributedHerder.handleRebalanceCompleted): read the config topic to the end, and call the member's requestRejoin
 * when told to, and after handling revocations.
 */
import { type ConnectAssignment, decodeAssignment, encodeAssignment } from '../protocol/connect-assignment.ts'
import { decodeWorkerMetadata, encodeWorkerMetadata, type WorkerMetadata } from '../protocol/connect-metadata.ts'
import {
  CONNECT_PROTOCOL_TYPE,
  type ConnectProtocolMode,
  type ConnectSubprotocol,
  offeredSubprotocols,
  parseSubprotocol,
  SUBPROTOCOL_VERSION,
} from '../protocol/connect-protocol.ts'
import { type ConnectorsAndTasks, type ConnectorTaskId, NO_WORK, taskKey } from '../protocol/connector-assignments.ts'
import { type Clock, systemClock } from '../util/clock.ts'
import { type AfterRebalance, afterRebalance } from './config-sync.ts'
import { type LeaderResult, leaderAssign } from './connect-leader.ts'
import { type CooperativeState, INITIAL_COOPERATIVE_STATE } from './cooperative.ts'
import type { LostWorkPolicy } from './lost-work.ts'
import type { ConfigSnapshot, ConfigSnapshotProvider } from './types.ts'
import { WorkSet } from './work-sets.ts'

/** The outcome of one rebalance, as the herder sees it. */
export interface RebalanceResult {
  readonly generationId: number
  readonly memberId: string
  readonly protocol: ConnectSubprotocol
  readonly leaderId: string
  readonly leaderUrl: string
  readonly isLeader: boolean
  /** ASSIGNMENT_ERROR.NO_ERROR or CONFIG_MISMATCH. */
  readonly error: number
  /** The config offset the assignment was computed at. */
  readonly configOffset: bigint
  /** Everything this worker should run now. */
  readonly assignment: ConnectorsAndTasks
  /** What this round added. */
  readonly newlyAssigned: ConnectorsAndTasks
  /** What this round revoked (already passed to onRevoked). */
  readonly revoked: ConnectorsAndTasks
  /** ms after which to rejoin for a scheduled rebalance; 0 for none. */
  readonly delay: number
  /** What to do about config offsets before starting work. */
  readonly nextStep: AfterRebalance
}

/** The herder's side: told what to stop and what to run. */
export interface RebalanceListener {
  /** Stop this work now (before any onAssigned; eager: everything, before each rejoin). */
  onRevoked(leaderId: string, work: ConnectorsAndTasks): void | Promise<void>
  /** A rebalance completed. */
  onAssigned(result: RebalanceResult): void | Promise<void>
}

/** Settings of the Connect coordinator. */
export interface ConnectCoordinatorOptions {
  /** connect.protocol */
  readonly mode: ConnectProtocolMode
  /** This worker's advertised REST URL. */
  readonly url: string
  readonly configs: ConfigSnapshotProvider
  /** scheduled.rebalance.max.delay.ms */
  readonly maxDelayMs: number
  readonly listener: RebalanceListener
  readonly clock?: Clock
  /** The decision about lost work (lost-work.ts); Java's scheduled delay by default. */
  readonly lostWorkPolicy?: LostWorkPolicy
  /**
   * Leader only: whether a connector or task was released by one of the workers (ids: host:port of their URLs)
   * that were in the previous round and are gone now, i.e. it stopped that work before leaving. Released work is
   * reassigned at once, whatever the policy. None is, by default.
   */
  readonly releasedBy?: (work: string | ConnectorTaskId, departedWorkers: ReadonlySet<string>) => boolean
}

/** A worker's id as statuses name it: host:port of its advertised URL. */
export function workerIdOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** Connect's GroupProtocolHandler (structurally: membership/handler.ts). */
export class ConnectCoordinator {
  readonly protocolType = CONNECT_PROTOCOL_TYPE
  readonly #o: ConnectCoordinatorOptions
  readonly #clock: Clock
  #current: ConnectAssignment | null = null
  #protocol: ConnectSubprotocol
  #joinSnapshot: ConfigSnapshot | null = null
  #state: CooperativeState = INITIAL_COOPERATIVE_STATE
  #lastCompletedGenerationId = -1
  #leader: { urls: Map<string, string>; result: LeaderResult } | null = null
  /** Leader only: the worker ids of the members of the last round this worker assigned. */
  #previousWorkers = new Set<string>()

  constructor(options: ConnectCoordinatorOptions) {
    this.#o = options
    this.#clock = options.clock ?? systemClock
    this.#protocol = offeredSubprotocols(options.mode)[0] as ConnectSubprotocol
  }

  /** The worker's full current assignment, or null before the first one (or after losing the coordinator). */
  get assignment(): ConnectAssignment | null {
    return this.#current
  }

  /** The sub-protocol in force (the configured mode's first choice until a rebalance says otherwise). */
  get protocol(): ConnectSubprotocol {
    return this.#protocol
  }

  /** The generation of the last completed rebalance, -1 for none. */
  get lastCompletedGenerationId(): number {
    return this.#lastCompletedGenerationId
  }

  /** Leader only: the REST URL of the worker that runs a connector or task, or null when unknown. */
  ownerUrl(work: string | ConnectorTaskId): string | null {
    const leader = this.#leader
    if (!leader) return null
    for (const [member, load] of leader.result.owners) {
      const owns =
        typeof work === 'string' ? load.connectors.includes(work) : load.tasks.some((t) => taskKey(t) === taskKey(work))
      if (owns) return leader.urls.get(member) ?? null
    }
    return null
  }

  /** The sub-protocols the mode offers, each with this worker's metadata; remembers the snapshot announced. */
  protocols(): { name: string; metadata: Buffer }[] {
    const snapshot = this.#o.configs.snapshot()
    this.#joinSnapshot = snapshot
    return offeredSubprotocols(this.#o.mode).map((name) => {
      const version = SUBPROTOCOL_VERSION[name]
      const metadata: WorkerMetadata = {
        version,
        url: this.#o.url,
        configOffset: snapshot.offset,
        allocation: version === 0 ? null : this.#current,
      }
      return { name, metadata: encodeWorkerMetadata(metadata) }
    })
  }

  /** Leader only: decodes every member's metadata, runs the leader step, encodes one assignment per member. */
  assign(round: {
    generationId: number
    leaderId: string
    protocol: string
    members: readonly { memberId: string; groupInstanceId?: string | null; metadata: Buffer }[]
    skipAssignment: boolean
  }): Map<string, Buffer> {
    // A static leader that restarted into a stable group: the broker keeps every member's assignment as it was and
    // hands this worker its own back; there is nothing to assign (KIP-814).
    if (round.skipAssignment) return new Map()
    const members = new Map(round.members.map((m) => [m.memberId, decodeWorkerMetadata(m.metadata)]))
    const present = new Set([...members.values()].map((m) => workerIdOf(m.url)))
    const departed = new Set([...this.#previousWorkers].filter((w) => !present.has(w)))
    const releasedBy = this.#o.releasedBy
    const result = leaderAssign({
      protocol: parseSubprotocol(round.protocol),
      leaderId: round.leaderId,
      members,
      snapshot: this.#joinSnapshot ?? this.#o.configs.snapshot(),
      freshSnapshot: () => this.#o.configs.snapshot(),
      generationId: round.generationId,
      lastCompletedGenerationId: this.#lastCompletedGenerationId,
      now: this.#clock.now(),
      maxDelay: this.#o.maxDelayMs,
      state: this.#state,
      ...(this.#o.lostWorkPolicy ? { lostWorkPolicy: this.#o.lostWorkPolicy } : {}),
      // Static members (never Java workers: Java Connect refuses group.instance.id) get their whole load, which the
      // broker hands back to them if they restart without a rebalance.
      fullAssignments: new Set(round.members.filter((m) => m.groupInstanceId).map((m) => m.memberId)),
      ...(releasedBy && departed.size > 0
        ? { isReleased: (w: string | ConnectorTaskId) => releasedBy(w, departed) }
        : {}),
    })
    this.#state = result.state
    if (!result.configMismatch) this.#previousWorkers = present
    this.#leader = { urls: new Map([...members].map(([id, m]) => [id, m.url])), result }
    return new Map([...result.assignments].map(([id, a]) => [id, encodeAssignment(a)]))
  }

  /** Before rejoining: under the eager protocol, everything stops first (Java's onJoinPrepare). */
  async onJoinPrepare(): Promise<void> {
    this.#leader = null
    const current = this.#current
    if (this.#protocol === 'default' && current && current.error === 0) {
      await this.#o.listener.onRevoked(current.leader, current.assigned)
    }
  }

  /** Decodes this worker's assignment, stops the revoked work, rebuilds the full set and reports the rebalance. */
  async onAssignment(round: {
    generationId: number
    memberId: string
    leaderId: string
    protocol: string
    assignment: Buffer
  }): Promise<void> {
    const a = decodeAssignment(round.assignment)
    this.#protocol = parseSubprotocol(round.protocol)
    let full = a.assigned
    if (this.#protocol !== 'default') {
      const hasRevoked = a.revoked.connectors.length > 0 || a.revoked.tasks.length > 0
      if (hasRevoked) await this.#o.listener.onRevoked(a.leader, a.revoked)
      full = new WorkSet(this.#current?.assigned ?? NO_WORK).removeAll(a.revoked).addAll(a.assigned).toWork()
    }
    this.#current = { ...a, assigned: full }
    this.#lastCompletedGenerationId = round.generationId
    // A static leader that restarted has a new member id; its assignment still names the old one.
    const isLeader = a.leader === round.memberId || round.leaderId === round.memberId
    await this.#o.listener.onAssigned({
      generationId: round.generationId,
      memberId: round.memberId,
      protocol: this.#protocol,
      leaderId: a.leader,
      leaderUrl: a.leaderUrl,
      isLeader,
      error: a.error,
      configOffset: a.configOffset,
      assignment: full,
      newlyAssigned: a.assigned,
      revoked: a.revoked,
      delay: a.delay,
      nextStep: afterRebalance({
        error: a.error,
        assignmentOffset: a.configOffset,
        localOffset: this.#o.configs.snapshot().offset,
        isLeader,
      }),
    })
  }

  /** The coordinator was unreachable: stop everything, as the worker may no longer be in the group. */
  async onCoordinatorUnreachable(): Promise<void> {
    const current = this.#current
    this.#current = null
    if (current && current.error === 0) await this.#o.listener.onRevoked(current.leader, current.assigned)
  }
}
