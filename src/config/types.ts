/**
 * Config value types, as Java's ConfigDef.Type, with Java's parsing (parseType) and string forms (convertToString),
 * error messages included: "Invalid value x for configuration y: Expected value to be either true or false".
 *
 * Parsed values in JavaScript: BOOLEAN boolean; STRING and CLASS string (a class is named, not loaded: the plugin
 * registry resolves it); INT, SHORT, LONG and DOUBLE number (LONG beyond 2^53 loses precision); LIST string[];
 * PASSWORD a Password, which prints as "[hidden]".
 */
import { ConfigError } from '../errors.ts'
import { javaDoubleToString } from '../util/java-format.ts'

/** The config types, named as Java's ConfigDef.Type. */
export const CONFIG_TYPES = [
  'BOOLEAN',
  'STRING',
  'INT',
  'SHORT',
  'LONG',
  'DOUBLE',
  'LIST',
  'CLASS',
  'PASSWORD',
] as const
/** One config type. */
export type ConfigType = (typeof CONFIG_TYPES)[number]

/** How much a config matters to users, as Java's ConfigDef.Importance. */
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW'

/** How wide a UI field for the config should be, as Java's ConfigDef.Width. */
export type Width = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG'

/** A secret config value: its toString is "[hidden]", so it does not leak into logs or REST answers. */
export class Password {
  /** What a Password prints as. */
  static readonly HIDDEN = '[hidden]'
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  /** The secret itself. */
  value(): string {
    return this.#value
  }

  /** Same secret. */
  equals(other: unknown): boolean {
    return other instanceof Password && other.#value === this.#value
  }

  toString(): string {
    return Password.HIDDEN
  }

  toJSON(): string {
    return Password.HIDDEN
  }
}

/** A parsed config value. */
export type ConfigValueType = boolean | string | number | readonly string[] | Password | null

/** Java's ConfigException(name, value, message): "Invalid value <value> for configuration <name>: <message>". */
export function invalidValue(name: string, value: unknown, message?: string): ConfigError {
  const shown = Array.isArray(value) ? `[${value.join(', ')}]` : String(value)
  return new ConfigError(
    `Invalid value ${shown} for configuration ${name}${message === undefined ? '' : `: ${message}`}`,
    name,
  )
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object'
  return typeof value
}

const INTEGER_TEXT = /^[+-]?\d+$/
const DOUBLE_TEXT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/
const RANGES = {
  INT: [-(2n ** 31n), 2n ** 31n - 1n],
  SHORT: [-(2n ** 15n), 2n ** 15n - 1n],
  LONG: [-(2n ** 63n), 2n ** 63n - 1n],
} as const

function parseInteger(name: string, value: unknown, trimmed: string, type: 'INT' | 'SHORT' | 'LONG'): number {
  const [min, max] = RANGES[type]
  if (!INTEGER_TEXT.test(trimmed)) throw invalidValue(name, value, `Not a number of type ${type}`)
  const n = BigInt(trimmed)
  if (n < min || n > max) throw invalidValue(name, value, `Not a number of type ${type}`)
  return Number(n)
}

const INTEGER_EXPECTED = {
  INT: 'a 32-bit integer',
  SHORT: 'a 16-bit integer (short)',
  LONG: 'a 64-bit integer (long)',
} as const

/** Parses a raw value (a string from a properties file or REST, or an already typed value) as Java's parseType. */
export function parseType(name: string, value: unknown, type: ConfigType): ConfigValueType {
  if (value == null) return null
  const trimmed = typeof value === 'string' ? value.trim() : undefined
  switch (type) {
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value
      if (trimmed?.toLowerCase() === 'true') return true
      if (trimmed?.toLowerCase() === 'false') return false
      throw invalidValue(name, value, 'Expected value to be either true or false')
    case 'PASSWORD':
      if (value instanceof Password) return value
      if (trimmed !== undefined) return new Password(trimmed)
      throw invalidValue(name, value, `Expected value to be a string, but it was a ${typeName(value)}`)
    case 'STRING':
      if (trimmed !== undefined) return trimmed
      throw invalidValue(name, value, `Expected value to be a string, but it was a ${typeName(value)}`)
    case 'INT':
    case 'SHORT':
    case 'LONG':
      if (typeof value === 'number' && Number.isInteger(value)) return parseInteger(name, value, String(value), type)
      if (typeof value === 'bigint') return parseInteger(name, value, String(value), type)
      if (trimmed !== undefined) return parseInteger(name, value, trimmed, type)
      throw invalidValue(name, value, `Expected value to be ${INTEGER_EXPECTED[type]}, but it was a ${typeName(value)}`)
    case 'DOUBLE':
      if (typeof value === 'number') return value
      if (trimmed !== undefined) {
        if (!DOUBLE_TEXT.test(trimmed)) throw invalidValue(name, value, 'Not a number of type DOUBLE')
        return Number(trimmed.replace(/[fFdD]$/, ''))
      }
      throw invalidValue(name, value, `Expected value to be a double, but it was a ${typeName(value)}`)
    case 'LIST':
      if (Array.isArray(value)) return value.map(String)
      if (trimmed !== undefined) return trimmed === '' ? [] : trimmed.split(/\s*,\s*/)
      throw invalidValue(name, value, 'Expected a comma separated list.')
    case 'CLASS':
      if (trimmed !== undefined) return trimmed
      if (typeof value === 'function' && value.name !== '') return value.name
      throw invalidValue(name, value, 'Expected a Class instance or class name.')
  }
}

/** The string form of a parsed value, as Java's ConfigDef.convertToString (passwords show as "[hidden]"). */
export function convertToString(parsed: unknown, type: ConfigType | undefined): string | null {
  if (parsed == null) return null
  if (type === 'DOUBLE' && typeof parsed === 'number') return javaDoubleToString(parsed)
  if (type === 'LIST' && Array.isArray(parsed)) return parsed.map(String).join(',')
  if (Array.isArray(parsed)) return parsed.map(String).join(',')
  return String(parsed)
}
