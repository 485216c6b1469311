/**
 * The keys every schema-registry converter shares, as Confluent's AbstractKafkaSchemaSerDeConfig and
 * SchemaRegistryClientConfig declare them (names, defaults and meanings), and the client they configure.
 * Keys that Java declares and tsconnect does not act on are left out, so that a worker config naming them gets
 * no silent promise: see docs/converters.md.
 */
import type https from 'node:https'
import { type AbstractConfig, type ConfigDef, ConfigError, Validators } from 'tsconnect'
import { RegistryRestClient, tlsOptions } from './rest-client.ts'

/** The config keys. */
export const SERDE_CONFIGS = Object.freeze({
  SCHEMA_REGISTRY_URL: 'schema.registry.url',
  BASIC_AUTH_CREDENTIALS_SOURCE: 'basic.auth.credentials.source',
  USER_INFO: 'basic.auth.user.info',
  BEARER_AUTH_CREDENTIALS_SOURCE: 'bearer.auth.credentials.source',
  BEARER_AUTH_TOKEN: 'bearer.auth.token',
  AUTO_REGISTER_SCHEMAS: 'auto.register.schemas',
  USE_LATEST_VERSION: 'use.latest.version',
  LATEST_COMPATIBILITY_STRICT: 'latest.compatibility.strict',
  KEY_SUBJECT_NAME_STRATEGY: 'key.subject.name.strategy',
  VALUE_SUBJECT_NAME_STRATEGY: 'value.subject.name.strategy',
  MAX_SCHEMAS_PER_SUBJECT: 'max.schemas.per.subject',
  LATEST_CACHE_SIZE: 'latest.cache.size',
  LATEST_CACHE_TTL: 'latest.cache.ttl.sec',
  HTTP_CONNECT_TIMEOUT_MS: 'http.connect.timeout.ms',
  HTTP_READ_TIMEOUT_MS: 'http.read.timeout.ms',
})

/** The subject name strategies, by Java class name. */
export const SUBJECT_NAME_STRATEGIES = Object.freeze({
  TOPIC: 'io.confluent.kafka.serializers.subject.TopicNameStrategy',
  RECORD: 'io.confluent.kafka.serializers.subject.RecordNameStrategy',
  TOPIC_RECORD: 'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy',
})

const SSL_KEYS = [
  [
    'schema.registry.ssl.truststore.location',
    "A PEM file of the CA certificates that sign the registry's certificate.",
  ],
  [
    'schema.registry.ssl.truststore.type',
    "The trust store's format; PEM here (Java's JKS and PKCS12 trust stores are not read).",
  ],
  ['schema.registry.ssl.truststore.certificates', 'The CA certificates themselves, as PEM text.'],
  ['schema.registry.ssl.keystore.location', 'The client certificate and key for mutual TLS: a PKCS12 or PEM file.'],
  ['schema.registry.ssl.keystore.type', "The key store's format: PKCS12 or PEM."],
  ['schema.registry.ssl.keystore.password', "The PKCS12 key store's password."],
  ['schema.registry.ssl.key.password', 'The password of the PEM key.'],
  [
    'schema.registry.ssl.endpoint.identification.algorithm',
    "Empty to skip the host name check of the registry's certificate.",
  ],
] as const

/** Adds the shared keys to a converter's ConfigDef. */
export function defineSerdeConfigs(def: ConfigDef): ConfigDef {
  const strategy = Validators.in(
    ...Object.values(SUBJECT_NAME_STRATEGIES),
    'TopicNameStrategy',
    'RecordNameStrategy',
    'TopicRecordNameStrategy',
  )
  def
    .define({
      name: SERDE_CONFIGS.SCHEMA_REGISTRY_URL,
      type: 'LIST',
      importance: 'HIGH',
      documentation:
        'Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas.',
    })
    .define({
      name: SERDE_CONFIGS.BASIC_AUTH_CREDENTIALS_SOURCE,
      type: 'STRING',
      defaultValue: 'URL',
      validator: Validators.in('URL', 'USER_INFO'),
      importance: 'MEDIUM',
      documentation:
        'Specify how to pick the credentials for the Basic Auth header. The supported values are URL and USER_INFO (SASL_INHERIT is not supported here).',
    })
    .define({
      name: SERDE_CONFIGS.USER_INFO,
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'Specify the user info for the Basic Auth in the form of {username}:{password}',
    })
    .define({
      name: SERDE_CONFIGS.BEARER_AUTH_CREDENTIALS_SOURCE,
      type: 'STRING',
      defaultValue: 'STATIC_TOKEN',
      validator: Validators.in('STATIC_TOKEN'),
      importance: 'MEDIUM',
      documentation:
        'Specify how to pick the credentials for the Bearer Auth header: STATIC_TOKEN (bearer.auth.token).',
    })
    .define({
      name: SERDE_CONFIGS.BEARER_AUTH_TOKEN,
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'Specify the Bearer token to be used for authentication',
    })
    .define({
      name: SERDE_CONFIGS.AUTO_REGISTER_SCHEMAS,
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'MEDIUM',
      documentation: 'Specify if the Serializer should attempt to register the Schema with Schema Registry',
    })
    .define({
      name: SERDE_CONFIGS.USE_LATEST_VERSION,
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      documentation:
        "Specify if the Serializer should use the latest subject version for serialization. Here the latest version must be the record's own schema (see latest.compatibility.strict).",
    })
    .define({
      name: SERDE_CONFIGS.LATEST_COMPATIBILITY_STRICT,
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      documentation:
        "Only applies when use.latest.version is set to true. If true, the latest version must be the schema of the record (tsconnect checks equality, not backward compatibility); if false, the latest version's id is used whenever its schema text parses.",
    })
    .define({
      name: SERDE_CONFIGS.KEY_SUBJECT_NAME_STRATEGY,
      type: 'STRING',
      defaultValue: SUBJECT_NAME_STRATEGIES.TOPIC,
      validator: strategy,
      importance: 'MEDIUM',
      documentation:
        'Determines how to construct the subject name under which the key schema is registered with the schema registry. By default, <topic>-key is used as subject.',
    })
    .define({
      name: SERDE_CONFIGS.VALUE_SUBJECT_NAME_STRATEGY,
      type: 'STRING',
      defaultValue: SUBJECT_NAME_STRATEGIES.TOPIC,
      validator: strategy,
      importance: 'MEDIUM',
      documentation:
        'Determines how to construct the subject name under which the value schema is registered with the schema registry. By default, <topic>-value is used as subject.',
    })
    .define({
      name: SERDE_CONFIGS.MAX_SCHEMAS_PER_SUBJECT,
      type: 'INT',
      defaultValue: 1000,
      importance: 'LOW',
      documentation: 'Maximum number of schemas to create or cache locally.',
    })
    .define({
      name: SERDE_CONFIGS.LATEST_CACHE_SIZE,
      type: 'INT',
      defaultValue: 1000,
      importance: 'LOW',
      documentation: 'The maximum size for caches holding latest schemas',
    })
    .define({
      name: SERDE_CONFIGS.LATEST_CACHE_TTL,
      type: 'LONG',
      defaultValue: -1,
      importance: 'LOW',
      documentation: 'The TTL in seconds for caches holding latest schemas, or -1 for no TTL',
    })
    .define({
      name: SERDE_CONFIGS.HTTP_CONNECT_TIMEOUT_MS,
      type: 'INT',
      defaultValue: 60000,
      importance: 'LOW',
      documentation: 'Specify the connect timeout in milliseconds for HTTP connections to Schema Registry.',
    })
    .define({
      name: SERDE_CONFIGS.HTTP_READ_TIMEOUT_MS,
      type: 'INT',
      defaultValue: 60000,
      importance: 'LOW',
      documentation: 'Specify the read timeout in milliseconds for HTTP connections to Schema Registry.',
    })
  for (const [name, documentation] of SSL_KEYS) {
    def.define({
      name,
      type: name.includes('password') ? 'PASSWORD' : 'STRING',
      defaultValue: null,
      importance: 'LOW',
      documentation,
    })
  }
  return def
}

/** What the shared keys configure. */
export interface SerdeSettings {
  client: RegistryRestClient
  autoRegister: boolean
  useLatestVersion: boolean
  latestCompatibilityStrict: boolean
  keySubjectNameStrategy: string
  valueSubjectNameStrategy: string
  maxSchemasPerSubject: number
  latestCacheSize: number
  latestCacheTtlMs: number
}

function authorization(c: AbstractConfig): string | undefined {
  const token = c.getPassword(SERDE_CONFIGS.BEARER_AUTH_TOKEN)?.value() ?? ''
  if (token) return `Bearer ${token}`
  if (c.getString(SERDE_CONFIGS.BASIC_AUTH_CREDENTIALS_SOURCE) === 'USER_INFO') {
    const userInfo = c.getPassword(SERDE_CONFIGS.USER_INFO)?.value() ?? ''
    if (!userInfo.includes(':'))
      throw new ConfigError(
        `${SERDE_CONFIGS.USER_INFO} must be {username}:{password} with basic.auth.credentials.source=USER_INFO`,
        SERDE_CONFIGS.USER_INFO,
      )
    return `Basic ${Buffer.from(userInfo).toString('base64')}`
  }
  return undefined
}

/** Reads the shared keys and builds the REST client. */
export function serdeSettings(c: AbstractConfig, raw: Readonly<Record<string, unknown>>): SerdeSettings {
  const urls = [...(c.getList(SERDE_CONFIGS.SCHEMA_REGISTRY_URL) ?? [])]
  const get = (key: string) => {
    const v = key.includes('password') ? c.getPassword(key)?.value() : c.getString(key)
    return v ?? undefined
  }
  // The deprecated schema.registry.basic.auth.user.info key of older Confluent setups still reaches the client.
  const legacyUserInfo = raw['schema.registry.basic.auth.user.info']
  let auth = authorization(c)
  if (
    auth === undefined &&
    typeof legacyUserInfo === 'string' &&
    legacyUserInfo.includes(':') &&
    c.getString(SERDE_CONFIGS.BASIC_AUTH_CREDENTIALS_SOURCE) === 'USER_INFO'
  )
    auth = `Basic ${Buffer.from(legacyUserInfo).toString('base64')}`
  const tls: https.AgentOptions | undefined = tlsOptions(get)
  const short = (s: string | null) => {
    const name = s ?? SUBJECT_NAME_STRATEGIES.TOPIC
    return name.includes('.') ? name : `io.confluent.kafka.serializers.subject.${name}`
  }
  return {
    client: new RegistryRestClient({
      urls,
      authorization: auth,
      tls,
      connectTimeoutMs: c.getInt(SERDE_CONFIGS.HTTP_CONNECT_TIMEOUT_MS) ?? 60000,
      readTimeoutMs: c.getInt(SERDE_CONFIGS.HTTP_READ_TIMEOUT_MS) ?? 60000,
    }),
    autoRegister: c.getBoolean(SERDE_CONFIGS.AUTO_REGISTER_SCHEMAS) ?? true,
    useLatestVersion: c.getBoolean(SERDE_CONFIGS.USE_LATEST_VERSION) ?? false,
    latestCompatibilityStrict: c.getBoolean(SERDE_CONFIGS.LATEST_COMPATIBILITY_STRICT) ?? true,
    keySubjectNameStrategy: short(c.getString(SERDE_CONFIGS.KEY_SUBJECT_NAME_STRATEGY)),
    valueSubjectNameStrategy: short(c.getString(SERDE_CONFIGS.VALUE_SUBJECT_NAME_STRATEGY)),
    maxSchemasPerSubject: c.getInt(SERDE_CONFIGS.MAX_SCHEMAS_PER_SUBJECT) ?? 1000,
    latestCacheSize: c.getInt(SERDE_CONFIGS.LATEST_CACHE_SIZE) ?? 1000,
    latestCacheTtlMs: (c.getLong(SERDE_CONFIGS.LATEST_CACHE_TTL) ?? -1) * 1000,
  }
}

/**
 * The subject a schema goes under (Confluent's SubjectNameStrategy classes): TopicNameStrategy `<topic>-key` or
 * `<topic>-value`; RecordNameStrategy the record's full name; TopicRecordNameStrategy `<topic>-<full name>`.
 */
export function subjectName(strategy: string, topic: string, isKey: boolean, recordName: string): string {
  switch (strategy) {
    case SUBJECT_NAME_STRATEGIES.RECORD:
      return recordName
    case SUBJECT_NAME_STRATEGIES.TOPIC_RECORD:
      return `${topic}-${recordName}`
    default:
      return `${topic}-${isKey ? 'key' : 'value'}`
  }
}
