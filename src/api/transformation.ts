/**
 * Single message transforms and predicates, as Java's Transformation and Predicate. They are synchronous and run
 * once per record, in the order listed in `transforms`. A transform returns null to drop the record; any error is
 * handled by the worker's errors.tolerance (tolerated with `all`).
 */
import type { ConfigDef } from '../config/config-def.ts'
import type { ConnectRecord } from './records.ts'

/** Changes (or drops) records. */
export interface Transformation<R extends ConnectRecord = ConnectRecord> {
  /** Configures with the `transforms.<alias>.` prefix removed. */
  configure(configs: Readonly<Record<string, unknown>>): void
  /** The changed record, the same one, or null to drop it. */
  apply(record: R): R | null
  /** The transform's configs. */
  config(): ConfigDef
  /** Releases resources. */
  close(): void
  /** The transform's version. */
  version?(): string
}

/** Decides whether a transform applies to a record (`transforms.<alias>.predicate`). */
export interface Predicate<R extends ConnectRecord = ConnectRecord> {
  /** Configures with the `predicates.<alias>.` prefix removed. */
  configure(configs: Readonly<Record<string, unknown>>): void
  /** Whether the record matches. */
  test(record: R): boolean
  /** The predicate's configs. */
  config(): ConfigDef
  /** Releases resources. */
  close(): void
  /** The predicate's version. */
  version?(): string
}
