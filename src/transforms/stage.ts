/**
 * One step of a transformation chain (Java's TransformationStage): a transform and, optionally, the predicate that
 * decides whether it applies (`transforms.<alias>.predicate`), inverted by `negate`. A record the predicate turns
 * away passes through unchanged.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Predicate, Transformation } from '../api/transformation.ts'
import { DataError } from '../errors.ts'

/** What identifies a stage in logs, error reports and DLQ headers. */
export interface StageInfo {
  /** The transform's alias, from `transforms`. */
  readonly alias: string
  /** The transform's class name as Java names it (`__connect.errors.class.name` in DLQ headers). */
  readonly className: string
  readonly predicateAlias: string | undefined
  readonly predicateClassName: string | undefined
  readonly negate: boolean
}

/** What a stage is made of. */
export interface StageInit {
  alias: string
  className: string
  transformation: Transformation
  predicate?: { alias: string; className: string; predicate: Predicate } | undefined
  negate?: boolean
}

function closeQuietly(closeable: { close(): void }): void {
  try {
    closeable.close()
  } catch {
    // As Java's Utils.closeQuietly: a failing close must not keep the others from closing.
  }
}

/** A transform with its optional predicate. */
export class TransformationStage implements StageInfo {
  readonly alias: string
  readonly className: string
  readonly predicateAlias: string | undefined
  readonly predicateClassName: string | undefined
  readonly negate: boolean
  readonly transformation: Transformation
  readonly predicate: Predicate | undefined

  constructor(init: StageInit) {
    this.alias = init.alias
    this.className = init.className
    this.transformation = init.transformation
    this.predicate = init.predicate?.predicate
    this.predicateAlias = init.predicate?.alias
    this.predicateClassName = init.predicate?.className
    this.negate = init.negate ?? false
  }

  /** Whether the transform applies to the record. */
  appliesTo(record: ConnectRecord): boolean {
    return this.predicate === undefined || this.negate !== this.predicate.test(record)
  }

  /** The transformed record, the record itself when the predicate says no, or null to drop it. */
  apply<R extends ConnectRecord>(record: R): R | null {
    if (!this.appliesTo(record)) return record
    const result = this.transformation.apply(record) as R | null | undefined
    // A JavaScript plugin that forgets to return would otherwise hand undefined to the next stage.
    if (result === undefined) {
      throw new DataError(`${this.className}.apply() returned undefined: return a record, or null to drop it`)
    }
    return result
  }

  /** Closes the transform and the predicate, ignoring their errors. */
  close(): void {
    closeQuietly(this.transformation)
    if (this.predicate !== undefined) closeQuietly(this.predicate)
  }

  toString(): string {
    return `TransformationStage{predicate=${this.predicateAlias ?? null}, transformation=${this.className}, negate=${this.negate}}`
  }
}
