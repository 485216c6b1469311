/**
 * What tests need of the private test services (tools/services/): where each one is, and names of their own in it
 * (a database, a bucket, an index) that are removed when the test ends.
 *
 * test/run.ts starts a service once per run, and only when a selected test file calls its function below (it
 * reads the files for the names in SERVICE_USES): `npm test -- some.test.ts` pays for what that file uses and no
 * more. A test that needs a service and finds it absent fails with an explanation; it is never skipped.
 */
import type { TestContext } from 'node:test'
import type mysql from 'mysql2/promise'
import type pg from 'pg'
import type { ServiceName } from '../../tools/services/registry.ts'
import { uniqueName } from './kafka.ts'

/** The call in a test file that makes test/run.ts start a service for the run. */
export const SERVICE_USES: Record<string, ServiceName> = {
  'testPostgres(': 'postgres',
  'testMariaDb(': 'mariadb',
  'testS3(': 's3',
  'testOpenSearch(': 'opensearch',
  'javaPluginPath(': 'java-plugins',
  'testBrowser(': 'chromium',
  'testSchemaRegistry(': 'schema-registry',
  'jvmHost(': 'jvm-host',
}

function required(variable: string, service: string, call: string): string {
  const value = process.env[variable]
  if (!value) {
    throw new Error(
      `This test needs the ${service}: run it through \`npm test\`, which starts it for the run when a selected ` +
        `test file calls ${call}; or start it with \`npm run services -- start\` and set ${variable}.`,
    )
  }
  return value
}

/** A database of the test's own in a SQL server, dropped when the test ends. */
export interface TestDatabase<Connection> {
  host: string
  port: number
  user: string
  database: string
  /**
   * A connection to the database, closed by the helper before it drops the database (node:test runs after-hooks in
   * the order they were added, so one the test adds itself would run after the drop).
   */
  connect(): Promise<Connection>
}

/** A name a SQL server accepts unquoted: lower case, digits and underscores. */
function sqlName(prefix: string): string {
  return uniqueName(prefix)
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
}

/**
 * A fresh database in the run's private PostgreSQL (wal_level=logical), dropped at the end of the test together
 * with any replication slot left on it (a slot would keep the database alive).
 */
export async function testPostgres(t: TestContext): Promise<TestDatabase<pg.Client> & { connectionString: string }> {
  const host = required('TSCONNECT_TEST_POSTGRES_HOST', 'private PostgreSQL', 'testPostgres()')
  const port = Number(required('TSCONNECT_TEST_POSTGRES_PORT', 'private PostgreSQL', 'testPostgres()'))
  const user = process.env.TSCONNECT_TEST_POSTGRES_USER || 'postgres'
  const database = sqlName('t')
  const { default: pgModule } = await import('pg')
  const admin = { host, port, user, database: 'postgres' }
  const client = new pgModule.Client(admin)
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${database}`)
  } finally {
    await client.end()
  }
  const opened: pg.Client[] = []
  t.after(async () => {
    await Promise.allSettled(opened.map((c) => c.end()))
    const cleanup = new pgModule.Client(admin)
    await cleanup.connect()
    try {
      // A walsender left by a connector keeps its slot active; ending it frees the slot for dropping.
      await cleanup.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database])
      for (let attempt = 0; ; attempt++) {
        const { rows } = await cleanup.query('SELECT slot_name, active FROM pg_replication_slots WHERE database = $1', [
          database,
        ])
        if (rows.length === 0) break
        if (attempt === 50) throw new Error(`replication slots still active on ${database}: ${JSON.stringify(rows)}`)
        for (const row of rows.filter((r) => !r.active)) {
          await cleanup.query('SELECT pg_drop_replication_slot($1)', [row.slot_name])
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    } finally {
      await cleanup.end()
    }
  })
  return {
    host,
    port,
    user,
    database,
    connectionString: `postgres://${user}@${host}:${port}/${database}`,
    async connect() {
      const connection = new pgModule.Client({ host, port, user, database })
      opened.push(connection)
      await connection.connect()
      return connection
    },
  }
}

/** A fresh database in the run's private MariaDB (binlog on, ROW format), dropped at the end of the test. */
export async function testMariaDb(t: TestContext): Promise<TestDatabase<mysql.Connection>> {
  const host = required('TSCONNECT_TEST_MARIADB_HOST', 'private MariaDB', 'testMariaDb()')
  const port = Number(required('TSCONNECT_TEST_MARIADB_PORT', 'private MariaDB', 'testMariaDb()'))
  const user = process.env.TSCONNECT_TEST_MARIADB_USER || 'root'
  const database = sqlName('t')
  const mysqlModule = await import('mysql2/promise')
  const admin = { host, port, user }
  const connection = await mysqlModule.createConnection(admin)
  try {
    await connection.query(`CREATE DATABASE ${database}`)
  } finally {
    await connection.end()
  }
  const opened: mysql.Connection[] = []
  t.after(async () => {
    await Promise.allSettled(opened.map((c) => c.end()))
    const cleanup = await mysqlModule.createConnection(admin)
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS ${database}`)
    } finally {
      await cleanup.end()
    }
  })
  return {
    host,
    port,
    user,
    database,
    async connect() {
      const c = await mysqlModule.createConnection({ ...admin, database })
      opened.push(c)
      return c
    },
  }
}

/** The run's S3Proxy and a bucket name of the test's own; the bucket and its objects are removed afterwards. */
export interface TestS3 {
  endpoint: string
  /** A bucket name nobody else uses; the test creates it. */
  bucket: string
  /**
   * Options for `new S3Client(...)` that S3Proxy accepts: path-style URLs, region us-east-1 (another region makes
   * CreateBucket send a LocationConstraint S3Proxy rejects), and checksums only where required (the SDK's default
   * checksum headers are answered with NotImplemented).
   */
  clientConfig: {
    endpoint: string
    region: string
    forcePathStyle: true
    credentials: { accessKeyId: string; secretAccessKey: string }
    requestChecksumCalculation: 'WHEN_REQUIRED'
    responseChecksumValidation: 'WHEN_REQUIRED'
  }
}

/** The run's S3Proxy (a real S3 REST server) and a bucket name whose bucket is removed at the end of the test. */
export async function testS3(t: TestContext): Promise<TestS3> {
  const endpoint = required('TSCONNECT_TEST_S3_ENDPOINT', 'S3Proxy', 'testS3()')
  const clientConfig = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true as const,
    credentials: {
      accessKeyId: required('TSCONNECT_TEST_S3_ACCESS_KEY', 'S3Proxy', 'testS3()'),
      secretAccessKey: required('TSCONNECT_TEST_S3_SECRET_KEY', 'S3Proxy', 'testS3()'),
    },
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  }
  // Bucket names: 3-63 characters of lower case, digits and hyphens.
  const bucket = uniqueName('t')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
  t.after(async () => {
    const s3 = await import('@aws-sdk/client-s3')
    const client = new s3.S3Client(clientConfig)
    try {
      for (;;) {
        const listed = await client.send(new s3.ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined)
        const keys = (listed?.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []))
        for (const Key of keys) await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key }))
        if (!listed?.IsTruncated) break
      }
      await client.send(new s3.DeleteBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
        if ((error as { name?: string }).name !== 'NoSuchBucket') throw error
      })
    } finally {
      client.destroy()
    }
  })
  return { endpoint, bucket, clientConfig }
}

/** The run's OpenSearch and an index name of the test's own; the index is deleted at the end of the test. */
export async function testOpenSearch(t: TestContext): Promise<{ url: string; index: string }> {
  const url = required('TSCONNECT_TEST_OPENSEARCH_URL', 'OpenSearch', 'testOpenSearch()')
  // Index names: lower case, no leading underscore or hyphen.
  const index = uniqueName('t').toLowerCase()
  t.after(async () => {
    const response = await fetch(`${url}/${index}?ignore_unavailable=true`, { method: 'DELETE' })
    if (!response.ok) throw new Error(`deleting index ${index}: HTTP ${response.status} ${await response.text()}`)
  })
  return { url, index }
}

/**
 * The plugin.path holding the Java plugins (Debezium's connectors, connect-file, connect-mirror) for
 * tools/kafka/connect.ts's Java reference worker.
 */
export function javaPluginPath(): string {
  return required('TSCONNECT_TEST_JAVA_PLUGIN_PATH', 'Java plugins', 'javaPluginPath()')
}

/** A schema registry for one test: its Confluent-compatible URL and a topic prefix whose subjects are its own. */
export interface TestSchemaRegistry {
  /** The Confluent-compatible REST root, for `schema.registry.url`. */
  url: string
  /** A topic name of the test's own; the subjects named after it are deleted when the test ends. */
  topic(prefix?: string): string
  /** Makes a topic created elsewhere (e.g. createTestTopic) the test's own, so its subjects go at the end too. */
  track(topic: string): string
}

/**
 * The run's Apicurio Registry (in-memory storage, Confluent-compatible API). Subjects are named after topics
 * (TopicNameStrategy), so topics from `topic()` keep the test's subjects apart; they are deleted (soft, then
 * permanently, as Confluent's API requires) when the test ends. Record-named subjects a test registers itself are
 * its own to remove.
 */
export async function testSchemaRegistry(t: TestContext): Promise<TestSchemaRegistry> {
  const url = required('TSCONNECT_TEST_SCHEMA_REGISTRY_URL', 'schema registry', 'testSchemaRegistry()')
  const topics: string[] = []
  t.after(async () => {
    const response = await fetch(`${url}/subjects`)
    const subjects = (await response.json()) as string[]
    const mine = subjects.filter((s) => topics.some((topic) => s.startsWith(`${topic}-`)))
    for (const subject of mine) {
      const path = `${url}/subjects/${encodeURIComponent(subject)}`
      await fetch(path, { method: 'DELETE' })
      await fetch(`${path}?permanent=true`, { method: 'DELETE' })
    }
  })
  return {
    url,
    topic(prefix = 'sr') {
      const topic = uniqueName(prefix)
      topics.push(topic)
      return topic
    },
    track(topic) {
      topics.push(topic)
      return topic
    },
  }
}

/**
 * The JVM plugin host's build folder, built by test/run.ts for the run (a file that calls jvmHost() asks for it),
 * so that the first-use Maven build is not inside a test's time limit.
 */
export function jvmHost(): string {
  return required('TSCONNECT_TEST_JVM_HOST', 'JVM plugin host build', 'jvmHost()')
}
