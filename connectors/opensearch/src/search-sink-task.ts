/**
 * The search sink task: put() turns records into bulk actions (documents.ts) and hands them to the bulk processor;
 * flush() (before each offset commit) sends everything and waits until the cluster acknowledged it, so offsets
 * are committed only for written documents (at-least-once). With ids from the key or from topic+partition+offset,
 * a replay writes the same documents again under the same ids: the index ends up as if each record was written
 * once. Indices are created before their first document, with a mapping from the value schema unless schemas
 * are ignored.
 */
import { DataError, type SinkRecord, SinkTask, type TopicPartitionOffset } from 'tsconnect'
import { BulkProcessor } from './bulk-processor.ts'
import { type Flavour, parseSearchSinkConfig, type SearchSinkSettings } from './config.ts'
import { DocumentConverter } from './documents.ts'
import { SearchHttpClient } from './http-client.ts'
import { indexMapping } from './mappings.ts'
import { VERSION } from './version.ts'

/** The task of both connector classes; the flavour picks the keys and defaults. */
export class SearchSinkTask extends SinkTask {
  #settings: SearchSinkSettings | null = null
  #client: SearchHttpClient | null = null
  #converter: DocumentConverter | null = null
  #bulk: BulkProcessor | null = null
  readonly #readyIndices = new Set<string>()
  /** Which Java connector's keys the task reads (set by the connector's task config). */
  static readonly FLAVOUR_KEY = 'tsconnect.search.flavour'

  version(): string {
    return VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    const flavour = (props[SearchSinkTask.FLAVOUR_KEY] ?? 'confluent') as Flavour
    const { [SearchSinkTask.FLAVOUR_KEY]: _, ...config } = props
    this.#settings = parseSearchSinkConfig(flavour, config)
    this.#client = new SearchHttpClient(this.#settings)
    this.#converter = new DocumentConverter(this.#settings)
    this.#bulk = new BulkProcessor(this.#client, this.#settings, this.context.errantRecordReporter(), () => Date.now())
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const settings = this.#settings as SearchSinkSettings
    const bulk = this.#bulk as BulkProcessor
    for (const record of records) {
      let action: ReturnType<DocumentConverter['convert']>
      try {
        action = (this.#converter as DocumentConverter).convert(record)
      } catch (error) {
        if (error instanceof DataError && settings.dropInvalid) {
          console.warn(
            `Dropping the invalid record at ${record.topic}/${record.kafkaPartition}/${record.kafkaOffset}: ${error.message}`,
          )
          continue
        }
        throw error
      }
      if (action === null) continue
      if (action.kind !== 'delete') await this.#ensureIndex(action.index, record)
      await bulk.add(action)
    }
    await bulk.sendDue()
  }

  /** Creates the index (and its mapping from the value schema) before its first document. */
  async #ensureIndex(index: string, record: SinkRecord): Promise<void> {
    if (this.#readyIndices.has(index)) return
    const settings = this.#settings as SearchSinkSettings
    const client = this.#client as SearchHttpClient
    const withMapping =
      !settings.schemaIgnore && !settings.topicSchemaIgnore.has(record.topic) && record.valueSchema !== null
    const exists = await client.request('HEAD', encodeURIComponent(index))
    if (exists.status === 404) {
      const body = withMapping
        ? { mappings: indexMapping(record.valueSchema as NonNullable<typeof record.valueSchema>) }
        : {}
      const created = await client.request('PUT', encodeURIComponent(index), JSON.stringify(body))
      const type = (created.body as { error?: { type?: string } } | undefined)?.error?.type
      if (created.status >= 300 && type !== 'resource_already_exists_exception') {
        throw new DataError(`Could not create index ${index}: HTTP ${created.status} ${JSON.stringify(created.body)}`)
      }
    } else if (exists.status >= 300) {
      throw new DataError(`Could not check index ${index}: HTTP ${exists.status}`)
    } else if (withMapping) {
      const mapping = await client.request('GET', `${encodeURIComponent(index)}/_mapping`)
      const properties = (mapping.body as Record<string, { mappings?: { properties?: object } }> | undefined)?.[index]
        ?.mappings?.properties
      if (properties === undefined || Object.keys(properties).length === 0) {
        const put = await client.request(
          'PUT',
          `${encodeURIComponent(index)}/_mapping`,
          JSON.stringify(indexMapping(record.valueSchema as NonNullable<typeof record.valueSchema>)),
        )
        if (put.status >= 300)
          throw new DataError(`Could not put the mapping of ${index}: HTTP ${put.status} ${JSON.stringify(put.body)}`)
      }
    }
    this.#readyIndices.add(index)
  }

  override async flush(_currentOffsets: readonly TopicPartitionOffset[]): Promise<void> {
    await this.#bulk?.flush()
  }

  async stop(): Promise<void> {
    await this.#bulk?.close()
    this.#client?.close()
  }
}
