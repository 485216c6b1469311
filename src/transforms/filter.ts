/**
 * Filter (`org.apache.kafka.connect.transforms.Filter`): drops every record. Used with a predicate
 * (`transforms.f.predicate`), it drops the records that match it, or with `negate=true` those that do not.
 */
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'

const CONFIG_DEF = new ConfigDef()

/** Drops all records, filtering them from subsequent transformations in the chain. */
export class Filter implements Transformation {
  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(): void {}

  apply(): null {
    return null
  }

  close(): void {}
}
