/**
 * RegexRouter (`org.apache.kafka.connect.transforms.RegexRouter`): when the whole topic matches `regex`, the topic
 * becomes `replacement`, in which `$1` and `${name}` insert captured groups (Java's Matcher.replaceFirst). Other
 * records pass unchanged. See util/java-regex.ts for how Java patterns run on JavaScript's engine.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import { simpleConfig, validRegex } from './util/config.ts'
import { compileJavaRegex, javaReplacement } from './util/java-regex.ts'

const REGEX = 'regex'
const REPLACEMENT = 'replacement'

const CONFIG_DEF = new ConfigDef()
  .define({
    name: REGEX,
    type: 'STRING',
    validator: validRegex(),
    importance: 'HIGH',
    documentation: 'Regular expression to use for matching.',
  })
  .define({ name: REPLACEMENT, type: 'STRING', importance: 'HIGH', documentation: 'Replacement string.' })

/** Updates the record topic using the configured regular expression and replacement string. */
export class RegexRouter implements Transformation {
  #whole = /^$/
  #find = /^$/
  #replacement = ''

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const config = simpleConfig(CONFIG_DEF, props)
    const regex = config.getString(REGEX) ?? ''
    this.#whole = compileJavaRegex(regex, true)
    this.#find = compileJavaRegex(regex)
    this.#replacement = config.getString(REPLACEMENT) ?? ''
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (!this.#whole.test(record.topic)) return record
    // Java's replaceFirst searches again (find, not a whole match), so the replaced span can be shorter.
    const match = this.#find.exec(record.topic) as RegExpExecArray
    let topic: string
    try {
      const before = record.topic.slice(0, match.index)
      const after = record.topic.slice(match.index + match[0].length)
      topic = before + javaReplacement(this.#replacement, match) + after
    } catch (e) {
      throw new DataError(`Invalid replacement ${this.#replacement}: ${(e as Error).message}`, { cause: e })
    }
    return record.newRecord({ topic })
  }

  close(): void {}
}
