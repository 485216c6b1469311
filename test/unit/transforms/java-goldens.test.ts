/**
 * tsconnect's transforms against Kafka 4.3.1's own, case by case: test/fixtures/transforms/cases.json lists the
 * cases and java-goldens.json holds what the Java classes answered (captured by capture.sh from the jars that
 * tools/kafka installs, in UTC with a US English locale). Each case is run here through the same transform.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { Predicate, Transformation } from '../../../src/api/transformation.ts'
import { Schema } from '../../../src/data/schema.ts'
import { Values } from '../../../src/data/values.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'
import { CastValue } from '../../../src/transforms/cast.ts'
import { InsertHeader } from '../../../src/transforms/insert-header.ts'
import { registerBuiltinTransforms } from '../../../src/transforms/plugins.ts'
import { RegexRouter } from '../../../src/transforms/regex-router.ts'
import { TimestampConverterValue } from '../../../src/transforms/timestamp-converter.ts'
import { TimestampRouter } from '../../../src/transforms/timestamp-router.ts'
import { javaDoubleToString, javaFloatToString } from '../../../src/util/java-format.ts'
import { configured, sourceRecord } from './helpers.ts'

interface Case {
  id: string
  kind: string
  [key: string]: unknown
}

const fixtures = new URL('../../fixtures/transforms/', import.meta.url)
const cases = JSON.parse(readFileSync(new URL('cases.json', fixtures), 'utf8')) as Case[]
const goldens = JSON.parse(readFileSync(new URL('java-goldens.json', fixtures), 'utf8')) as Record<string, string>

const SCHEMAS: Record<string, Schema> = {
  int8: Schema.INT8_SCHEMA,
  int16: Schema.INT16_SCHEMA,
  int32: Schema.INT32_SCHEMA,
  int64: Schema.INT64_SCHEMA,
  float32: Schema.FLOAT32_SCHEMA,
  float64: Schema.FLOAT64_SCHEMA,
  boolean: Schema.BOOLEAN_SCHEMA,
  string: Schema.STRING_SCHEMA,
}

/** Java's toString of a value of the given type. */
function javaText(type: string, value: unknown): string {
  if (typeof value === 'number' && type === 'FLOAT32') return javaFloatToString(value)
  if (typeof value === 'number' && type === 'FLOAT64') return javaDoubleToString(value)
  return String(value)
}

function castInput(schema: string, raw: unknown): unknown {
  if (schema === 'float32') return Math.fround(Number(raw))
  if (schema === 'float64') return Number(raw)
  if (schema === 'int64' && typeof raw === 'number' && !Number.isSafeInteger(raw)) return BigInt(String(raw))
  return raw
}

const registry = new PluginRegistry()
registerBuiltinTransforms(registry)

/** The error text the Java capture writes: the exception's simple name (ours mapped to Java's) and message. */
function errorText(e: unknown): string {
  const name = (e as Error).name
  const java = name === 'ConfigError' ? 'ConfigException' : name === 'DataError' ? 'DataException' : name
  return `ERR ${java}: ${(e as Error).message}`
}

const RUNNERS: Record<string, (c: Case) => string> = {
  router: (c) =>
    configured(TimestampRouter, { 'topic.format': ['$', '{timestamp}'].join(''), 'timestamp.format': c.format }).apply(
      sourceRecord({ topic: 't', timestamp: c.ts as number }),
    ).topic,
  parse: (c) =>
    String(
      configured(TimestampConverterValue, { 'target.type': 'unix', format: c.format }).apply(
        sourceRecord({ value: c.text, timestamp: 0 }),
      ).value,
    ),
  cast: (c) => {
    const schema = SCHEMAS[c.schema as string] as Schema
    const out = configured(CastValue, { spec: c.spec }).apply(
      sourceRecord({ valueSchema: schema, value: castInput(c.schema as string, c.value) }),
    )
    const type = out.valueSchema?.type as string
    return `${type}:${javaText(type, out.value)}`
  },
  regex: (c) =>
    configured(RegexRouter, { regex: c.regex, replacement: c.replacement }).apply(
      sourceRecord({ topic: c.topic as string }),
    ).topic,
  literal: (c) => {
    const out = configured(InsertHeader, { header: 'h', 'value.literal': c.literal }).apply(sourceRecord())
    const header = out.headers.lastWithName('h')
    const schema = header?.schema ?? null
    return `${schema === null ? 'null' : schema.type}:${Values.convertToString(schema, header?.value ?? null)}`
  },
  validate: (c) => {
    const instance = registry.newInstance(
      (c.class as string).includes('.predicates.') ? 'predicate' : 'transformation',
      c.class as string,
    ) as Transformation | Predicate
    return instance
      .config()
      .validate(c.props as Record<string, string>)
      .filter((v) => v.errorMessages.length > 0)
      .map((v) => `${v.name}: ${v.errorMessages.join(' | ')}`)
      .sort()
      .join('; ')
  },
  configure: (c) => {
    const instance = registry.newInstance(
      (c.class as string).includes('.predicates.') ? 'predicate' : 'transformation',
      c.class as string,
    ) as Transformation | Predicate
    try {
      instance.configure(c.props as Record<string, unknown>)
      return 'OK'
    } catch (e) {
      return errorText(e)
    }
  },
}

/**
 * Where Java's text cannot be matched, by design: messages written by the regex engine (Java's
 * PatternSyntaxException text is not JavaScript's), Java exceptions that are no Connect errors
 * (IndexOutOfBoundsException for a missing group) where tsconnect raises a typed DataError, and an object's
 * identity hash that Java prints by mistake. The text before the differing part must still agree.
 */
const DIFFERING_TAIL = /Invalid regex: |Java-compatible regular expression: |IndexOutOfBoundsException|InsertionSpec@/

/** The Java golden as the test compares it: validate results sorted (Java's ConfigDef.validate walks a HashMap). */
function javaAnswer(c: Case): string {
  const java = goldens[c.id] as string
  return c.kind === 'validate'
    ? java
        .split('; ')
        .filter((x) => x !== '')
        .sort()
        .join('; ')
    : java
}

describe("Transforms answer as Kafka 4.3.1's do", () => {
  for (const c of cases) {
    it(c.id, () => {
      assert.notEqual(goldens[c.id], undefined, 'no golden: run test/fixtures/transforms/capture.sh')
      const java = javaAnswer(c)
      let ours: string
      try {
        ours = (RUNNERS[c.kind] as (c: Case) => string)(c)
      } catch (e) {
        ours = errorText(e)
      }
      const tail = java.search(DIFFERING_TAIL)
      if (tail >= 0) {
        const head = java.slice(0, tail).replace('IndexOutOfBoundsException', '')
        assert.ok(ours.startsWith(head.startsWith('ERR ') ? 'ERR ' : head), `${ours} vs ${java}`)
        return
      }
      assert.equal(ours, java)
    })
  }
})
