/** Java's SchemaUtil: starting a new schema from an existing one's name, version, doc and parameters. */
import type { Schema } from '../../data/schema.ts'
import { SchemaBuilder } from '../../data/schema-builder.ts'

/** A builder of the source's type (an ARRAY keeps its element schema) with the source's basics copied. */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  const b =
    builder ?? (source.type === 'ARRAY' ? SchemaBuilder.array(source.valueSchema as Schema) : copyContainer(source))
  if (source.name !== undefined) b.name(source.name)
  if (source.version !== undefined) b.version(source.version)
  if (source.doc !== undefined) b.doc(source.doc)
  if (source.parameters !== undefined) b.parameters(source.parameters)
  return b
}

function copyContainer(source: Schema): SchemaBuilder {
  // Java's `new SchemaBuilder(MAP)` has no key or value schema; ours keeps them so that the copy can validate.
  if (source.type === 'MAP') return SchemaBuilder.map(source.keySchema as Schema, source.valueSchema as Schema)
  return SchemaBuilder.type(source.type)
}
