/**
 * What a format is to the S3 sink (Confluent's Format and RecordWriterProvider): an extension for object names
 * and a writer per object that turns records into the object's bytes. Writers keep the bytes in memory until the
 * object is committed; flush.size bounds how many records one object holds.
 */
import type { SinkRecord } from 'tsconnect'

/** Writes the records of one object. */
export interface RecordWriter {
  /** Appends a record; throws DataError for a record this format cannot write. */
  write(record: SinkRecord): void
  /** The object's bytes, once every record is written. */
  finish(): Promise<Uint8Array>
}

/** A format: the extension of its objects (with the compression's) and a writer for each object. */
export interface Format {
  readonly extension: string
  newWriter(): RecordWriter
}
