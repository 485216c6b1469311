/**
 * The plugin list tsconnect reads from this package: the search sink under Confluent's and Aiven's class names.
 */
import type { PluginDescriptor } from 'tsconnect'
import { ElasticsearchSinkConnector, OpenSearchSinkConnector } from './search-sink-connectors.ts'
import { VERSION } from './version.ts'

export const plugins: PluginDescriptor[] = [
  {
    type: 'sink',
    plugin: ElasticsearchSinkConnector,
    className: 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
    javaClassName: 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
    version: VERSION,
  },
  {
    type: 'sink',
    plugin: OpenSearchSinkConnector,
    className: 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector',
    javaClassName: 'io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector',
    version: VERSION,
  },
]

export { BulkProcessor } from './bulk-processor.ts'
export { ELASTICSEARCH_SINK_CONFIG, OPENSEARCH_SINK_CONFIG, parseSearchSinkConfig } from './config.ts'
export { bulkLines, DocumentConverter, documentId, indexName } from './documents.ts'
export { indexMapping } from './mappings.ts'
export { ElasticsearchSinkConnector, OpenSearchSinkConnector } from './search-sink-connectors.ts'
export { SearchSinkTask } from './search-sink-task.ts'
