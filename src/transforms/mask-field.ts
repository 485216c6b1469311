/**
 * MaskField (`org.apache.kafka.connect.transforms.MaskField$Key` / `$Value`): replaces the listed fields with an
 * empty value of their type (0, false, "", the epoch for dates, an empty list or map) or, with `replacement`, with
 * that text converted to the field's numeric or string type. Java picks the empty value from the value's class;
 * JavaScript numbers carry no width, so the field's schema decides where there is one, and a schemaless integer
 * counts as int32 (int64 beyond that range), any other number as float64.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Transformation } from '../api/transformation.ts'
import { ConfigDef } from '../config/config-def.ts'
import { Validators } from '../config/validators.ts'
import { BigDecimal } from '../data/big-decimal.ts'
import type { Schema, SchemaType } from '../data/schema.ts'
import { Struct } from '../data/struct.ts'
import { Values } from '../data/values.ts'
import { DataError } from '../errors.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'
import {
  nonDuplicateList,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  replaceNullWithDefaultKey,
  simpleConfig,
} from './util/config.ts'
import { KEY, type RecordPart, VALUE } from './util/record-part.ts'
import { requireMap, requireStruct, toSameKind, typeNameOf } from './util/requirements.ts'

const FIELDS_CONFIG = 'fields'
const REPLACEMENT_CONFIG = 'replacement'
const PURPOSE = 'mask fields'

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELDS_CONFIG,
    type: 'LIST',
    validator: nonDuplicateList(false, false),
    importance: 'HIGH',
    documentation: 'Names of fields to mask.',
  })
  .define({
    name: REPLACEMENT_CONFIG,
    type: 'STRING',
    defaultValue: null,
    validator: Validators.nonEmptyString(),
    importance: 'LOW',
    documentation:
      "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
  })
  .define(replaceNullWithDefaultKey())

type Kind = SchemaType | 'BIGINT' | 'DECIMAL' | 'DATE'

/** What Java's value class would be: from the schema when known, else from the JavaScript value. */
function kindOf(value: unknown, schema: Schema | undefined): Kind | undefined {
  if (value instanceof Date) return 'DATE'
  if (value instanceof BigDecimal) return 'DECIMAL'
  if (typeof value === 'bigint') return schema === undefined ? 'BIGINT' : 'INT64'
  if (typeof value === 'number') {
    if (schema !== undefined) return schema.type
    if (!Number.isInteger(value)) return 'FLOAT64'
    return value >= -2147483648 && value <= 2147483647 ? 'INT32' : 'INT64'
  }
  if (typeof value === 'boolean') return 'BOOLEAN'
  if (typeof value === 'string') return 'STRING'
  if (Array.isArray(value)) return 'ARRAY'
  if (value instanceof Map || (typeof value === 'object' && value !== null && value.constructor === Object))
    return 'MAP'
  return undefined
}

function emptyValue(value: unknown, kind: Kind | undefined): unknown {
  switch (kind) {
    case 'BOOLEAN':
      return false
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
    case 'FLOAT32':
    case 'FLOAT64':
      return 0
    case 'BIGINT':
      return 0n
    case 'DECIMAL':
      return BigDecimal.parse('0')
    case 'DATE':
      return new Date(0)
    case 'STRING':
      return ''
    case 'ARRAY':
      return []
    case 'MAP':
      return value instanceof Map ? new Map() : {}
    default:
      throw new DataError(`Cannot mask value of type: ${typeNameOf(value)}`)
  }
}

function customValue(value: unknown, kind: Kind | undefined, replacement: string): unknown {
  const number = (convert: () => unknown) => {
    try {
      return convert()
    } catch (e) {
      throw new DataError(`Unable to convert ${replacement} (String) to number`, { cause: e })
    }
  }
  switch (kind) {
    case 'INT8':
      return number(() => Values.convertToByte(null, replacement))
    case 'INT16':
      return number(() => Values.convertToShort(null, replacement))
    case 'INT32':
      return number(() => Values.convertToInteger(null, replacement))
    case 'INT64':
      return number(() => Values.convertToLong(null, replacement))
    case 'FLOAT32':
      return number(() => Values.convertToFloat(null, replacement))
    case 'FLOAT64':
      return number(() => Values.convertToDouble(null, replacement))
    case 'STRING':
      return replacement
    case 'DECIMAL':
      return number(() => BigDecimal.parse(replacement))
    case 'BIGINT':
      return number(() => {
        if (!/^[+-]?\d+$/.test(replacement)) throw new DataError(`not an integer: ${replacement}`)
        return BigInt(replacement)
      })
    default:
      throw new DataError(`Cannot mask value of type ${typeNameOf(value)} with custom replacement.`)
  }
}

/** MaskField, on the key or the value. */
export class MaskField implements Transformation {
  readonly #part: RecordPart
  #fields = new Set<string>()
  #replacement: string | null = null
  #replaceNullWithDefault = true

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
    this.#fields = new Set(config.getList(FIELDS_CONFIG))
    this.#replacement = config.getString(REPLACEMENT_CONFIG)
    this.#replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG) ?? true
  }

  apply<R extends ConnectRecord>(record: R): R {
    const raw = this.#part.value(record)
    const schema = this.#part.schema(record)
    if (schema === null) {
      const value = requireMap(raw, PURPOSE)
      const updated = new Map(value)
      for (const field of this.#fields) updated.set(field, this.#masked(value.get(field), undefined))
      return this.#part.with(record, null, toSameKind(updated, raw))
    }
    const value = requireStruct(raw, PURPOSE)
    const updated = new Struct(value.schema)
    for (const field of value.schema.fields) {
      const orig = this.#replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field)
      updated.put(field, this.#fields.has(field.name) ? this.#masked(orig, field.schema) : orig)
    }
    return this.#part.with(record, schema, updated)
  }

  #masked(value: unknown, schema: Schema | undefined): unknown {
    if (value == null) return null
    const kind = kindOf(value, schema)
    return this.#replacement === null ? emptyValue(value, kind) : customValue(value, kind, this.#replacement)
  }

  close(): void {}
}

/** MaskField$Key: masks fields of the record key. */
export class MaskFieldKey extends MaskField {
  constructor() {
    super(KEY)
  }
}

/** MaskField$Value: masks fields of the record value. */
export class MaskFieldValue extends MaskField {
  constructor() {
    super(VALUE)
  }
}
