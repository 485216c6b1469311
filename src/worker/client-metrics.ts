/**
 * The Kafka client series Connect dashboards read (connection counts, bytes in and out), as Java's clients name
 * them: kafka.producer producer-metrics, kafka.consumer consumer-metrics and kafka.admin.client
 * admin-client-metrics, tagged with the client-id; one group per client the process has opened.
 */
import type { ClientConnections, ClientKind } from '../kafka/client-connections.ts'
import type { MetricsRegistry } from '../metrics/registry.ts'

const GROUPS: Readonly<Record<ClientKind, { domain: string; type: string }>> = {
  producer: { domain: 'kafka.producer', type: 'producer-metrics' },
  consumer: { domain: 'kafka.consumer', type: 'consumer-metrics' },
  admin: { domain: 'kafka.admin.client', type: 'admin-client-metrics' },
}

/** Adds the clients' network series to `registry`, read from `connections` at each collection. */
export function addClientMetrics(registry: MetricsRegistry, connections: ClientConnections): void {
  registry.addSource((out) => {
    for (const s of connections.stats()) {
      const { domain, type } = GROUPS[s.kind]
      const tags = [['client-id', s.clientId]] as const
      out.push(
        { domain, type, tags, attribute: 'connection-count', value: s.connections },
        { domain, type, tags, attribute: 'incoming-byte-total', value: s.incomingBytes },
        { domain, type, tags, attribute: 'outgoing-byte-total', value: s.outgoingBytes },
      )
    }
  })
}
