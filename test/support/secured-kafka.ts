/**
 * The secured Kafka of the security tests: one single-node local Kafka with TLS, mutual-TLS and SASL_SSL listeners
 * and StandardAuthorizer (tools/kafka/cluster.ts `secured`), started once per test file, plus the worker properties
 * of each way to reach it and the ACLs docs/security.md lists for a Connect principal.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Acl } from '@platformatic/kafka'
import { createAdmin } from '../../src/kafka/clients.ts'
import { type IssuedCertificate, issueCertificate } from '../../tools/kafka/certs.ts'
import { LocalKafka, type SecuredListenersState } from '../../tools/kafka/cluster.ts'

/** SASL users of the secured broker (PLAIN and SCRAM-SHA-512): `admin` is a super user, `connect` is not. */
export const SASL_USERS = { admin: 'admin-secret', connect: 'connect-secret' }

/** The ways a worker reaches the secured broker. */
export type SecurityMode = 'ssl' | 'mtls' | 'sasl-plain' | 'sasl-scram'

/** A started secured broker and the client certificates its CA issued. */
export interface SecuredKafka {
  kafka: LocalKafka
  listeners: SecuredListenersState
  /** Certificates for mutual TLS: `connect` (CN=connect, ACLs only) and `admin` (CN=admin, a super user). */
  certs: { connect: IssuedCertificate; admin: IssuedCertificate }
  stop(): Promise<void>
}

/** Starts the secured broker in a new temporary folder. */
export async function startSecuredKafka(): Promise<SecuredKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'tsconnect-secured-kafka-'))
  const kafka = await LocalKafka.start({ dir, secured: { users: SASL_USERS } })
  const listeners = kafka.secured as SecuredListenersState
  // Client certificates come from the broker's own CA, so that its truststore accepts them.
  return {
    kafka,
    listeners,
    certs: {
      connect: issueCertificate(listeners.tlsDir, 'connect'),
      admin: issueCertificate(listeners.tlsDir, 'admin'),
    },
    stop: () => kafka.stop(),
  }
}

/** Java-style client properties for `mode`, as user `user` (SASL) or with `cert` (mutual TLS). */
export function clientSecurity(
  secured: SecuredKafka,
  mode: SecurityMode,
  who: { user?: string; password?: string; cert?: IssuedCertificate } = {},
): Record<string, string> {
  const { listeners } = secured
  const tls = {
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': listeners.caFile,
  }
  const user = who.user ?? 'connect'
  const password = who.password ?? SASL_USERS[user as keyof typeof SASL_USERS] ?? ''
  switch (mode) {
    case 'ssl':
      return { 'bootstrap.servers': listeners.ssl, 'security.protocol': 'SSL', ...tls }
    case 'mtls': {
      const cert = who.cert ?? secured.certs.connect
      return {
        'bootstrap.servers': listeners.mtls,
        'security.protocol': 'SSL',
        ...tls,
        'ssl.keystore.type': 'PKCS12',
        'ssl.keystore.location': cert.p12File,
        'ssl.keystore.password': cert.password,
      }
    }
    case 'sasl-plain':
      return {
        'bootstrap.servers': listeners.saslSsl,
        'security.protocol': 'SASL_SSL',
        ...tls,
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${password}";`,
      }
    case 'sasl-scram':
      return {
        'bootstrap.servers': listeners.saslSsl,
        'security.protocol': 'SASL_SSL',
        ...tls,
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${password}";`,
      }
  }
}

/**
 * Worker properties for `mode`: the client keys at the top level (the worker's own clients) and again under the
 * producer., consumer. and admin. prefixes (the tasks' clients), as Java Connect needs them.
 */
export function workerSecurity(client: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...client }
  for (const [key, value] of Object.entries(client)) {
    if (key === 'bootstrap.servers') continue
    for (const prefix of ['producer.', 'consumer.', 'admin.']) out[`${prefix}${key}`] = value
  }
  return out
}

/** What a Connect cluster's ACLs are about. */
export interface ConnectResources {
  groupId: string
  configTopic: string
  offsetTopic: string
  statusTopic: string
  /** Source connectors and the topics they write. */
  sources: Array<{ name: string; topic: string; exactlyOnce: boolean }>
  /** Sink connectors, the topics they read and their dead letter queue. */
  sinks: Array<{ name: string; topic: string; dlq?: string }>
}

/** Kafka's ACL enumeration values (resource, pattern, operation, permission types) used here. */
export const A = {
  TOPIC: 2,
  GROUP: 3,
  TRANSACTIONAL_ID: 5,
  LITERAL: 3,
  PREFIXED: 4,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DESCRIBE: 8,
  DESCRIBE_CONFIGS: 10,
  ALLOW: 3,
} as const

/** The ACLs of docs/security.md for a Connect principal, one binding per operation. */
export function connectAcls(principal: string, r: ConnectResources): Acl[] {
  const acls: Acl[] = []
  const grant = (resourceType: number, resourceName: string, operations: number[], prefixed = false) => {
    for (const operation of operations) {
      acls.push({
        resourceType: resourceType as Acl['resourceType'],
        resourceName,
        resourcePatternType: prefixed ? A.PREFIXED : A.LITERAL,
        principal,
        host: '*',
        operation: operation as Acl['operation'],
        permissionType: A.ALLOW,
      })
    }
  }
  // The worker: its group and internal topics (created by the worker, checked for compaction).
  grant(A.GROUP, r.groupId, [A.READ])
  for (const topic of [r.configTopic, r.offsetTopic, r.statusTopic]) {
    grant(A.TOPIC, topic, [A.READ, A.WRITE, A.DESCRIBE, A.DESCRIBE_CONFIGS, A.CREATE])
  }
  if (r.sources.some((s) => s.exactlyOnce))
    grant(A.TRANSACTIONAL_ID, `connect-cluster-${r.groupId}`, [A.WRITE, A.DESCRIBE])
  for (const s of r.sources) {
    grant(A.TOPIC, s.topic, [A.WRITE, A.DESCRIBE])
    if (s.exactlyOnce) grant(A.TRANSACTIONAL_ID, `${r.groupId}-${s.name}-`, [A.WRITE, A.DESCRIBE], true)
  }
  for (const s of r.sinks) {
    grant(A.TOPIC, s.topic, [A.READ, A.DESCRIBE])
    grant(A.GROUP, `connect-${s.name}`, [A.READ])
    if (s.dlq) grant(A.TOPIC, s.dlq, [A.WRITE, A.DESCRIBE, A.CREATE])
  }
  return acls
}

/** Creates ACLs through the admin user's SASL/SCRAM connection. */
export async function createAcls(secured: SecuredKafka, acls: Acl[]): Promise<void> {
  const admin = createAdmin({ ...clientSecurity(secured, 'sasl-scram', { user: 'admin' }), 'client.id': 'acl-admin' })
  try {
    await admin.createAcls({ creations: acls })
  } finally {
    await admin.close()
  }
}
