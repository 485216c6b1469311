/**
 * TopicNameMatches (`org.apache.kafka.connect.transforms.predicates.TopicNameMatches`): whether the whole topic name
 * matches `pattern`, a Java regular expression (see util/java-regex.ts).
 */
import type { ConnectRecord } from '../../api/records.ts'
import type { Predicate } from '../../api/transformation.ts'
import { ConfigDef } from '../../config/config-def.ts'
import { invalidValue } from '../../config/types.ts'
import { Validators } from '../../config/validators.ts'
import { TSCONNECT_VERSION } from '../../util/version.ts'
import { simpleConfig, validRegex } from '../util/config.ts'
import { compileJavaRegex } from '../util/java-regex.ts'

const PATTERN_CONFIG = 'pattern'

const CONFIG_DEF = new ConfigDef().define({
  name: PATTERN_CONFIG,
  type: 'STRING',
  validator: Validators.all(Validators.nonEmptyString(), validRegex()),
  importance: 'MEDIUM',
  documentation: "A Java regular expression for matching against the name of a record's topic.",
})

/** A predicate which is true for records with a topic name that matches the configured regular expression. */
export class TopicNameMatches implements Predicate {
  #source = ''
  #pattern = /^$/

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const value = simpleConfig(CONFIG_DEF, props).getString(PATTERN_CONFIG) ?? ''
    try {
      this.#pattern = compileJavaRegex(value, true)
    } catch (e) {
      throw invalidValue(
        PATTERN_CONFIG,
        value,
        `entry must be a Java-compatible regular expression: ${(e as Error).message}`,
      )
    }
    this.#source = value
  }

  test(record: ConnectRecord): boolean {
    return record.topic != null && this.#pattern.test(record.topic)
  }

  close(): void {}

  toString(): string {
    return `TopicNameMatches{pattern=${this.#source}}`
  }
}
