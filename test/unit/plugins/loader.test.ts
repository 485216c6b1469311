import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { SinkConnector, SourceConnector } from '../../../src/api/connector.ts'
import type { OffsetStorageReader, SinkTaskContext, SourceTaskContext } from '../../../src/api/contexts.ts'
import { SinkRecord } from '../../../src/api/records.ts'
import type { SinkTask, SourceTask } from '../../../src/api/task.ts'
import { validateToConfigInfos } from '../../../src/config/config-infos.ts'
import type { Struct } from '../../../src/data/struct.ts'
import { loadPluginPath } from '../../../src/plugins/loader.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const EXAMPLES = join(ROOT, 'connectors')
const EXAMPLE = join(EXAMPLES, 'sequence')

function sourceContext(committed: Record<string, unknown> | null): SourceTaskContext {
  const reader: OffsetStorageReader = {
    offset: async () => committed,
    offsets: async () => [],
  }
  return { configs: () => ({}), offsetStorageReader: () => reader, transactionContext: () => null }
}

describe('loadPluginPath', () => {
  it('loads the example package named in plugin.path', async () => {
    const { descriptors, errors } = await loadPluginPath([EXAMPLE])
    assert.deepEqual(errors, [])
    const registry = new PluginRegistry(descriptors.map((d) => d.descriptor))
    assert.deepEqual(registry.list(), [
      { class: 'com.example.JsonLinesSinkConnector', type: 'sink', version: '1.0.0' },
      { class: 'com.example.SequenceSourceConnector', type: 'source', version: '1.0.0' },
    ])
    assert.ok(registry.newInstance('connector', 'SequenceSource') instanceof SourceConnector)
    assert.ok(registry.newInstance('connector', 'JsonLinesSink') instanceof SinkConnector)
  })

  it('loads a workspace package by its npm name, from its TypeScript sources', async () => {
    const { descriptors, errors } = await loadPluginPath(['@tsconnect/connector-sequence'], ROOT)
    assert.deepEqual(errors, [])
    assert.deepEqual(
      descriptors.map((d) => [d.descriptor.className, d.source]),
      [
        ['com.example.SequenceSourceConnector', join(EXAMPLE, 'src/index.ts')],
        ['com.example.JsonLinesSinkConnector', join(EXAMPLE, 'src/index.ts')],
      ],
    )
  })

  it('loads an installed package (under node_modules) from its default export, never its sources', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsconnect-installed-'))
    try {
      const pkg = join(dir, 'node_modules', 'built')
      await mkdir(pkg, { recursive: true })
      const exports = { '.': { 'tsconnect-source': './src.mjs', default: './dist.mjs' } }
      await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'built', exports }))
      await writeFile(join(pkg, 'src.mjs'), 'throw new Error("the sources were loaded")\n')
      await writeFile(join(pkg, 'dist.mjs'), 'export const plugins = []\n')
      const { errors } = await loadPluginPath(['built'], dir)
      assert.deepEqual(errors, [])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('loads every package of a folder of packages', async () => {
    const { descriptors, errors } = await loadPluginPath([EXAMPLES])
    assert.deepEqual(errors, [])
    // connectors/ holds every connector package of the repository: the sequence package is one of them.
    const names = descriptors.map((d) => d.descriptor.className)
    assert.ok(
      names.includes('com.example.SequenceSourceConnector') && names.includes('com.example.JsonLinesSinkConnector'),
    )
  })

  it('gives plugins the same API classes the worker uses', async () => {
    const { descriptors } = await loadPluginPath([EXAMPLE])
    const registry = new PluginRegistry(descriptors.map((d) => d.descriptor))
    const connector = registry.newInstance('connector', 'com.example.SequenceSourceConnector')
    assert.ok(connector instanceof SourceConnector)
  })

  it('reports entries that do not load, and goes on with the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsconnect-plugins-'))
    try {
      await writeFile(join(dir, 'bad.mjs'), 'export const nothing = 1\n')
      const { descriptors, errors } = await loadPluginPath([join(dir, 'bad.mjs'), join(dir, 'missing'), EXAMPLE])
      assert.equal(descriptors.length, 2)
      assert.equal(errors.length, 2)
      assert.match(errors[0]?.error.message ?? '', /exports no plugins/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('the example connectors, loaded through plugin.path', () => {
  it('validate their configs in the REST shape', async () => {
    const { descriptors } = await loadPluginPath([EXAMPLE])
    const connector = new PluginRegistry(descriptors.map((d) => d.descriptor)).newInstance(
      'connector',
      'SequenceSource',
    )
    const infos = validateToConfigInfos('com.example.SequenceSourceConnector', connector.config(), {
      'batch.size': '0',
    })
    assert.equal(infos.error_count, 2)
  })

  it('run a source task that resumes from its committed offset', async () => {
    const { descriptors } = await loadPluginPath([EXAMPLE])
    const connector = new PluginRegistry(descriptors.map((d) => d.descriptor)).newInstance(
      'connector',
      'SequenceSource',
    )
    await connector.start({ topic: 'numbers', 'batch.size': '3', 'poll.interval.ms': '0' })
    const [taskConfig] = await connector.taskConfigs(5)
    const task = new (connector.taskClass())() as SourceTask
    task.initialize(sourceContext({ next: 40 }))
    await task.start(taskConfig ?? {})
    const records = (await task.poll()) ?? []
    assert.deepEqual(
      records.map((r) => (r.value as Struct).get('seq')),
      [40n, 41n, 42n],
    )
    assert.deepEqual(records[2]?.sourceOffset, new Map([['next', 43n]]))
    await task.stop()
  })

  it('run a sink task that writes lines on flush', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsconnect-sink-'))
    try {
      const file = join(dir, 'out.jsonl')
      const { descriptors } = await loadPluginPath([EXAMPLE])
      const connector = new PluginRegistry(descriptors.map((d) => d.descriptor)).newInstance(
        'connector',
        'JsonLinesSink',
      )
      await connector.start({ file })
      const task = new (connector.taskClass())() as SinkTask
      task.initialize({} as SinkTaskContext)
      await task.start({ file })
      await task.put([new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 7, key: 'k', value: 'v' })])
      await task.preCommit([{ topic: 't', partition: 0, offset: 8 }])
      assert.equal(await readFile(file, 'utf8'), '{"topic":"t","partition":0,"offset":7,"key":"k","value":"v"}\n')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
