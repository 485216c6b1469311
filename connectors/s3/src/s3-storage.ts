/**
 * The S3 side of the sink: a client built from the connector's keys (s3.region, store.url, path style, static keys
 * or the SDK's default credential chain, s3.part.retries, s3.send.digest), and objects written through
 * lib-storage's Upload, which sends an object larger than s3.part.size as a multipart upload in parts of that
 * size and a smaller one as one PutObject. An upload cut short (a crash) leaves no object: S3 shows a multipart
 * object only once it is completed.
 */
import { HeadBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { DataError } from 'tsconnect'
import type { S3SinkSettings } from './config.ts'
import type { ObjectStore } from './topic-partition-writer.ts'

/** The SDK client options the settings give. */
export function s3ClientConfig(settings: S3SinkSettings): S3ClientConfig {
  const config: S3ClientConfig = {
    region: settings.region,
    forcePathStyle: settings.pathStyle,
    maxAttempts: settings.partRetries + 1,
    // Checksum headers only when asked for: S3-compatible servers (S3Proxy) answer the SDK's default ones with
    // NotImplemented, and Confluent's connector sends none by default either.
    requestChecksumCalculation: settings.sendDigest ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }
  if (settings.endpoint !== null && settings.endpoint !== '') config.endpoint = settings.endpoint
  if (settings.accessKeyId !== '') {
    config.credentials = { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey ?? '' }
  }
  return config
}

/** A bucket of an S3 service. */
export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client
  readonly #bucket: string
  readonly #partSize: number

  constructor(settings: S3SinkSettings) {
    this.client = new S3Client(s3ClientConfig(settings))
    this.#bucket = settings.bucket
    this.#partSize = settings.partSize
  }

  /** Fails, as Confluent's task start does, when the bucket does not exist or cannot be reached. */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.#bucket }))
    } catch (error) {
      throw new DataError(`Non-existent S3 bucket or no access to it: ${this.#bucket}`, {
        cause: error,
      })
    }
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.#bucket, Key: key, Body: body },
      partSize: this.#partSize,
      queueSize: 1,
      leavePartsOnError: false,
    })
    await upload.done()
  }

  close(): void {
    this.client.destroy()
  }
}
