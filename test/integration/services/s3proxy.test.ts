/**
 * The run's S3Proxy is a real S3 server: a bucket is created, and a multipart upload of several parts reads back
 * byte for byte.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { testS3 } from '../../support/services.ts'

test('a three-part multipart upload to S3Proxy reads back byte-identical', async (t) => {
  const s3 = await testS3(t)
  const client = new S3Client(s3.clientConfig)
  t.after(() => client.destroy())
  await client.send(new CreateBucketCommand({ Bucket: s3.bucket }))

  // S3's smallest part is 5 MiB (all but the last): 12 MiB makes parts of 5, 5 and 2 MiB.
  const body = randomBytes(12 * 1024 * 1024)
  const upload = new Upload({
    client,
    params: { Bucket: s3.bucket, Key: 'topics/t/partition=0/t+0+0000000000.json', Body: body },
    partSize: 5 * 1024 * 1024,
    queueSize: 1,
  })
  const parts = new Set<number>()
  upload.on('httpUploadProgress', (progress) => {
    if (progress.part !== undefined) parts.add(progress.part)
  })
  await upload.done()
  assert.deepEqual([...parts].sort(), [1, 2, 3])

  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))
  assert.deepEqual(
    listed.Contents?.map((o) => o.Key),
    ['topics/t/partition=0/t+0+0000000000.json'],
  )
  const got = await client.send(
    new GetObjectCommand({ Bucket: s3.bucket, Key: 'topics/t/partition=0/t+0+0000000000.json' }),
  )
  const read = Buffer.from((await got.Body?.transformToByteArray()) ?? [])
  assert.equal(read.length, body.length)
  assert.ok(read.equals(body), 'the object reads back byte for byte')
})
