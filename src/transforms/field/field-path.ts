/**
 * Field paths (KIP-821), as Java's FieldSyntaxVersion and SingleFieldPath. With `field.syntax.version=V1` (the
 * default) a path is one top-level field name, dots included. With V2 dots separate nested steps, and a step that
 * contains dots is wrapped in backticks: "`foo.bar`.baz" is field baz of field "foo.bar". A backtick inside a
 * wrapped step is escaped with a backslash when it is followed by a dot.
 */
import type { ConfigDef } from '../../config/config-def.ts'
import { Validators } from '../../config/validators.ts'
import type { Field, Schema } from '../../data/schema.ts'
import type { Struct } from '../../data/struct.ts'
import { ConfigError } from '../../errors.ts'
import { requireMapOrNull, requireStructOrNull } from '../util/requirements.ts'

/** The field path syntaxes. */
export type FieldSyntaxVersion = 'V1' | 'V2'

/** The config key that selects the syntax. */
export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version'

// Kafka 4.3's wording (earlier releases used backticks where this has <code>).
const FIELD_SYNTAX_VERSION_DOC =
  'Defines the version of the syntax to access fields. If set to <code>V1</code>, then the field paths are limited to access the elements at the root level of the struct or map. If set to <code>V2</code>, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. E.g. to access the subfield <code>baz</code> from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "<code>foo.bar</code>.baz".'

/** Adds `field.syntax.version` (V1 default, case-insensitive) to an SMT's ConfigDef. */
export function appendFieldSyntaxVersion(def: ConfigDef): ConfigDef {
  return def.define({
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: 'STRING',
    defaultValue: 'V1',
    validator: Validators.inIgnoringCase('V1', 'V2'),
    importance: 'HIGH',
    documentation: FIELD_SYNTAX_VERSION_DOC,
  })
}

/** The syntax a parsed config asks for. */
export function fieldSyntaxVersionOf(value: string | null): FieldSyntaxVersion {
  const upper = (value ?? '').toUpperCase()
  if (upper === 'V1' || upper === 'V2') return upper
  throw new ConfigError(
    `Invalid value ${value} for configuration ${FIELD_SYNTAX_VERSION_CONFIG}: Unrecognized field syntax version`,
    FIELD_SYNTAX_VERSION_CONFIG,
  )
}

function incompleteBacktick(path: string, at: number): never {
  throw new ConfigError(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`,
  )
}

function stepsV2(path: string): string[] {
  const steps: string[] = []
  let idx = 0
  while (idx < path.length && idx >= 0) {
    if (path[idx] !== '`') {
      const start = idx
      idx = path.indexOf('.', idx)
      if (idx >= 0) {
        steps.push(path.slice(start, idx))
        idx++
      } else {
        steps.push(path.slice(start))
      }
      continue
    }
    const backtickAt = idx
    idx++
    let field = ''
    let start = idx
    for (;;) {
      idx = path.indexOf('`', idx)
      if (idx === -1) incompleteBacktick(path, backtickAt)
      const escaped = path[idx - 1] === '\\'
      if (idx >= path.length - 1) {
        if (escaped) incompleteBacktick(path, backtickAt)
        field += path.slice(start, idx)
        steps.push(field)
        idx++
        break
      }
      if (path[idx + 1] !== '.') {
        // A backtick not followed by a dot belongs to the name; look for the closing one.
        idx++
        continue
      }
      if (escaped) {
        field += `${path.slice(start, idx - 1)}\``
        idx++
        start = idx
        continue
      }
      field += path.slice(start, idx)
      steps.push(field)
      idx += 2
      break
    }
  }
  if (path.length > 0 && path[path.length - 1] === '.') steps.push('')
  return steps
}

/** A path to one field of a Struct or a schemaless map. */
export class SingleFieldPath {
  readonly version: FieldSyntaxVersion
  /** The field names from the outermost in. */
  readonly steps: readonly string[]

  /** Parses a path; ConfigError for an unbalanced backtick (V2). */
  constructor(pathText: string, version: FieldSyntaxVersion) {
    this.version = version
    this.steps = Object.freeze(version === 'V1' ? [pathText] : stepsV2(pathText))
  }

  get #last(): string {
    return this.steps[this.steps.length - 1] as string
  }

  get #parents(): readonly string[] {
    return this.steps.slice(0, -1)
  }

  /** The field at this path in a schema, or undefined. */
  fieldFrom(schema: Schema | null): Field | undefined {
    if (schema === null) return undefined
    let current = schema
    for (const step of this.#parents) {
      const field = current.type === 'STRUCT' ? current.field(step) : undefined
      if (field === undefined) return undefined
      current = field.schema
    }
    return current.type === 'STRUCT' ? current.field(this.#last) : undefined
  }

  /** The value at this path in a struct (defaults applied unless withDefault is false), or null. */
  valueFromStruct(struct: Struct | null, withDefault = true): unknown {
    if (struct === null) return null
    let current: Struct | null = struct
    for (const step of this.#parents) {
      if (current.schema.field(step) === undefined) return null
      current = requireStructOrNull(current.get(step), 'nested field access')
      if (current === null) return null
    }
    if (current.schema.field(this.#last) === undefined) return null
    return withDefault ? current.get(this.#last) : current.getWithoutDefault(this.#last)
  }

  /** The value at this path in a schemaless map, or null. */
  valueFromMap(map: Map<string, unknown> | null): unknown {
    if (map === null) return null
    let current: Map<string, unknown> | null = map
    for (const step of this.#parents) {
      current = requireMapOrNull(current.get(step), 'nested field access')
      if (current === null) return null
    }
    return current.get(this.#last) ?? null
  }

  toString(): string {
    return `SingleFieldPath{version=${this.version}, path=${this.steps.join('.')}}`
  }
}
