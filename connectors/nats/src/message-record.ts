/**
 * What the source makes of one NATS message: the value is the payload (bytes), the key is chosen by
 * `nats.key.type` as nats-kafka chooses it (the subject by default, a fixed text, the reply subject, or none).
 * The message's NATS headers become Connect headers under their own names (each value of a repeated header its
 * own), beside `nats.subject` and, when set, `nats.reply`. A JetStream message also carries `nats.stream`,
 * `nats.stream.sequence` (int64), `nats.delivery.count` (int32) and `nats.redelivered` (boolean), its timestamp is
 * the one the stream gave it, and its source partition and offset are `{stream, consumer}` and `{stream_seq}`: the
 * durable consumer holds the real position, the offset shows in the offsets topic how far the task got.
 */
import type { JsMsg } from '@nats-io/jetstream'
import type { Msg, MsgHdrs } from '@nats-io/transport-node'
import { Headers, Schema, SourceRecord } from 'tsconnect'

/** How the key is chosen. */
export interface KeyChoice {
  readonly type: 'none' | 'fixed' | 'subject' | 'reply'
  readonly value: string
}

function keyOf(choice: KeyChoice, subject: string, reply: string | undefined): string | null {
  if (choice.type === 'subject') return subject
  if (choice.type === 'fixed') return choice.value
  if (choice.type === 'reply') return reply ?? null
  return null
}

function baseHeaders(subject: string, reply: string | undefined, natsHeaders: MsgHdrs | undefined): Headers {
  const headers = new Headers()
  for (const [name, values] of natsHeaders ?? []) for (const v of values) headers.addString(name, v)
  headers.addString('nats.subject', subject)
  if (reply !== undefined && reply !== '') headers.addString('nats.reply', reply)
  return headers
}

/** The record of a core NATS message. */
export function coreRecord(msg: Msg, kafkaTopic: string, key: KeyChoice, arrivedAt: number): SourceRecord {
  return new SourceRecord({
    sourcePartition: null,
    sourceOffset: null,
    topic: kafkaTopic,
    keySchema: Schema.OPTIONAL_STRING_SCHEMA,
    key: keyOf(key, msg.subject, msg.reply),
    valueSchema: Schema.BYTES_SCHEMA,
    value: Buffer.from(msg.data),
    timestamp: arrivedAt,
    headers: baseHeaders(msg.subject, msg.reply, msg.headers),
  })
}

/** The record of a JetStream message. */
export function jetStreamRecord(msg: JsMsg, kafkaTopic: string, key: KeyChoice): SourceRecord {
  const headers = baseHeaders(msg.subject, undefined, msg.headers)
  headers.addString('nats.stream', msg.info.stream)
  headers.addLong('nats.stream.sequence', msg.seq)
  headers.addInt('nats.delivery.count', msg.info.deliveryCount)
  headers.addBoolean('nats.redelivered', msg.redelivered)
  return new SourceRecord({
    sourcePartition: { stream: msg.info.stream, consumer: msg.info.consumer },
    sourceOffset: { stream_seq: msg.seq },
    topic: kafkaTopic,
    keySchema: Schema.OPTIONAL_STRING_SCHEMA,
    key: keyOf(key, msg.subject, undefined),
    valueSchema: Schema.BYTES_SCHEMA,
    value: Buffer.from(msg.data),
    timestamp: msg.time.getTime(),
    headers,
  })
}
