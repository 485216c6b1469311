/**
 * The registry as a converter sees it: synchronous lookups over caches, as Confluent's CachedSchemaRegistryClient
 * caches them (schema to id per subject, up to max.schemas.per.subject each; id to schema; the latest version per
 * subject, latest.cache.size entries for latest.cache.ttl.sec). A miss starts the REST call and throws
 * ConversionPendingError; the worker awaits it and converts the record again, which then hits the cache. A call
 * that failed is thrown once, on the next lookup of the same key (a RetriableError when the registry could not be
 * reached, so errors.retry.* applies), and the lookup after that asks the registry again.
 *
 * A schema the registry refuses as incompatible (409) is a DataError naming the subject and the latest version.
 */
import { ConversionPendingError, DataError } from 'tsconnect'
import { Lru } from '../lru.ts'
import { type RegisteredSchema, RegistryError, type RegistryRestClient } from './rest-client.ts'

type Entry<V> = { value: V; at: number } | { pending: Promise<void> } | { error: Error }

/** Loads a key once at a time and answers it synchronously once loaded. */
class Loader<K, V> {
  readonly #entries: Lru<K, Entry<V>>
  readonly #ttlMs: number
  constructor(max: number, ttlMs = -1) {
    this.#entries = new Lru(max)
    this.#ttlMs = ttlMs
  }

  get(key: K, what: string, load: () => Promise<V>): V {
    const entry = this.#entries.get(key)
    if (entry !== undefined) {
      if ('value' in entry) {
        if (this.#ttlMs < 0 || Date.now() - entry.at < this.#ttlMs) return entry.value
      } else if ('pending' in entry)
        throw new ConversionPendingError(`waiting for the schema registry: ${what}`, entry.pending)
      else {
        this.#entries.delete(key)
        throw entry.error
      }
    }
    const pending = load().then(
      (value) => this.#entries.set(key, { value, at: Date.now() }),
      (error: unknown) => this.#entries.set(key, { error: error instanceof Error ? error : new Error(String(error)) }),
    )
    this.#entries.set(key, { pending })
    throw new ConversionPendingError(`waiting for the schema registry: ${what}`, pending)
  }
}

/** Limits of the caches, from the converter's config. */
export interface CacheLimits {
  maxSchemasPerSubject: number
  latestCacheSize: number
  latestCacheTtlMs: number
}

/** Synchronous, cached registry lookups for one converter. */
export class CachedRegistry {
  readonly #rest: RegistryRestClient
  readonly #limits: CacheLimits
  readonly #ids = new Map<string, Loader<string, number>>()
  readonly #versions = new Map<string, Loader<string, number>>()
  readonly #byId: Loader<number, RegisteredSchema>
  readonly #latest: Loader<string, RegisteredSchema>

  constructor(rest: RegistryRestClient, limits: CacheLimits) {
    this.#rest = rest
    this.#limits = limits
    this.#byId = new Loader(limits.maxSchemasPerSubject)
    this.#latest = new Loader(limits.latestCacheSize, limits.latestCacheTtlMs)
  }

  #perSubject(map: Map<string, Loader<string, number>>, subject: string): Loader<string, number> {
    let loader = map.get(subject)
    if (loader === undefined) {
      loader = new Loader(this.#limits.maxSchemasPerSubject)
      map.set(subject, loader)
    }
    return loader
  }

  /** The id of a schema under a subject: registered when `register`, else looked up. */
  id(subject: string, schema: string, schemaType: string, register: boolean): number {
    return this.#perSubject(this.#ids, subject).get(
      schema,
      `the id of a schema under subject "${subject}"`,
      async () => {
        try {
          return register
            ? await this.#rest.register(subject, schema, schemaType)
            : (await this.#rest.lookup(subject, schema, schemaType)).id
        } catch (error) {
          throw await this.#explain(subject, register, error)
        }
      },
    )
  }

  /** The version a schema has under a subject (for the Connect schema's version on reading). */
  version(subject: string, schema: string, schemaType: string): number {
    return this.#perSubject(this.#versions, subject).get(
      schema,
      `the version of a schema under subject "${subject}"`,
      async () => {
        try {
          return (await this.#rest.lookup(subject, schema, schemaType)).version
        } catch (error) {
          throw await this.#explain(subject, false, error)
        }
      },
    )
  }

  /** The schema with a global id. */
  byId(id: number): RegisteredSchema {
    return this.#byId.get(id, `schema id ${id}`, async () => {
      try {
        return await this.#rest.byId(id)
      } catch (error) {
        if (error instanceof RegistryError)
          throw new DataError(`Error retrieving schema ID ${id}: ${error.message}`, { cause: error })
        throw error
      }
    })
  }

  /** The latest version under a subject. */
  latest(subject: string): RegisteredSchema {
    return this.#latest.get(subject, `the latest version of subject "${subject}"`, async () => {
      try {
        return await this.#rest.latest(subject)
      } catch (error) {
        throw await this.#explain(subject, false, error)
      }
    })
  }

  async #explain(subject: string, registering: boolean, error: unknown): Promise<Error> {
    if (!(error instanceof RegistryError)) return error as Error
    if (error.status === 409) {
      const latest = await this.#rest.latest(subject).catch(() => undefined)
      const version = latest?.version === undefined ? '' : ` (latest version ${latest.version}, id ${latest.id})`
      return new DataError(
        `Schema being registered is incompatible with an earlier schema for subject "${subject}"${version}: ${error.message}`,
        { cause: error },
      )
    }
    const what = registering ? 'registering' : 'retrieving'
    return new DataError(`Error ${what} Avro schema for subject "${subject}": ${error.message}`, { cause: error })
  }
}
