/**
 * What the Kafka clients of this process have on the network, per client: open connections and bytes in and out
 * (the connection-count, incoming-byte-total and outgoing-byte-total of Java's producer-, consumer- and
 * admin-client-metrics). @platformatic/kafka keeps no such counters, but announces every client and connection it
 * creates on the `plt:kafka:instances` diagnostics channel: a connection names its owner client, and its socket
 * counts bytes. Nothing is added to the clients' own paths; the counts are read when asked for.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'

const INSTANCES = 'plt:kafka:instances'

/** The kind of a client, as the library names it. */
export type ClientKind = 'producer' | 'consumer' | 'admin'

/** One client's network, summed over the library instances sharing its client.id. */
export interface ClientNetworkStats {
  readonly kind: ClientKind
  readonly clientId: string
  /** Connections open now. */
  readonly connections: number
  readonly incomingBytes: number
  readonly outgoingBytes: number
}

interface Socketish {
  readonly bytesRead: number
  readonly bytesWritten: number
  readonly destroyed: boolean
}

interface ConnectionLike {
  readonly ownerId?: number
  readonly isConnected?: () => boolean
  readonly socket?: Socketish
  once(event: string, fn: () => void): void
}

interface Owner {
  readonly kind: ClientKind
  readonly clientId: string
}

const KINDS: ReadonlySet<string> = new Set(['producer', 'consumer', 'admin'])
const keyOf = (o: Owner) => `${o.kind}\u0000${o.clientId}`

/** Follows the library's clients and connections while started; see the file comment. */
export class ClientConnections {
  readonly #owners = new Map<number, Owner>()
  readonly #live = new Map<ConnectionLike, Owner>()
  /** Bytes of closed connections, per client. */
  readonly #retired = new Map<string, { owner: Owner; incoming: number; outgoing: number }>()
  readonly #onInstance = (message: unknown) => this.#instance(message as { type: string; instance: unknown })

  /** Starts following clients created from now on. */
  start(): void {
    subscribe(INSTANCES, this.#onInstance)
  }

  stop(): void {
    unsubscribe(INSTANCES, this.#onInstance)
  }

  #instance({ type, instance }: { type: string; instance: unknown }): void {
    if (KINDS.has(type)) {
      const client = instance as { instanceId: number; clientId: string }
      this.#owners.set(client.instanceId, { kind: type as ClientKind, clientId: client.clientId })
      return
    }
    if (type !== 'connection') return
    const connection = instance as ConnectionLike
    // The owner announces itself after its constructor made its pool, and connections come later, on first use.
    const owner = connection.ownerId === undefined ? undefined : this.#owners.get(connection.ownerId)
    if (!owner) return
    this.#live.set(connection, owner)
    connection.once('close', () => this.#retire(connection))
  }

  #retire(connection: ConnectionLike): void {
    const owner = this.#live.get(connection)
    if (!owner) return
    this.#live.delete(connection)
    const k = keyOf(owner)
    const r = this.#retired.get(k) ?? { owner, incoming: 0, outgoing: 0 }
    r.incoming += connection.socket?.bytesRead ?? 0
    r.outgoing += connection.socket?.bytesWritten ?? 0
    this.#retired.set(k, r)
  }

  /** Every client seen, with its connections and bytes now. */
  stats(): ClientNetworkStats[] {
    // A connection that failed is dropped from its pool without a close event.
    for (const connection of [...this.#live.keys()]) if (connection.socket?.destroyed) this.#retire(connection)
    const out = new Map<string, { owner: Owner; connections: number; incoming: number; outgoing: number }>()
    for (const [k, r] of this.#retired) out.set(k, { ...r, connections: 0 })
    for (const [connection, owner] of this.#live) {
      const k = keyOf(owner)
      const s = out.get(k) ?? { owner, connections: 0, incoming: 0, outgoing: 0 }
      if (connection.isConnected?.() ?? connection.socket !== undefined) s.connections++
      s.incoming += connection.socket?.bytesRead ?? 0
      s.outgoing += connection.socket?.bytesWritten ?? 0
      out.set(k, s)
    }
    return [...out.values()].map((s) => ({
      kind: s.owner.kind,
      clientId: s.owner.clientId,
      connections: s.connections,
      incomingBytes: s.incoming,
      outgoingBytes: s.outgoing,
    }))
  }
}
