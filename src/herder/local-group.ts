/**
 * The group of a standalone worker: one member, in this process, with no broker group behind it. Every join makes a
 * new generation with this worker as leader, so the herder's rebalance machinery assigns it all connectors and tasks
 * and nothing is ever forwarded.
 */
import type {
  CoordinatorNode,
  GroupCalls,
  JoinGroupRequest,
  JoinGroupResult,
  MemberRef,
  SyncGroupRequest,
} from '../kafka/group-calls.ts'

/** See the file comment. */
export class LocalGroup implements GroupCalls {
  #generation = 0
  readonly #node: CoordinatorNode = { nodeId: -1, host: 'local', port: 0 }

  async findCoordinator(): Promise<CoordinatorNode> {
    return this.#node
  }

  async joinGroup(_node: CoordinatorNode, r: JoinGroupRequest): Promise<JoinGroupResult> {
    if (r.memberId === '') return { kind: 'member-id-required', memberId: 'standalone' }
    const chosen = r.protocols[0]
    return {
      kind: 'joined',
      generationId: ++this.#generation,
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

  async leaveGroup(_node: CoordinatorNode, _member: MemberRef): Promise<void> {}

  async disconnect(): Promise<void> {}

  async close(): Promise<void> {}
}
