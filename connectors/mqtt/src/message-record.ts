/**
 * What the source makes of one MQTT message, the record shape of Confluent's MQTT source: the key is the MQTT topic
 * the message was published to (a string), the value is the payload (bytes). Beyond Confluent, the message's
 * metadata and, with MQTT 5, its properties become Connect headers:
 *
 *   mqtt.qos (int32), mqtt.retained (boolean), mqtt.duplicate (boolean), mqtt.message.id (int32, QoS 1 and 2 only)
 *   MQTT 5: each user property under its own name (string; a repeated name gives repeated headers),
 *           mqtt.content.type (string), mqtt.response.topic (string), mqtt.correlation.data (bytes),
 *           mqtt.payload.format.indicator (boolean), mqtt.message.expiry.interval (int64)
 *
 * The record has no source partition and offset: what the broker has not been acknowledged it keeps and sends again,
 * so there is nothing to resume from in the offsets topic (Lenses' MQTT source writes a null offset too).
 */
import type { IPublishPacket } from 'mqtt'
import { Headers, Schema, SourceRecord } from 'tsconnect'

/** The Connect headers of a message. */
export function messageHeaders(packet: IPublishPacket): Headers {
  const headers = new Headers()
  headers.addInt('mqtt.qos', packet.qos)
  headers.addBoolean('mqtt.retained', packet.retain)
  headers.addBoolean('mqtt.duplicate', packet.dup)
  if (packet.qos > 0 && packet.messageId !== undefined) headers.addInt('mqtt.message.id', packet.messageId)
  const p = packet.properties
  if (p === undefined) return headers
  for (const [name, value] of Object.entries(p.userProperties ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) headers.addString(name, String(v))
  }
  if (p.contentType !== undefined) headers.addString('mqtt.content.type', p.contentType)
  if (p.responseTopic !== undefined) headers.addString('mqtt.response.topic', p.responseTopic)
  if (p.correlationData !== undefined) headers.addBytes('mqtt.correlation.data', p.correlationData)
  if (p.payloadFormatIndicator !== undefined)
    headers.addBoolean('mqtt.payload.format.indicator', p.payloadFormatIndicator)
  if (p.messageExpiryInterval !== undefined) headers.addLong('mqtt.message.expiry.interval', p.messageExpiryInterval)
  return headers
}

/** The record of a message for `kafkaTopic`, stamped with the time it arrived. */
export function messageRecord(packet: IPublishPacket, kafkaTopic: string, arrivedAt: number): SourceRecord {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload
  return new SourceRecord({
    sourcePartition: null,
    sourceOffset: null,
    topic: kafkaTopic,
    keySchema: Schema.STRING_SCHEMA,
    key: packet.topic,
    valueSchema: Schema.BYTES_SCHEMA,
    value: payload,
    timestamp: arrivedAt,
    headers: messageHeaders(packet),
  })
}
