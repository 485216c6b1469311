/**
 * Config pieces the SMTs share: Java's NonEmptyListValidator and RegexValidator, the `replace.null.with.default`
 * key most SMTs declare, and parsing with an SMT's ConfigDef (Java's SimpleConfig).
 */
import { AbstractConfig } from '../../config/abstract-config.ts'
import type { ConfigDef, ConfigKeyOptions } from '../../config/config-def.ts'
import { invalidValue } from '../../config/types.ts'
import { type Validator, Validators } from '../../config/validators.ts'
import { ConfigError } from '../../errors.ts'
import { compileJavaRegex } from './java-regex.ts'

/** A list with at least one element (Java's NonEmptyListValidator: "Empty list"). */
export function nonEmptyList(): Validator {
  return Validators.of((name, value) => {
    if (value == null || (Array.isArray(value) && value.length === 0)) throw invalidValue(name, value, 'Empty list')
  }, 'non-empty list')
}

/**
 * Kafka 4.3's ValidList.anyNonDuplicateValues(emptyAllowed, nullAllowed), which several SMTs use for their lists:
 * no null (unless allowed), no empty list (unless allowed), no repeated or empty element.
 */
export function nonDuplicateList(emptyAllowed: boolean, nullAllowed: boolean): Validator {
  return Validators.of((name, value) => {
    if (value == null) {
      if (nullAllowed) return
      throw new ConfigError(`Configuration '${name}' values must not be null.`, name)
    }
    const list = value as readonly string[]
    if (!emptyAllowed && list.length === 0) {
      throw new ConfigError(
        `Configuration '${name}' must not be empty. Valid values include: any non-empty value`,
        name,
      )
    }
    if (new Set(list).size !== list.length) {
      throw new ConfigError(`Configuration '${name}' values must not be duplicated.`, name)
    }
    if (list.some((v) => v === '')) throw new ConfigError(`Configuration '${name}' values must not be empty.`, name)
  }, '')
}

/** A string that compiles as a regular expression (Java's RegexValidator: "Invalid regex: ..."). */
export function validRegex(): Validator {
  return Validators.of((name, value) => {
    try {
      compileJavaRegex(String(value))
    } catch (e) {
      throw invalidValue(name, value, `Invalid regex: ${(e as Error).message}`)
    }
  }, 'valid regex')
}

/** The `replace.null.with.default` key that most SMTs declare. */
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default'

/** The declaration of `replace.null.with.default` (boolean, default true), worded as in Java. */
export function replaceNullWithDefaultKey(): ConfigKeyOptions {
  return {
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  }
}

/** Parses an SMT's configs (Java's SimpleConfig); throws ConfigError for a missing or invalid value. */
export function simpleConfig(def: ConfigDef, props: Readonly<Record<string, unknown>>): AbstractConfig {
  return new AbstractConfig(def, props)
}
