/**
 * InsertHeader (`org.apache.kafka.connect.transforms.InsertHeader`): adds a header to every record. `value.literal`
 * is parsed as SimpleHeaderConverter reads header strings (Values.parseString), so "42" becomes an INT8 and
 * "[1,2]" an array.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { Validators } from '../config/validators.ts'
import { Header, Headers } from '../data/headers.ts'
import { SchemaAndValue } from '../data/schema-and-value.ts'
import { Values } from '../data/values.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { simpleConfig } from './util/config.ts'

const HEADER_FIELD = 'header'
const VALUE_LITERAL_FIELD = 'value.literal'

const CONFIG_DEF = new ConfigDef()
  .define({
    name: HEADER_FIELD,
    type: 'STRING',
    validator: Validators.nonNull(),
    importance: 'HIGH',
    documentation: 'The name of the header.',
  })
  .define({
    name: VALUE_LITERAL_FIELD,
    type: 'STRING',
    validator: Validators.nonNull(),
    importance: 'HIGH',
    documentation: 'The literal value that is to be set as the header value on all records.',
  })

/** Adds a header to each record. */
export class InsertHeader implements Transformation {
  #header = ''
  #literal: SchemaAndValue = SchemaAndValue.NULL

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const config = simpleConfig(CONFIG_DEF, props)
    this.#header = config.getString(HEADER_FIELD) ?? ''
    this.#literal = Values.parseString(config.getString(VALUE_LITERAL_FIELD))
  }

  apply<R extends ConnectRecord>(record: R): R {
    // Built from the list rather than with add(): a literal such as [1,"a"] parses to an array schema without
    // element schema, which Java's headers accept (they check only the top-level type) and add() would refuse.
    const headers = new Headers([
      ...record.headers,
      new Header(this.#header, this.#literal.schema, this.#literal.value),
    ])
    return record.newRecord({ headers })
  }

  close(): void {}
}
