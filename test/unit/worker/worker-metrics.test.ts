/**
 * What a worker measures, on in-memory stores and clients: a source task's poll and write totals follow the records
 * it moved, its status series follows its status, a task that fails counts in its connector's failed tasks, and a
 * stopped task's groups are gone (a failed one keeps them until it is stopped, as in Java).
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { SourceConnector } from '../../../src/api/connector.ts'
import { SourceRecord } from '../../../src/api/records.ts'
import { SourceTask } from '../../../src/api/task.ts'
import { ConfigDef } from '../../../src/config/config-def.ts'
import { Schema } from '../../../src/data/schema.ts'
import { renderPrometheus } from '../../../src/metrics/prometheus.ts'
import { MetricsRegistry } from '../../../src/metrics/registry.ts'
import { Worker } from '../../../src/worker/worker.ts'
import { quietLogger } from '../../support/stores.ts'
import { MemoryClients, memoryStores, testRegistry, waitFor, workerConfig } from './helpers.ts'

/** Five batches of four records, then nothing; with `fail`, poll() throws after the first batch. */
class BatchTask extends SourceTask {
  #batches = 0
  #fail = false
  version() {
    return '1'
  }
  start(props: Readonly<Record<string, string>>) {
    this.#fail = props.fail === 'true'
  }
  async poll() {
    await new Promise((r) => setImmediate(r))
    if (this.#fail && this.#batches === 1) throw new Error('the source broke')
    if (this.#batches >= 5) {
      await new Promise((r) => setTimeout(r, 5))
      return null
    }
    const b = this.#batches++
    return Array.from(
      { length: 4 },
      (_, i) =>
        new SourceRecord({
          sourcePartition: { p: 0 },
          sourceOffset: { n: b * 4 + i },
          topic: 'out',
          valueSchema: Schema.STRING_SCHEMA,
          value: `v${b * 4 + i}`,
        }),
    )
  }
  stop() {}
}

class BatchConnector extends SourceConnector {
  #props: Record<string, string> = {}
  version() {
    return '1'
  }
  start(props: Readonly<Record<string, string>>) {
    this.#props = { ...props }
  }
  taskClass() {
    return BatchTask
  }
  taskConfigs() {
    return [this.#props]
  }
  stop() {}
  config() {
    return new ConfigDef()
  }
}

/** name{labels} → value of a rendering. */
function series(registry: MetricsRegistry): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of renderPrometheus(registry.collect()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    out.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return out
}

const config = (extra: Record<string, string> = {}) => ({ 'connector.class': 'BatchConnector', ...extra })
const stopping: { stop(): Promise<void> }[] = []
afterEach(async () => {
  for (const w of stopping.splice(0)) await w.stop()
})

async function newWorker() {
  const stores = await memoryStores()
  const registry = new MetricsRegistry()
  const worker = new Worker({
    workerId: 'w1:8083',
    config: workerConfig(),
    plugins: testRegistry([{ type: 'source', plugin: BatchConnector }]),
    offsetStore: stores.offsetStore,
    statusStore: stores.statusStore,
    clients: new MemoryClients(),
    metrics: registry,
    logger: quietLogger(),
  })
  stopping.push(worker, stores)
  return { worker, registry }
}

describe('worker metrics', () => {
  test("a source task's poll and write totals are the records it moved", async () => {
    const { worker, registry } = await newWorker()
    const id = { connector: 'batches', task: 0 }
    await worker.startTask(id, config(), config(), 'STARTED')
    const labels = '{connector="batches",task="0"}'
    await waitFor(
      () => series(registry).get(`kafka_connect_source_task_source_record_write_total${labels}`) === 20,
      'twenty records written',
    )
    const s = series(registry)
    assert.equal(s.get(`kafka_connect_source_task_source_record_poll_total${labels}`), 20)
    assert.equal(s.get(`kafka_connect_source_task_source_record_active_count${labels}`), 0)
    assert.equal(s.get(`kafka_connect_connector_task_batch_size_max${labels}`), 4)
    assert.equal(s.get(`kafka_connect_connector_task_status{connector="batches",task="0",status="running"}`), 1)
    assert.equal(s.get('kafka_connect_worker_task_count'), 1)
    assert.equal(s.get('kafka_connect_worker_task_startup_success_total'), 1)
    assert.equal(s.get('kafka_connect_worker_connector_running_task_count{connector="batches"}'), 1)
  })

  test('a failed task shows failed and counts in its connector, and its groups go when it is stopped', async () => {
    const { worker, registry } = await newWorker()
    const id = { connector: 'broken', task: 0 }
    await worker.startTask(id, config({ fail: 'true' }), config({ fail: 'true' }), 'STARTED')
    await waitFor(
      () =>
        series(registry).get('kafka_connect_connector_task_status{connector="broken",task="0",status="failed"}') === 1,
      'the failed status',
    )
    assert.equal(series(registry).get('kafka_connect_worker_connector_failed_task_count{connector="broken"}'), 1)
    await worker.stopTasks([id])
    const left = [...series(registry).keys()].filter((k) => k.includes('connector="broken"'))
    assert.deepEqual(left, [])
    assert.equal(series(registry).get('kafka_connect_worker_task_count'), 0)
  })
})
