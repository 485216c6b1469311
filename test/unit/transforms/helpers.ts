/** Records and configured transforms for the SMT specifications. */

import { SinkRecord, type SinkRecordInit, SourceRecord, type SourceRecordInit } from '../../../src/api/records.ts'
import type { Predicate, Transformation } from '../../../src/api/transformation.ts'
import type { Header } from '../../../src/data/headers.ts'

/** A source record on "topic", partition 0, with the given parts. */
export function sourceRecord(parts: Partial<SourceRecordInit> = {}): SourceRecord {
  return new SourceRecord({ topic: 'topic', kafkaPartition: 0, sourcePartition: null, sourceOffset: null, ...parts })
}

/** A sink record on "topic", partition 0, offset 0, with the given parts. */
export function sinkRecord(parts: Partial<SinkRecordInit> = {}): SinkRecord {
  return new SinkRecord({ topic: 'topic', kafkaPartition: 0, kafkaOffset: 0, ...parts })
}

/** A new transform or predicate, configured. */
export function configured<T extends Transformation | Predicate>(
  plugin: new () => T,
  props: Readonly<Record<string, unknown>> = {},
): T {
  const instance = new plugin()
  instance.configure(props)
  return instance
}

/** Headers as comparable [key, schema, value] triples (schemas as their Java string form plus optionality). */
export function headerTriples(headers: Iterable<Header>): [string, string | null, unknown][] {
  return [...headers].map((h) => [
    h.key,
    h.schema === null
      ? null
      : `${String(h.schema)}${h.schema.optional ? '?' : ''}${h.schema.defaultValue === undefined ? '' : `=${String(h.schema.defaultValue)}`}`,
    h.value,
  ])
}
