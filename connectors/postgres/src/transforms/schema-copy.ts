/**
 * Schema copies for the transforms, as Debezium's SchemaUtil.copySchemaBasics: type, optional, default, version, doc
 * and parameters (and the name unless excluded).
 */
import { type Schema, SchemaBuilder } from 'tsconnect'

/** A builder with `schema`'s basics, optionally without its name; fields are not copied. */
export function copyBasics(schema: Schema, withName = true): SchemaBuilder {
  const b = SchemaBuilder.type(schema.type)
  if (withName && schema.name !== undefined) b.name(schema.name)
  if (schema.version !== undefined) b.version(schema.version)
  if (schema.doc !== undefined) b.doc(schema.doc)
  if (schema.parameters !== undefined) b.parameters(schema.parameters)
  if (schema.optional) b.optional()
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) b.defaultValue(schema.defaultValue)
  return b
}

/**
 * Kafka's SchemaUtil.copySchemaBasics: type, name, version, doc and parameters only (a struct rebuilt this way is
 * required and has no default, whatever the source was).
 */
export function kafkaBasics(schema: Schema): SchemaBuilder {
  const b = SchemaBuilder.type(schema.type)
  if (schema.name !== undefined) b.name(schema.name)
  if (schema.version !== undefined) b.version(schema.version)
  if (schema.doc !== undefined) b.doc(schema.doc)
  if (schema.parameters !== undefined) b.parameters(schema.parameters)
  return b
}

/** Whether a record's value is a Debezium change event envelope (SmtManager.isValidEnvelope). */
export function isEnvelope(schema: Schema | null, value: unknown): boolean {
  return schema !== null && schema.type === 'STRUCT' && value !== null && (schema.name ?? '').endsWith('.Envelope')
}
