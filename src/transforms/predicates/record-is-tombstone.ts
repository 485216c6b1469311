/** RecordIsTombstone (`org.apache.kafka.connect.transforms.predicates.RecordIsTombstone`): whether the value is null. */
import type { ConnectRecord } from '../../api/records.ts'
import type { Predicate } from '../../api/transformation.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'

const CONFIG_DEF = new ConfigDef()

/** A predicate which is true for records which are tombstones (i.e. have null value). */
export class RecordIsTombstone implements Predicate {
  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(): void {}

  test(record: ConnectRecord): boolean {
    return record.value == null
  }

  close(): void {}

  toString(): string {
    return 'RecordIsTombstone{}'
  }
}
