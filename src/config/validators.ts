/**
 * Validators and recommenders for ConfigDef, with Java's messages and descriptions (the descriptions appear in
 * generated docs as "Valid Values").
 */
import { invalidValue } from './types.ts'

/** Checks one parsed value; throws a ConfigError (see invalidValue) when it is not acceptable. */
export interface Validator {
  ensureValid(name: string, value: unknown): void
  /** A description of the valid values, for docs. */
  toString(): string
}

/** Suggests values for a config and says whether it applies, given the other parsed values. */
export interface Recommender {
  validValues(name: string, parsedConfig: Readonly<Record<string, unknown>>): unknown[]
  visible(name: string, parsedConfig: Readonly<Record<string, unknown>>): boolean
}

function validator(describe: string, ensureValid: (name: string, value: unknown) => void): Validator {
  return { ensureValid, toString: () => describe }
}

function numberText(n: number): string {
  return String(n)
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : []
}

/** Java's ConfigDef validators, by their Java names. */
export const Validators = Object.freeze({
  /** A number at least `min` (Java's Range.atLeast). */
  atLeast(min: number): Validator {
    return Validators.between(min, undefined)
  },

  /** A number in [min, max]; either bound may be left out (Java's Range.between). */
  between(min: number | undefined, max: number | undefined): Validator {
    const describe =
      min === undefined && max === undefined
        ? '[...]'
        : min === undefined
          ? `[...,${numberText(max as number)}]`
          : max === undefined
            ? `[${numberText(min)},...]`
            : `[${numberText(min)},...,${numberText(max)}]`
    return validator(describe, (name, value) => {
      if (value == null) throw invalidValue(name, null, 'Value must be non-null')
      const n = Number(value)
      if (min !== undefined && n < min) throw invalidValue(name, value, `Value must be at least ${numberText(min)}`)
      if (max !== undefined && n > max) throw invalidValue(name, value, `Value must be no more than ${numberText(max)}`)
    })
  },

  /** One of the given strings, case-sensitive (Java's ValidString.in). */
  in(...valid: string[]): Validator {
    return validator(`[${valid.join(', ')}]`, (name, value) => {
      if (typeof value !== 'string' || !valid.includes(value)) {
        throw invalidValue(name, value, `String must be one of: ${valid.join(', ')}`)
      }
    })
  },

  /** One of the given strings, ignoring case (Java's CaseInsensitiveValidString.in). */
  inIgnoringCase(...valid: string[]): Validator {
    const upper = new Set(valid.map((v) => v.toUpperCase()))
    return validator(`(case insensitive) [${valid.join(', ')}]`, (name, value) => {
      if (typeof value !== 'string' || !upper.has(value.toUpperCase())) {
        throw invalidValue(name, value, `String must be one of (case insensitive): ${valid.join(', ')}`)
      }
    })
  },

  /** A list whose every element is one of the given strings (Java's ValidList.in). */
  listOf(...valid: string[]): Validator {
    const one = Validators.in(...valid)
    return validator(one.toString(), (name, value) => {
      for (const v of asStrings(value)) one.ensureValid(name, v)
    })
  },

  /** A list of at most `max` elements (Java's ListSize.atMostOfSize). */
  listAtMost(max: number): Validator {
    return validator(`List containing maximum of ${max} elements`, (name, value) => {
      if (asStrings(value).length > max) throw invalidValue(name, value, `exceeds maximum list size of [${max}].`)
    })
  },

  /** Not null (Java's NonNullValidator). */
  nonNull(): Validator {
    return validator('non-null string', (name, value) => {
      if (value == null) throw invalidValue(name, 'null', 'entry must be non null')
    })
  },

  /** A list with at least one entry. */
  nonEmptyList(): Validator {
    return validator('non-empty list', (name, value) => {
      if (!Array.isArray(value) || value.length === 0) throw invalidValue(name, value, 'Empty list')
    })
  },

  /** A string that is null or not empty (Java's NonEmptyString). */
  nonEmptyString(): Validator {
    return validator('non-empty string', (name, value) => {
      if (value === '') throw invalidValue(name, value, 'String must be non-empty')
    })
  },

  /** A non-empty string with no ISO control characters; null passes (Java's NonEmptyStringWithoutControlChars). */
  nonEmptyStringWithoutControlChars(): Validator {
    return validator('non-empty string without ISO control characters', (name, value) => {
      if (value == null) return
      const s = String(value)
      if (s === '') throw invalidValue(name, value, 'String may not be empty')
      const illegal: number[] = []
      for (const ch of s) {
        const cp = ch.codePointAt(0) as number
        if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) illegal.push(cp)
      }
      if (illegal.length > 0) {
        throw invalidValue(
          name,
          value,
          `String may not contain control sequences but had the following ASCII chars: ${illegal.join(', ')}`,
        )
      }
    })
  },

  /** All of the given validators, in order (Java's CompositeValidator.of). */
  all(...validators: Validator[]): Validator {
    return validator(validators.map(String).join(', '), (name, value) => {
      for (const v of validators) v.ensureValid(name, value)
    })
  },

  /** A validator from a function and a description (Java's LambdaValidator.with). */
  of(ensureValid: (name: string, value: unknown) => void, describe: string): Validator {
    return validator(describe, ensureValid)
  },
})
