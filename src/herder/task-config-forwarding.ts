/**
 * Follower → leader: a worker that runs a connector generates its task configs, but only the leader writes them
 * to the config topic. A follower sends them to the leader's internal endpoint `POST /connectors/{c}/tasks`,
 * signed with the session key under the sessioned protocol (KIP-507), as Java's reconfigureConnector does.
 *
 * Failures are retried by the herder with backoff (250 ms doubling to 60 s, as Java), through its loop.
 */
import type { ConfigMap, SessionKey } from '../stores/config-store.ts'

/**
 * The outbound REST the herder needs to reach the leader. The herder sits below rest/, so it names only this;
 * cli/ passes rest/client.ts's RestClient, which answers errors as RestError with the leader's status and message.
 */
export interface LeaderClient {
  /** Sends one request; rejects with the remote's error. */
  request(url: string, request: LeaderRequest): Promise<unknown>
}

/** One request to the leader's internal endpoints. */
export interface LeaderRequest {
  readonly method: string
  /** Sent as JSON; no body when undefined. */
  readonly body?: unknown
  /** Sign the body with this key and algorithm (the sessioned protocol, KIP-507). */
  readonly sign?: { key: { key: Buffer; algorithm: string }; algorithm: string }
  readonly timeoutMs?: number
}

/**
 * The leader client of a group that has only this worker (standalone): it is always the leader, so it never
 * forwards; a call is a bug, answered with an error instead of a hang.
 */
export const noLeaderClient: LeaderClient = {
  request: () => Promise.reject(new Error('This worker is its own leader and forwards nothing')),
}

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
  client: LeaderClient,
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
  client: LeaderClient,
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
