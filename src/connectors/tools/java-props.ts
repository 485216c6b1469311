/**
 * Reading the tool connectors' props as their Java twins do: with Integer.parseInt, Long.parseLong and
 * Boolean.parseBoolean on the raw strings (the tools declare no ConfigDef), so a config that Java rejects is
 * rejected here with the same message.
 */
import { ConnectError } from '../../errors.ts'

const JAVA_INTEGER = /^[+-]?\d+$/
const INT_MIN = -(2n ** 31n)
const INT_MAX = 2n ** 31n - 1n
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n

function parseIntegral(text: string | undefined, min: bigint, max: bigint): number | undefined {
  if (text === undefined || !JAVA_INTEGER.test(text)) return undefined
  const value = BigInt(text)
  if (value < min || value > max) return undefined
  // Values past 2^53 (a throughput, a delay) lose precision here; none of the tools' keys needs more.
  return Number(value)
}

/**
 * Java's Integer.parseInt: undefined for what would throw NumberFormatException (absent, empty, not a number, out
 * of int range).
 */
export function javaParseInt(text: string | undefined): number | undefined {
  return parseIntegral(text, INT_MIN, INT_MAX)
}

/** Java's Long.parseLong: undefined for what would throw NumberFormatException. */
export function javaParseLong(text: string | undefined): number | undefined {
  return parseIntegral(text, LONG_MIN, LONG_MAX)
}

/** Java's Boolean.parseBoolean: true only for "true", in any case. */
export function javaParseBoolean(text: string | undefined): boolean {
  return text?.toLowerCase() === 'true'
}

/**
 * The ConnectException the tasks throw from start() when a number does not parse, e.g. "Invalid
 * VerifiableSourceTask configuration".
 */
export function invalidConfiguration(taskName: string, key: string, text: string | undefined): ConnectError {
  return new ConnectError(
    'INVALID_CONFIG',
    `Invalid ${taskName} configuration: ${key}=${text === undefined ? 'null' : JSON.stringify(text)} is not a number`,
  )
}

/** A committed sequence number read back from a source offset, which the offsets topic gives as number or bigint. */
export function storedSeqno(offset: Readonly<Record<string, unknown>>, field: string): number | undefined {
  const value = offset[field]
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'bigint') return Number(value)
  return undefined
}

/**
 * The topic a source task writes to. Java's tasks take a missing one as null and fail at the first send; this fails
 * start() instead, naming the key.
 */
export function requiredTopic(taskName: string, props: Readonly<Record<string, string>>): string {
  const topic = props.topic
  if (topic === undefined || topic === '') {
    throw new ConnectError('INVALID_CONFIG', `Invalid ${taskName} configuration: 'topic' is required`)
  }
  return topic
}
