/**
 * The Kafka cluster id (GET / shows it as kafka_cluster_id), read once at start from a metadata answer.
 */
import { createAdmin } from './clients.ts'
import type { ClientProperties } from './properties.ts'

/** Asks the cluster for its id with a short-lived admin client. */
export async function fetchClusterId(props: ClientProperties): Promise<string> {
  const admin = createAdmin(props)
  try {
    return (await admin.metadata({ topics: [] })).id
  } finally {
    await admin.close()
  }
}
