/**
 * The JSON lines the verifiable connectors print on stdout, byte for byte as Java's: VerifiableSourceTask and
 * VerifiableSinkTask fill a java.util.HashMap<String, Object> and print Jackson's ObjectMapper.writeValueAsString
 * of it, so the fields come in the HashMap's iteration order (by bucket of the key's String.hashCode, then in
 * insertion order within a bucket), with no spaces. Kafka's system tests parse these lines (its verifiable.py and
 * connect_distributed_test.py), so their fields, names and types are part of the contract.
 */
import { javaHashMapOrder as hashMapOrder, javaStringHashCode } from '../../kit/java-hash-map.ts'

/** Java's String.hashCode (the connector kit's, kit/java-hash-map.ts). */
export const javaStringHash = javaStringHashCode

/** The order in which a java.util.HashMap created with `new HashMap<>()` iterates these keys, put in this order. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  return [...hashMapOrder(keys.map((key) => [key, null] as const)).keys()]
}

/** A value as Jackson writes it: strings quoted, integers as longs, booleans, null; nothing else occurs here. */
function jacksonValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'bigint') return value.toString()
  // An integral JS number stands for a Java Integer or Long here (ids, offsets, seqnos, times).
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string') return JSON.stringify(value)
  // A Struct (a VerifiableSink reading complete.record.data records) has no bean properties for Jackson either.
  throw new TypeError(
    `No serializer found for class ${javaClassOf(value)} and no properties discovered to create BeanSerializer (to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS) (through reference chain: java.util.HashMap[${JSON.stringify(key)}])`,
  )
}

function javaClassOf(value: unknown): string {
  const name = (value as { constructor?: { name?: string } }).constructor?.name
  return name === 'Struct' ? 'org.apache.kafka.connect.data.Struct' : (name ?? typeof value)
}

/**
 * Jackson's writeValueAsString of a HashMap holding `fields` (put in their insertion order), e.g.
 * `{"task":0,"seqno":3,"name":"vs","topic":"t","time_ms":1700000000000}`; for a value Jackson cannot write,
 * Java's fallback line "Bad data can't be written as json: ...".
 */
export function javaHashMapJson(fields: Readonly<Record<string, unknown>>): string {
  try {
    const parts = javaHashMapOrder(Object.keys(fields)).map((k) => `${JSON.stringify(k)}:${jacksonValue(k, fields[k])}`)
    return `{${parts.join(',')}}`
  } catch (error) {
    return `Bad data can't be written as json: ${(error as Error).message}`
  }
}

/** Where the tool tasks print: standard output, one line per call, as Java's System.out.println. */
export function printLine(line: string): void {
  process.stdout.write(`${line}\n`)
}
