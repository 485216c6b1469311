/**
 * The search sink under its two Java names: Confluent's ElasticsearchSinkConnector and Aiven's
 * OpenSearchSinkConnector. Both run SearchSinkTask; each validates with its own keys and defaults and tells the
 * task which flavour it is.
 */
import { type ConfigDef, SinkConnector } from 'tsconnect'
import { ELASTICSEARCH_SINK_CONFIG, type Flavour, OPENSEARCH_SINK_CONFIG, parseSearchSinkConfig } from './config.ts'
import { SearchSinkTask } from './search-sink-task.ts'
import { VERSION } from './version.ts'

abstract class SearchSinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}
  protected abstract readonly flavour: Flavour

  version(): string {
    return VERSION
  }

  start(props: Readonly<Record<string, string>>): void {
    parseSearchSinkConfig(this.flavour, props)
    this.#props = props
  }

  taskClass(): typeof SearchSinkTask {
    return SearchSinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props, [SearchSinkTask.FLAVOUR_KEY]: this.flavour }))
  }

  stop(): void {}
}

/** Confluent's io.confluent.connect.elasticsearch.ElasticsearchSinkConnector keys, for Elasticsearch or OpenSearch. */
export class ElasticsearchSinkConnector extends SearchSinkConnector {
  protected readonly flavour = 'confluent'
  config(): ConfigDef {
    return ELASTICSEARCH_SINK_CONFIG
  }
}

/** Aiven's io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector keys. */
export class OpenSearchSinkConnector extends SearchSinkConnector {
  protected readonly flavour = 'aiven'
  config(): ConfigDef {
    return OPENSEARCH_SINK_CONFIG
  }
}
