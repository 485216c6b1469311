import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigDef, ConfigValue } from '../../../src/config/config-def.ts'
import { generateResult, validateToConfigInfos } from '../../../src/config/config-infos.ts'
import { Validators } from '../../../src/config/validators.ts'

const def = new ConfigDef()
  .define({ name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Source filename.' })
  .define({
    name: 'topic',
    type: 'LIST',
    validator: Validators.listAtMost(1),
    importance: 'HIGH',
    documentation: 'The topic.',
  })
  .define({
    name: 'secret',
    type: 'PASSWORD',
    defaultValue: 'x',
    importance: 'LOW',
    documentation: 'A secret.',
    group: 'Security',
    orderInGroup: 1,
    width: 'MEDIUM',
    displayName: 'Secret',
  })
  .define({ name: 'ratio', type: 'DOUBLE', defaultValue: 1, importance: 'LOW', documentation: 'A ratio.' })

describe('validateToConfigInfos', () => {
  it('produces the REST validate answer with field names and order of Java', () => {
    const infos = validateToConfigInfos('FileStreamSource', def, { topic: 'a,b', secret: 'hunter2' })
    assert.deepEqual(Object.keys(infos), ['name', 'error_count', 'groups', 'configs'])
    assert.equal(infos.name, 'FileStreamSource')
    assert.equal(infos.error_count, 1)
    assert.deepEqual(infos.groups, ['Security'])
    const topic = infos.configs[1]
    assert.deepEqual(Object.keys(topic?.definition ?? {}), [
      'name',
      'type',
      'required',
      'default_value',
      'importance',
      'documentation',
      'group',
      'width',
      'display_name',
      'dependents',
      'order',
    ])
    assert.deepEqual(topic, {
      definition: {
        name: 'topic',
        type: 'LIST',
        required: true,
        default_value: null,
        importance: 'HIGH',
        documentation: 'The topic.',
        group: null,
        width: 'NONE',
        display_name: 'topic',
        dependents: [],
        order: -1,
      },
      value: {
        name: 'topic',
        value: 'a,b',
        recommended_values: [],
        errors: ['Invalid value [a, b] for configuration topic: exceeds maximum list size of [1].'],
        visible: true,
      },
    })
  })
  it('hides passwords and prints defaults as Java', () => {
    const infos = validateToConfigInfos('X', def, { topic: 't', secret: 'hunter2' })
    assert.equal(infos.configs[2]?.definition?.default_value, '[hidden]')
    assert.equal(infos.configs[2]?.value?.value, '[hidden]')
    assert.equal(infos.configs[3]?.definition?.default_value, '1.0')
    assert.equal(infos.configs[0]?.definition?.default_value, null)
    assert.equal(infos.configs[0]?.definition?.required, false)
  })
  it('lists undeclared validated values first, without a definition', () => {
    const extra = new ConfigValue('name')
    extra.value = 'c1'
    extra.addErrorMessage('bad')
    const infos = generateResult('X', def.configKeys, [extra, ...def.validate({ topic: 't' })], def.groups)
    assert.equal(infos.configs[0]?.definition, null)
    assert.equal(infos.configs[0]?.value?.value, 'c1')
    assert.equal(infos.error_count, 1)
  })
})
