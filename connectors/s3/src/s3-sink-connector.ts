/**
 * The S3 sink connector, registered under Confluent's class name io.confluent.connect.s3.S3SinkConnector: each
 * task gets the connector's config (the worker spreads the partitions over the tasks).
 */
import { type ConfigDef, SinkConnector } from 'tsconnect'
import { parseS3SinkConfig, S3_SINK_CONFIG } from './config.ts'
import { S3SinkTask } from './s3-sink-task.ts'
import { VERSION } from './version.ts'

/** Archives topics to S3 or an S3-compatible store. */
export class S3SinkConnector extends SinkConnector {
  #props: Readonly<Record<string, string>> = {}

  version(): string {
    return VERSION
  }

  config(): ConfigDef {
    return S3_SINK_CONFIG
  }

  start(props: Readonly<Record<string, string>>): void {
    parseS3SinkConfig(props)
    this.#props = props
  }

  taskClass(): typeof S3SinkTask {
    return S3SinkTask
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop(): void {}
}
