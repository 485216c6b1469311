/**
 * A group coordinator for one member, in memory: every join makes a new generation with that member as leader.
 * It lets unit tests run a DistributedHerder (with in-memory stores) without a broker. `calls` records the calls.
 */
import type {
  CoordinatorNode,
  GroupCalls,
  JoinGroupRequest,
  JoinGroupResult,
  MemberRef,
  SyncGroupRequest,
} from '../../src/kafka/group-calls.ts'

/** See the file comment. */
export class SoloGroup implements GroupCalls {
  readonly calls: string[] = []
  generation = 0
  readonly #node: CoordinatorNode = { nodeId: 1, host: 'memory', port: 0 }
  #held: Promise<void> | undefined

  /** Makes joins wait (a rebalance that stays under way) until the returned function is called. */
  holdJoins(): () => void {
    let release = () => {}
    this.#held = new Promise<void>((resolve) => {
      release = () => {
        this.#held = undefined
        resolve()
      }
    })
    return release
  }

  async findCoordinator(): Promise<CoordinatorNode> {
    return this.#node
  }

  async joinGroup(_node: CoordinatorNode, r: JoinGroupRequest): Promise<JoinGroupResult> {
    this.calls.push(`join: ${r.reason}`)
    await this.#held
    if (r.memberId === '') return { kind: 'member-id-required', memberId: 'solo-member' }
    const chosen = r.protocols[0]
    return {
      kind: 'joined',
      generationId: ++this.generation,
      memberId: r.memberId,
      leaderId: r.memberId,
      protocolType: r.protocolType,
      protocolName: chosen?.name ?? '',
      skipAssignment: false,
      members: [{ memberId: r.memberId, groupInstanceId: null, metadata: chosen?.metadata ?? Buffer.alloc(0) }],
    }
  }

  async syncGroup(_node: CoordinatorNode, r: SyncGroupRequest): Promise<Buffer> {
    return r.assignments.get(r.memberId) ?? Buffer.alloc(0)
  }

  async heartbeat(): Promise<void> {}

  async leaveGroup(_node: CoordinatorNode, m: MemberRef): Promise<void> {
    this.calls.push(`leave: ${m.memberId}`)
  }

  async disconnect(): Promise<void> {}

  async close(): Promise<void> {
    this.calls.push('close')
  }
}
