/**
 * ReplaceField (`org.apache.kafka.connect.transforms.ReplaceField$Key` / `$Value`): drops fields (`exclude`, which
 * wins over `include`), keeps only some (`include`), and renames them (`renames` as `old:new,...`).
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { invalidValue } from '../config/types.ts'
import { Validators } from '../config/validators.ts'
import type { Schema } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Struct } from '../data/struct.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import {
  nonDuplicateList,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  replaceNullWithDefaultKey,
  simpleConfig,
} from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMap, requireStruct, toSameKind } from './util/requirements.ts'
import { SchemaCache } from './util/schema-cache.ts'
import { copySchemaBasics } from './util/schema-util.ts'

const EXCLUDE = 'exclude'
const INCLUDE = 'include'
const RENAMES = 'renames'
const PURPOSE = 'field replacement'

/** `old:new` pairs as a map; ConfigError (Java's wording) for a pair that is not exactly two names. */
export function parseRenameMappings(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>()
  for (const mapping of mappings) {
    const parts = mapping.split(':')
    // Java's String.split drops trailing empty strings, so "a:" is one part.
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
    if (parts.length !== 2) throw invalidValue(RENAMES, mappings, `Invalid rename mapping: ${mapping}`)
    renames.set(parts[0] as string, parts[1] as string)
  }
  return renames
}

const CONFIG_DEF = new ConfigDef()
  .define({
    name: EXCLUDE,
    type: 'LIST',
    defaultValue: [],
    validator: nonDuplicateList(true, false),
    importance: 'MEDIUM',
    documentation: 'Fields to exclude. This takes precedence over the fields to include.',
  })
  .define({
    name: INCLUDE,
    type: 'LIST',
    defaultValue: [],
    validator: nonDuplicateList(true, false),
    importance: 'MEDIUM',
    documentation: 'Fields to include. If specified, only these fields will be used.',
  })
  .define({
    name: RENAMES,
    type: 'LIST',
    defaultValue: [],
    validator: Validators.of(
      (_name, value) => parseRenameMappings((value as readonly string[] | null) ?? []),
      'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
    ),
    importance: 'MEDIUM',
    documentation: 'Field rename mappings.',
  })
  .define(replaceNullWithDefaultKey())

/** ReplaceField, on the key or the value. */
export class ReplaceField implements Transformation {
  readonly #part: RecordPart
  #exclude = new Set<string>()
  #include = new Set<string>()
  #renames = new Map<string, string>()
  #reverseRenames = new Map<string, string>()
  #replaceNullWithDefault = true
  readonly #schemaCache = new SchemaCache()

  constructor(part: RecordPart) {
    this.#part = part
  }

  version(): string {
    return TSCONNECT_VERSION
  }

  config(): ConfigDef {
    return CONFIG_DEF
  }

  configure(props: Readonly<Record<string, unknown>>): void {
    const config = simpleConfig(CONFIG_DEF, props)
    this.#exclude = new Set(config.getList(EXCLUDE))
    this.#include = new Set(config.getList(INCLUDE))
    this.#renames = parseRenameMappings(config.getList(RENAMES) ?? [])
    this.#reverseRenames = new Map([...this.#renames].map(([from, to]) => [to, from]))
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
    this.#schemaCache.clear()
  }

  /** Whether a field is kept. */
  filter(fieldName: string): boolean {
    return !this.#exclude.has(fieldName) && (this.#include.size === 0 || this.#include.has(fieldName))
  }

  /** A field's new name. */
  renamed(fieldName: string): string {
    return this.#renames.get(fieldName) ?? fieldName
  }

  /** A new name's original field. */
  reverseRenamed(fieldName: string): string {
    return this.#reverseRenames.get(fieldName) ?? fieldName
  }

  apply<R extends ConnectRecord>(record: R): R {
    const raw = this.#part.value(record)
    if (raw == null) return record
    if (this.#part.schema(record) === null) {
      const updated = new Map<string, unknown>()
      for (const [name, value] of requireMap(raw, PURPOSE)) {
        if (this.filter(name)) updated.set(this.renamed(name), value)
      }
      return this.#part.with(record, null, toSameKind(updated, raw))
    }
    const value = requireStruct(raw, PURPOSE)
    const updatedSchema = this.#schemaCache.getOrCompute(value.schema, (s) => this.#updatedSchema(s))
    const updated = new Struct(updatedSchema)
    for (const field of updatedSchema.fields) {
      const from = this.reverseRenamed(field.name)
      updated.put(field, this.#replaceNullWithDefault ? value.get(from) : value.getWithoutDefault(from))
    }
    return this.#part.with(record, updatedSchema, updated)
  }

  #updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields)
      if (this.filter(field.name)) builder.field(this.renamed(field.name), field.schema)
    return builder.build()
  }

  close(): void {
    this.#schemaCache.clear()
  }
}

/** ReplaceField$Key: filters and renames fields of the record key. */
export class ReplaceFieldKey extends ReplaceField {
  constructor() {
    super(KEY)
  }
}

/** ReplaceField$Value: filters and renames fields of the record value. */
export class ReplaceFieldValue extends ReplaceField {
  constructor() {
    super(VALUE)
  }
}
