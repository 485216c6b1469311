import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { CorruptDataError } from '../../../src/errors.ts'
import { encodeOffsetKey, encodeOffsetValue } from '../../../src/protocol/offset-records.ts'
import { FileOffsetStore, parseOffsetFile } from '../../../src/stores/file-offset-store.ts'
import { silentLog } from '../../support/rest.ts'

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-offset-file-'))
let n = 0
const freshFile = () => join(dir, `offsets-${++n}`)
const store = (filename: string) => new FileOffsetStore({ filename, logger: silentLog })

const key = (file: string) => encodeOffsetKey('file-source', { filename: file })
const value = (position: number) => encodeOffsetValue({ position }) as Buffer

describe('the file offset store (offset.storage.file.filename)', () => {
  test('starts empty when the file does not exist yet, and creates no file until a set', async () => {
    const filename = freshFile()
    const s = store(filename)
    await s.start()
    assert.deepEqual(await s.get([key('/a')]), [null])
    assert.equal(existsSync(filename), false)
  })

  test('a set is in the file when it resolves, and a new store reads it back by exact key bytes', async () => {
    const filename = freshFile()
    const s = store(filename)
    await s.start()
    await s.set([
      { key: key('/a'), value: value(10) },
      { key: key('/b'), value: value(20) },
    ])
    await s.stop()
    const again = store(filename)
    await again.start()
    assert.deepEqual(
      (await again.get([key('/a'), key('/b'), key('/c')])).map((v) => v?.toString()),
      ['{"position":10}', '{"position":20}', undefined],
    )
    assert.equal(again.lookup('file-source', { filename: '/b' })?.toString(), '{"position":20}')
    assert.deepEqual(
      again.connectorPartitions('file-source').map((p) => p.partition),
      [{ filename: '/a' }, { filename: '/b' }],
    )
    assert.deepEqual(again.connectorPartitions('other'), [])
  })

  test('holds the offsets topic record bytes as JSON text, readable by people', async () => {
    const filename = freshFile()
    const s = store(filename)
    await s.start()
    await s.set([{ key: key('/a'), value: value(4096) }])
    assert.deepEqual(JSON.parse(readFileSync(filename, 'utf8')), {
      version: 1,
      offsets: [['["file-source",{"filename":"/a"}]', '{"position":4096}']],
    })
  })

  test('a null value removes the offset, in memory and in the file', async () => {
    const filename = freshFile()
    const s = store(filename)
    await s.start()
    await s.set([{ key: key('/a'), value: value(1) }])
    await s.set([{ key: key('/a'), value: null }])
    assert.deepEqual(await s.get([key('/a')]), [null])
    const again = store(filename)
    await again.start()
    assert.deepEqual(await again.get([key('/a')]), [null])
  })

  test('concurrent sets leave the latest state in the file and no temporary files behind', async () => {
    const filename = freshFile()
    const s = store(filename)
    await s.start()
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.set([{ key: key('/a'), value: value(i) }])))
    await s.stop()
    const again = store(filename)
    await again.start()
    assert.equal((await again.get([key('/a')]))[0]?.toString(), '{"position":19}')
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    )
  })

  test('finds a partition written with its fields in another order (beyond Java)', async () => {
    const filename = freshFile()
    const s = store(filename)
    await s.start()
    await s.set([
      {
        key: encodeOffsetKey(
          'c',
          new Map([
            ['b', 1],
            ['a', 2],
          ]),
        ),
        value: value(7),
      },
    ])
    assert.equal(s.lookup('c', { a: 2, b: 1 })?.toString(), '{"position":7}')
  })

  test("a file that is not this store's JSON (e.g. a Java worker's serialized HashMap) fails start, naming the file", async () => {
    const filename = freshFile()
    writeFileSync(filename, Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72]))
    await assert.rejects(
      store(filename).start(),
      (e: Error) => e instanceof CorruptDataError && e.message.includes(filename),
    )
    assert.throws(() => parseOffsetFile('{"offsets":[["k"]]}', 'f'), /no valid "offsets" list/)
  })
})
