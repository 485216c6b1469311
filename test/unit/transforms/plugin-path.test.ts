import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { loadPluginPath } from '../../../src/plugins/loader.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'
import { buildTransformationChain } from '../../../src/transforms/chain.ts'
import { registerBuiltinTransforms } from '../../../src/transforms/plugins.ts'
import { sourceRecord } from './helpers.ts'

// A third-party package as a user would install it: plain JavaScript importing the worker's 'tsconnect'.
const PLUGIN = `
import { ConfigDef } from 'tsconnect'

export class Upper {
  configure(configs) { this.suffix = String(configs.suffix ?? '') }
  apply(record) { return record.newRecord({ topic: record.topic.toUpperCase() + this.suffix }) }
  config() {
    return new ConfigDef().define({ name: 'suffix', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Appended.' })
  }
  close() {}
}

export class IsShort {
  configure(configs) { this.max = Number(configs.max) }
  test(record) { return record.topic.length <= this.max }
  config() {
    return new ConfigDef().define({ name: 'max', type: 'INT', importance: 'HIGH', documentation: 'Longest short topic.' })
  }
  close() {}
}

export const plugins = [
  { type: 'transformation', plugin: Upper, className: 'com.acme.Upper', version: '2.0.0' },
  { type: 'predicate', plugin: IsShort, className: 'com.acme.IsShort', version: '2.0.0' },
]
`

describe('Transforms and predicates from plugin.path', () => {
  let dir: string | undefined
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('load like connectors and run in a chain beside the built-ins', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsconnect-smt-'))
    const file = join(dir, 'acme-smt.mjs')
    await writeFile(file, PLUGIN)
    const { descriptors, errors } = await loadPluginPath([file])
    assert.deepEqual(errors, [])
    const registry = new PluginRegistry(descriptors.map((d) => d.descriptor))
    registerBuiltinTransforms(registry)
    assert.ok(registry.list(false).some((p) => p.class === 'com.acme.Upper' && p.type === 'transformation'))

    const chain = buildTransformationChain(registry, {
      transforms: 'upper,route',
      'transforms.upper.type': 'Upper',
      'transforms.upper.suffix': '!',
      'transforms.upper.predicate': 'short',
      'transforms.route.type': 'RegexRouter',
      'transforms.route.regex': '(.*)',
      'transforms.route.replacement': 'x-$1',
      predicates: 'short',
      'predicates.short.type': 'com.acme.IsShort',
      'predicates.short.max': '3',
    })
    assert.equal(chain.apply(sourceRecord({ topic: 'abc' }))?.topic, 'x-ABC!')
    assert.equal(chain.apply(sourceRecord({ topic: 'abcd' }))?.topic, 'x-abcd')
  })
})
