/**
 * A source connector with its own offsets topic reads both topics (its own first) and writes its own first, as
 * Java's ConnectorOffsetBackingStore does.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { encodeOffsetKey, encodeOffsetValue } from '../../../src/protocol/offset-records.ts'
import { ConnectorOffsetStore } from '../../../src/stores/connector-offset-store.ts'
import { createMemoryOffsetStore, MemoryCluster } from '../../../src/stores/memory-stores.ts'

const key = (file: string) => encodeOffsetKey('src', { file })
const value = (position: number) => encodeOffsetValue({ position })

async function setUp() {
  const cluster = new MemoryCluster()
  const worker = createMemoryOffsetStore(cluster, 'worker-offsets')
  const own = createMemoryOffsetStore(cluster, 'src-offsets')
  await Promise.all([worker.start(), own.start()])
  return { worker, own, store: new ConnectorOffsetStore({ connector: own, worker }) }
}

describe('ConnectorOffsetStore', () => {
  test("reads the connector's topic first and falls back to the worker's", async () => {
    const { worker, own, store } = await setUp()
    await worker.set([
      { key: key('a'), value: value(1) },
      { key: key('b'), value: value(2) },
    ])
    await own.set([{ key: key('a'), value: value(10) }])
    const [a, b, c] = await store.get([key('a'), key('b'), key('c')])
    assert.equal(a?.toString(), '{"position":10}')
    assert.equal(b?.toString(), '{"position":2}')
    assert.equal(c, null)
    assert.equal(store.connectorPartitions('src').length, 2)
    await Promise.all([worker.stop(), own.stop()])
  })

  test("writes go to the connector's topic and to the worker's; tombstones reach both", async () => {
    const { worker, own, store } = await setUp()
    await store.set([{ key: key('a'), value: value(5) }])
    assert.deepEqual(
      (await Promise.all([own.get([key('a')]), worker.get([key('a')])])).map(([v]) => v?.toString()),
      ['{"position":5}', '{"position":5}'],
    )
    await store.set([{ key: key('a'), value: null }])
    const [[fromOwn], [fromWorker]] = await Promise.all([own.get([key('a')]), worker.get([key('a')])])
    assert.equal(fromOwn, null)
    assert.equal(fromWorker, null)
    assert.equal(store.lookup('src', { file: 'a' }), undefined)
    await Promise.all([worker.stop(), own.stop()])
  })
})
