/**
 * The standalone worker's one-member group (src/herder/local-group.ts), observable and holdable for tests: `calls`
 * records joins (with their reasons), leaves and the close, and `holdJoins` keeps a rebalance under way.
 */

import { LocalGroup } from '../../src/herder/local-group.ts'
import type { CoordinatorNode, JoinGroupRequest, JoinGroupResult, MemberRef } from '../../src/kafka/group-calls.ts'

/** See the file comment. */
export class SoloGroup extends LocalGroup {
  readonly calls: string[] = []
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

  override async joinGroup(node: CoordinatorNode, r: JoinGroupRequest): Promise<JoinGroupResult> {
    this.calls.push(`join: ${r.reason}`)
    await this.#held
    return super.joinGroup(node, r)
  }

  override async leaveGroup(_node: CoordinatorNode, m: MemberRef): Promise<void> {
    this.calls.push(`leave: ${m.memberId}`)
  }

  override async close(): Promise<void> {
    this.calls.push('close')
  }
}
