/**
 * What the source makes of one AMQP message. Two shapes (`rabbitmq.record.format`):
 *
 * - `bytes` (Confluent's source): key the message id (string, null without one), value the body (bytes).
 * - `struct` (jcustenborder's connector): key `com.github.jcustenborder.kafka.connect.rabbitmq.MessageKey`
 *   {messageId}, value `com.github.jcustenborder.kafka.connect.rabbitmq.Message` {consumerTag, envelope
 *   {deliveryTag, isRedeliver, exchange, routingKey}, basicProperties {contentType, contentEncoding, headers,
 *   deliveryMode, priority, correlationId, replyTo, expiration, messageId, timestamp, type, userId, appId}, body}.
 *   jcustenborder types each header value as a HeaderValue struct; here `headers` is a map of their text.
 *
 * In both, as Confluent's source does, every AMQP header becomes a Connect header named `rabbitmq.<name>`, and so
 * do the message's properties and envelope (`rabbitmq.content.type`, `rabbitmq.message.id`, `rabbitmq.exchange`,
 * `rabbitmq.routing.key`, `rabbitmq.redelivered`, ...). The record's timestamp is the AMQP timestamp, else the time
 * the message arrived. Records carry no source partition or offset: the queue keeps what was not acknowledged.
 */
import type { ConsumeMessage } from 'amqplib'
import { Headers, Schema, SchemaBuilder, SourceRecord, Struct, Timestamp } from 'tsconnect'

const NS = 'com.github.jcustenborder.kafka.connect.rabbitmq'

/** jcustenborder's key schema. */
export const MESSAGE_KEY_SCHEMA = SchemaBuilder.struct()
  .name(`${NS}.MessageKey`)
  .field('messageId', Schema.OPTIONAL_STRING_SCHEMA)
  .build()

const ENVELOPE_SCHEMA = SchemaBuilder.struct()
  .name(`${NS}.Envelope`)
  .field('deliveryTag', Schema.INT64_SCHEMA)
  .field('isRedeliver', Schema.BOOLEAN_SCHEMA)
  .field('exchange', Schema.OPTIONAL_STRING_SCHEMA)
  .field('routingKey', Schema.OPTIONAL_STRING_SCHEMA)
  .build()

const OPTIONAL_TIMESTAMP = Timestamp.builder().optional().build()

const PROPERTIES_SCHEMA = SchemaBuilder.struct()
  .name(`${NS}.BasicProperties`)
  .field('contentType', Schema.OPTIONAL_STRING_SCHEMA)
  .field('contentEncoding', Schema.OPTIONAL_STRING_SCHEMA)
  .field('headers', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build())
  .field('deliveryMode', Schema.OPTIONAL_INT32_SCHEMA)
  .field('priority', Schema.OPTIONAL_INT32_SCHEMA)
  .field('correlationId', Schema.OPTIONAL_STRING_SCHEMA)
  .field('replyTo', Schema.OPTIONAL_STRING_SCHEMA)
  .field('expiration', Schema.OPTIONAL_STRING_SCHEMA)
  .field('messageId', Schema.OPTIONAL_STRING_SCHEMA)
  .field('timestamp', OPTIONAL_TIMESTAMP)
  .field('type', Schema.OPTIONAL_STRING_SCHEMA)
  .field('userId', Schema.OPTIONAL_STRING_SCHEMA)
  .field('appId', Schema.OPTIONAL_STRING_SCHEMA)
  .build()

/** jcustenborder's value schema. */
export const MESSAGE_SCHEMA = SchemaBuilder.struct()
  .name(`${NS}.Message`)
  .field('consumerTag', Schema.STRING_SCHEMA)
  .field('envelope', ENVELOPE_SCHEMA)
  .field('basicProperties', PROPERTIES_SCHEMA)
  .field('body', Schema.BYTES_SCHEMA)
  .build()

/** An AMQP field value as text (tables and arrays as JSON). */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function addHeader(headers: Headers, name: string, value: unknown): void {
  if (value === null || value === undefined) return
  if (typeof value === 'string') headers.addString(name, value)
  else if (typeof value === 'boolean') headers.addBoolean(name, value)
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) headers.addLong(name, value)
    else headers.addDouble(name, value)
  } else if (typeof value === 'bigint') headers.addLong(name, value)
  else if (Buffer.isBuffer(value)) headers.addBytes(name, value)
  else if (value instanceof Date) headers.addTimestamp(name, value)
  else headers.addString(name, text(value) ?? '')
}

/** The Connect headers of a message, named as Confluent's source names them. */
export function messageHeaders(message: ConsumeMessage): Headers {
  const headers = new Headers()
  const p = message.properties
  for (const [name, value] of Object.entries(p.headers ?? {})) addHeader(headers, `rabbitmq.${name}`, value)
  addHeader(headers, 'rabbitmq.content.type', p.contentType)
  addHeader(headers, 'rabbitmq.content.encoding', p.contentEncoding)
  addHeader(headers, 'rabbitmq.delivery.mode', p.deliveryMode)
  addHeader(headers, 'rabbitmq.priority', p.priority)
  addHeader(headers, 'rabbitmq.correlation.id', p.correlationId)
  addHeader(headers, 'rabbitmq.reply.to', p.replyTo)
  addHeader(headers, 'rabbitmq.expiration', p.expiration)
  addHeader(headers, 'rabbitmq.message.id', p.messageId)
  if (typeof p.timestamp === 'number') headers.addTimestamp('rabbitmq.timestamp', new Date(p.timestamp * 1000))
  addHeader(headers, 'rabbitmq.type', p.type)
  addHeader(headers, 'rabbitmq.user.id', p.userId)
  addHeader(headers, 'rabbitmq.app.id', p.appId)
  addHeader(headers, 'rabbitmq.exchange', message.fields.exchange)
  addHeader(headers, 'rabbitmq.routing.key', message.fields.routingKey)
  addHeader(headers, 'rabbitmq.redelivered', message.fields.redelivered)
  return headers
}

function optionalInt(value: unknown): number | null {
  return typeof value === 'number' ? value : null
}

/** jcustenborder's Message struct of a message. */
export function messageStruct(message: ConsumeMessage): Struct {
  const p = message.properties
  const f = message.fields
  const headers = new Map<string, string | null>()
  for (const [name, value] of Object.entries(p.headers ?? {})) headers.set(name, text(value))
  return new Struct(MESSAGE_SCHEMA)
    .put('consumerTag', f.consumerTag)
    .put(
      'envelope',
      new Struct(ENVELOPE_SCHEMA)
        .put('deliveryTag', f.deliveryTag)
        .put('isRedeliver', f.redelivered)
        .put('exchange', f.exchange)
        .put('routingKey', f.routingKey),
    )
    .put(
      'basicProperties',
      new Struct(PROPERTIES_SCHEMA)
        .put('contentType', text(p.contentType))
        .put('contentEncoding', text(p.contentEncoding))
        .put('headers', headers)
        .put('deliveryMode', optionalInt(p.deliveryMode))
        .put('priority', optionalInt(p.priority))
        .put('correlationId', text(p.correlationId))
        .put('replyTo', text(p.replyTo))
        .put('expiration', text(p.expiration))
        .put('messageId', text(p.messageId))
        .put('timestamp', typeof p.timestamp === 'number' ? new Date(p.timestamp * 1000) : null)
        .put('type', text(p.type))
        .put('userId', text(p.userId))
        .put('appId', text(p.appId)),
    )
    .put('body', message.content)
}

/** The record of a message for `kafkaTopic`. */
export function messageRecord(
  message: ConsumeMessage,
  kafkaTopic: string,
  format: 'bytes' | 'struct',
  arrivedAt: number,
): SourceRecord {
  const messageId = text(message.properties.messageId)
  const amqpTimestamp = message.properties.timestamp
  const base = {
    sourcePartition: null,
    sourceOffset: null,
    topic: kafkaTopic,
    timestamp: typeof amqpTimestamp === 'number' ? amqpTimestamp * 1000 : arrivedAt,
    headers: messageHeaders(message),
  }
  if (format === 'struct') {
    return new SourceRecord({
      ...base,
      keySchema: MESSAGE_KEY_SCHEMA,
      key: new Struct(MESSAGE_KEY_SCHEMA).put('messageId', messageId),
      valueSchema: MESSAGE_SCHEMA,
      value: messageStruct(message),
    })
  }
  return new SourceRecord({
    ...base,
    keySchema: Schema.OPTIONAL_STRING_SCHEMA,
    key: messageId,
    valueSchema: Schema.BYTES_SCHEMA,
    value: message.content,
  })
}
