/**
 * MockSource, MockSink and MockConnector as Java's: mock_mode and delay_ms (default 15000), a connector that
 * raises an error through its context after the delay, tasks that fail from poll()/put() once it passed, and a
 * single task whatever tasks.max says.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SinkTaskContext, SourceConnectorContext } from '../../../../src/api/contexts.ts'
import { failureDelayMs, taskFailureDue } from '../../../../src/connectors/tools/mock-connector.ts'
import { MockSinkConnector, MockSinkTask } from '../../../../src/connectors/tools/mock-sink.ts'
import { MockSourceConnector, MockSourceTask } from '../../../../src/connectors/tools/mock-source.ts'

function connectorContext(onError: (error: Error) => void): SourceConnectorContext {
  return {
    requestTaskReconfiguration: () => {},
    raiseError: onError,
    offsetStorageReader: () => ({ offset: async () => null, offsets: async () => [] }),
  }
}

function sinkContext(timeouts: number[]): SinkTaskContext {
  return {
    configs: () => ({}),
    offset: () => {},
    timeout: (ms) => timeouts.push(ms),
    assignment: () => [],
    pause: () => {},
    resume: () => {},
    requestCommit: () => {},
    errantRecordReporter: () => null,
  }
}

describe('the mock connectors', () => {
  test('delay_ms defaults to 15000 and must be a long', () => {
    assert.equal(failureDelayMs({}, 'MockSourceTask'), 15000)
    assert.equal(failureDelayMs({ delay_ms: '250' }, 'MockSourceTask'), 250)
    assert.throws(() => failureDelayMs({ delay_ms: '1s' }, 'MockSourceTask'), /Invalid MockSourceTask configuration/)
  })

  test('a task fails only once strictly more than delay_ms passed since its start', () => {
    assert.equal(taskFailureDue(1000, 500, 1500), false)
    assert.equal(taskFailureDue(1000, 500, 1501), true)
  })

  test('make one task with the connector config, whatever tasks.max says', () => {
    const c = new MockSinkConnector()
    c.start({ mock_mode: 'task-failure', topics: 't' })
    assert.deepEqual(c.taskConfigs(3), [{ mock_mode: 'task-failure', topics: 't' }])
    c.stop()
  })

  test('connector-failure raises an error through the context after delay_ms, and stop() cancels it', async () => {
    const c = new MockSourceConnector()
    const raised = new Promise<Error>((resolve) => c.initialize(connectorContext(resolve)))
    c.start({ mock_mode: 'connector-failure', delay_ms: '10' })
    assert.match((await raised).message, /MockConnector failed on purpose/)
    c.stop()

    const stopped = new MockSourceConnector()
    let errors = 0
    stopped.initialize(connectorContext(() => errors++))
    stopped.start({ mock_mode: 'connector-failure', delay_ms: '10' })
    stopped.stop()
    await new Promise((resolve) => setTimeout(resolve, 30))
    assert.equal(errors, 0)
  })

  test('without a failure mode the connector and its tasks just run', async () => {
    const c = new MockSourceConnector()
    c.initialize(connectorContext(() => assert.fail('no error expected')))
    c.start({})
    const task = new MockSourceTask()
    task.start({})
    const polled = task.poll()
    task.stop()
    assert.deepEqual(await polled, [])
    c.stop()
  })

  test('task-failure makes MockSourceTask.poll() throw once delay_ms passed', async () => {
    const task = new MockSourceTask()
    task.start({ mock_mode: 'task-failure', delay_ms: '20' })
    let polls = 0
    await assert.rejects(async () => {
      for (;;) {
        polls++
        await task.poll()
      }
    }, /MockSourceTask failed on purpose/)
    assert.ok(polls >= 1)
  })

  test('task-failure makes MockSinkTask.put() throw once delay_ms passed, asking to be woken meanwhile', async () => {
    const task = new MockSinkTask()
    const timeouts: number[] = []
    task.initialize(sinkContext(timeouts))
    task.start({ mock_mode: 'task-failure', delay_ms: '20' })
    task.put([])
    assert.deepEqual(timeouts, [20, 20])
    await new Promise((resolve) => setTimeout(resolve, 30))
    assert.throws(() => task.put([]), /MockSinkTask failed on purpose/)
  })
})
