/**
 * The classic group membership calls (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup) with any
 * protocol type and opaque metadata, over @platformatic/kafka's versioned request exports.
 *
 * Versions are pinned to ones every supported broker (Kafka 3.5 and later) serves: FindCoordinator v4, JoinGroup
 * v9, SyncGroup v5, Heartbeat v4, LeaveGroup v5. Each call has its own timeout (JoinGroup legitimately waits for
 * the whole rebalance); when it runs out, the connection to that broker is dropped, as Java's NetworkClient does,
 * so that a late answer cannot be mistaken for the next one and nothing queues behind a stuck request.
 *
 * GroupCalls is an interface so that the member's state machine can be tested against a fake coordinator.
 */
import type { Broker, Connection, ConnectionPool } from '@platformatic/kafka'
import { KafkaError } from '../errors.ts'
import { BROKER_ERROR, brokerError, toKafkaError } from './broker-errors.ts'
import { kafkaLibrary } from './library.ts'
import { type ClientProperties, parseClientProperties } from './properties.ts'

/** The broker that coordinates a group. */
export interface CoordinatorNode {
  readonly nodeId: number
  readonly host: string
  readonly port: number
}

/** A protocol a member offers in JoinGroup: its name and opaque metadata. */
export interface OfferedProtocol {
  readonly name: string
  readonly metadata: Buffer
}

/** A JoinGroup request. */
export interface JoinGroupRequest {
  readonly groupId: string
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
  /** '' for a member that has none yet. */
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly protocolType: string
  readonly protocols: readonly OfferedProtocol[]
  /** Why the member (re)joins; the broker logs it. */
  readonly reason: string
}

/** One member as the leader sees it in the JoinGroup answer. */
export interface JoinedMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly metadata: Buffer
}

/** A JoinGroup answer: joined, or the broker's request to retry with the member id it assigned (KIP-394). */
export type JoinGroupResult =
  | {
      readonly kind: 'joined'
      readonly generationId: number
      readonly memberId: string
      readonly leaderId: string
      readonly protocolType: string | null
      readonly protocolName: string
      readonly skipAssignment: boolean
      /** Every member's metadata for the chosen protocol; empty unless this member is the leader. */
      readonly members: readonly JoinedMember[]
    }
  | { readonly kind: 'member-id-required'; readonly memberId: string }

/** A SyncGroup request; only the leader sends assignments. */
export interface SyncGroupRequest {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly protocolType: string
  readonly protocolName: string
  readonly assignments: ReadonlyMap<string, Buffer>
}

/** Identifies a member of one generation in Heartbeat and LeaveGroup. */
export interface MemberRef {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
}

/**
 * The raw group calls. Every failure is a KafkaError: with `kafkaCode` when the broker answered with an error,
 * without one (and retriable) when the connection was lost or the call timed out.
 */
export interface GroupCalls {
  findCoordinator(groupId: string, timeoutMs: number): Promise<CoordinatorNode>
  joinGroup(node: CoordinatorNode, request: JoinGroupRequest, timeoutMs: number): Promise<JoinGroupResult>
  /** Resolves with this member's assignment bytes. */
  syncGroup(node: CoordinatorNode, request: SyncGroupRequest, timeoutMs: number): Promise<Buffer>
  heartbeat(node: CoordinatorNode, member: MemberRef, timeoutMs: number): Promise<void>
  leaveGroup(node: CoordinatorNode, member: MemberRef, reason: string, timeoutMs: number): Promise<void>
  /** Drops the connections to a broker, failing whatever is in flight on them. */
  disconnect(node: CoordinatorNode): Promise<void>
  close(): Promise<void>
}

const GROUP_KEY_TYPE = 0

function parseBroker(address: string): Broker {
  const at = address.lastIndexOf(':')
  if (at < 0) return { host: address, port: 9092 }
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) }
}

/** GroupCalls over @platformatic/kafka connections, configured from Java-style client properties. */
export class KafkaGroupCalls implements GroupCalls {
  readonly #pool: ConnectionPool
  readonly #bootstrap: Broker[]
  #nextBootstrap = 0

  constructor(props: ClientProperties) {
    const { base } = parseClientProperties(props, 'consumer')
    this.#bootstrap = base.bootstrapBrokers.map(parseBroker)
    this.#pool = new kafkaLibrary.ConnectionPool(base.clientId, {
      ...(base.connectTimeout !== undefined ? { connectTimeout: base.connectTimeout } : {}),
      // Each call enforces its own timeout (see #call); this only bounds what slips past them.
      requestTimeout: 0x7fffffff,
      ...(base.tls ? { tls: base.tls } : {}),
      ...(base.sasl ? { sasl: base.sasl } : {}),
    })
  }

  async #call<T>(broker: Broker, what: string, timeoutMs: number, send: (c: Connection) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Java's NetworkClient drops the connection of a timed-out request; so does this.
        void this.#drop(broker)
        reject(new KafkaError(true, `${what} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
    })
    try {
      return await Promise.race([this.#pool.get(broker).then(send), timeout])
    } catch (err) {
      throw toKafkaError(err, what)
    } finally {
      clearTimeout(timer)
    }
  }

  async #drop(broker: Broker): Promise<void> {
    const connection = this.#pool.getEstablishedConnection(broker)
    if (connection) await connection.close().catch(() => {})
  }

  async findCoordinator(groupId: string, timeoutMs: number): Promise<CoordinatorNode> {
    const errors: KafkaError[] = []
    // Start with a different bootstrap broker each time, so a dead first broker does not delay every lookup.
    for (let i = 0; i < this.#bootstrap.length; i++) {
      const broker = this.#bootstrap[(this.#nextBootstrap + i) % this.#bootstrap.length] as Broker
      try {
        const response = await this.#call(broker, 'FindCoordinator', timeoutMs, (c) =>
          kafkaLibrary.findCoordinatorV4.api.async(c, GROUP_KEY_TYPE, [groupId]),
        )
        const found = response.coordinators.find((x) => x.key === groupId)
        if (!found) throw new KafkaError(true, `FindCoordinator did not answer for group ${groupId}`)
        if (found.errorCode !== 0) throw brokerError(found.errorCode, 'FindCoordinator', found.errorMessage)
        return { nodeId: found.nodeId, host: found.host, port: found.port }
      } catch (err) {
        const e = toKafkaError(err, 'FindCoordinator')
        // A broker that answered with a code knows the cluster; asking the next one would give the same answer.
        if (e.kafkaCode !== undefined) throw e
        errors.push(e)
        this.#nextBootstrap = (this.#nextBootstrap + 1) % this.#bootstrap.length
      }
    }
    throw new KafkaError(
      true,
      `FindCoordinator failed on every bootstrap broker: ${errors.map((e) => e.message).join('; ')}`,
    )
  }

  async joinGroup(node: CoordinatorNode, r: JoinGroupRequest, timeoutMs: number): Promise<JoinGroupResult> {
    try {
      const response = await this.#call(node, 'JoinGroup', timeoutMs, (c) =>
        kafkaLibrary.joinGroupV9.api.async(
          c,
          r.groupId,
          r.sessionTimeoutMs,
          r.rebalanceTimeoutMs,
          r.memberId,
          r.groupInstanceId,
          r.protocolType,
          r.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
          r.reason,
        ),
      )
      return {
        kind: 'joined',
        generationId: response.generationId,
        memberId: response.memberId,
        leaderId: response.leader,
        protocolType: response.protocolType ?? null,
        protocolName: response.protocolName ?? '',
        skipAssignment: response.skipAssignment,
        members: response.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId ?? null,
          metadata: m.metadata,
        })),
      }
    } catch (err) {
      const e = toKafkaError(err, 'JoinGroup')
      if (e.kafkaCode === BROKER_ERROR.MEMBER_ID_REQUIRED) {
        const memberId = (e.cause as { response?: { memberId?: string } } | undefined)?.response?.memberId
        if (memberId) return { kind: 'member-id-required', memberId }
      }
      throw e
    }
  }

  async syncGroup(node: CoordinatorNode, r: SyncGroupRequest, timeoutMs: number): Promise<Buffer> {
    const response = await this.#call(node, 'SyncGroup', timeoutMs, (c) =>
      kafkaLibrary.syncGroupV5.api.async(
        c,
        r.groupId,
        r.generationId,
        r.memberId,
        r.groupInstanceId,
        r.protocolType,
        r.protocolName,
        [...r.assignments].map(([memberId, assignment]) => ({ memberId, assignment })),
      ),
    )
    return response.assignment
  }

  async heartbeat(node: CoordinatorNode, m: MemberRef, timeoutMs: number): Promise<void> {
    await this.#call(node, 'Heartbeat', timeoutMs, (c) =>
      kafkaLibrary.heartbeatV4.api.async(c, m.groupId, m.generationId, m.memberId, m.groupInstanceId),
    )
  }

  async leaveGroup(node: CoordinatorNode, m: MemberRef, reason: string, timeoutMs: number): Promise<void> {
    await this.#call(node, 'LeaveGroup', timeoutMs, (c) =>
      kafkaLibrary.leaveGroupV5.api.async(c, m.groupId, [
        { memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason },
      ]),
    )
  }

  async disconnect(node: CoordinatorNode): Promise<void> {
    await this.#drop(node)
  }

  async close(): Promise<void> {
    await this.#pool.close()
  }
}
