/** HasHeaderKey (`org.apache.kafka.connect.transforms.predicates.HasHeaderKey`): whether a header has `name`. */
import type { ConnectRecord } from '../../api/records.ts'
import type { Predicate } from '../../api/transformation.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { Validators } from '../../config/validators.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { simpleConfig } from '../util/config.ts'

const NAME_CONFIG = 'name'

const CONFIG_DEF = new ConfigDef().define({
  name: NAME_CONFIG,
  type: 'STRING',
  validator: Validators.nonEmptyString(),
  importance: 'MEDIUM',
  documentation: 'The header name.',
})

/** A predicate which is true for records with at least one header with the configured name. */
export class HasHeaderKey implements Predicate {
  #name = ''

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    this.#name = simpleConfig(CONFIG_DEF, props).getString(NAME_CONFIG) ?? ''
  }

  test(record: ConnectRecord): boolean {
    return record.headers.lastWithName(this.#name) !== undefined
  }

  close(): void {}

  toString(): string {
    return `HasHeaderKey{name='${this.#name}'}`
  }
}
