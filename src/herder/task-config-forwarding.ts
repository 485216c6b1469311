/**
 * Follower → leader: a worker that runs a connector generates its task configs, but only the leader writes them
 * to the config topic. A follower sends them to the leader's internal endpoint `POST /connectors/{c}/tasks`,
 * signed with the session key under the sessioned protocol (KIP-507), as Java's reconfigureConnector does.
 *
 * Failures are retried by the herder with backoff (250 ms doubling to 60 s, as Java), through its loop.
 */
import type { RestClient } from '../rest/client.ts'
import type { ConfigMap, SessionKey } from '../stores/config-store.ts'

/** Where and how to send. */
export interface ForwardTarget {
  readonly leaderUrl: string
  /** The session key and signature algorithm when requests must be signed. */
  readonly sign: { key: SessionKey; algorithm: string } | undefined
  readonly timeoutMs: number
}

/** Java's backoff of task-config forwarding: 250 ms, doubling, at most 60 s. */
export const FORWARD_BACKOFF = { initialMs: 250, maxMs: 60_000 } as const

/** Sends a connector's task configs to the leader; rejects with the leader's error. */
export async function forwardTaskConfigs(
  client: RestClient,
  target: ForwardTarget,
  connector: string,
  configs: readonly ConfigMap[],
): Promise<void> {
  const url = `${target.leaderUrl.replace(/\/+$/, '')}/connectors/${encodeURIComponent(connector)}/tasks`
  await client.request(url, {
    method: 'POST',
    body: configs,
    timeoutMs: target.timeoutMs,
    ...signing(target),
  })
}

/** Asks the leader for a round of zombie fencing of a connector (`PUT /connectors/{c}/fence`, signed). */
export async function forwardZombieFencing(
  client: RestClient,
  target: ForwardTarget,
  connector: string,
): Promise<void> {
  const url = `${target.leaderUrl.replace(/\/+$/, '')}/connectors/${encodeURIComponent(connector)}/fence`
  await client.request(url, {
    method: 'PUT',
    timeoutMs: target.timeoutMs,
    ...signing(target),
  })
}

/** The request-signing options for a forward to the leader, when the sessioned protocol signs them (KIP-507). */
function signing(target: ForwardTarget) {
  return target.sign
    ? {
        sign: {
          key: { key: target.sign.key.key, algorithm: target.sign.key.algorithm },
          algorithm: target.sign.algorithm,
        },
      }
    : {}
}
