/** DropHeaders (`org.apache.kafka.connect.transforms.DropHeaders`): removes the headers with the given names. */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { Headers } from '../data/headers.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { nonDuplicateList, simpleConfig } from './util/config.ts'

const HEADERS_FIELD = 'headers'

const CONFIG_DEF = new ConfigDef().define({
  name: HEADERS_FIELD,
  type: 'LIST',
  validator: nonDuplicateList(false, false),
  importance: 'HIGH',
  documentation: 'The name of the headers to be removed.',
})

/** Removes one or more headers from each record. */
export class DropHeaders implements Transformation {
  #headers = new Set<string>()

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    this.#headers = new Set(simpleConfig(CONFIG_DEF, props).getList(HEADERS_FIELD))
  }

  apply<R extends ConnectRecord>(record: R): R {
    const kept = new Headers()
    for (const h of record.headers) if (!this.#headers.has(h.key)) kept.add(h)
    return record.newRecord({ headers: kept })
  }

  close(): void {}
}
