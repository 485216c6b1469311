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
  it('produces byte for byte the REST validate answer of Java Connect 4.3', () => {
    // What Kafka 4.3.1's AbstractHerder.generateResult and Jackson write for the same ConfigDef and props.
    const java =
      '{"name":"FileStreamSource","error_count":1,"groups":["Security"],"configs":[' +
      '{"definition":{"name":"file","type":"STRING","required":false,"default_value":null,"importance":"HIGH","documentation":"Source filename.","group":null,"order_in_group":-1,"width":"NONE","display_name":"file","dependents":[]},"value":{"name":"file","value":null,"recommended_values":[],"errors":[],"visible":true}},' +
      '{"definition":{"name":"topic","type":"LIST","required":true,"default_value":null,"importance":"HIGH","documentation":"The topic.","group":null,"order_in_group":-1,"width":"NONE","display_name":"topic","dependents":[]},"value":{"name":"topic","value":"a,b","recommended_values":[],"errors":["Invalid value [a, b] for configuration topic: exceeds maximum list size of [1]."],"visible":true}},' +
      '{"definition":{"name":"secret","type":"PASSWORD","required":false,"default_value":"[hidden]","importance":"LOW","documentation":"A secret.","group":"Security","order_in_group":1,"width":"MEDIUM","display_name":"Secret","dependents":[]},"value":{"name":"secret","value":"[hidden]","recommended_values":[],"errors":[],"visible":true}},' +
      '{"definition":{"name":"ratio","type":"DOUBLE","required":false,"default_value":"1.0","importance":"LOW","documentation":"A ratio.","group":null,"order_in_group":-1,"width":"NONE","display_name":"ratio","dependents":[]},"value":{"name":"ratio","value":"1.0","recommended_values":[],"errors":[],"visible":true}}]}'
    assert.equal(
      JSON.stringify(validateToConfigInfos('FileStreamSource', def, { topic: 'a,b', secret: 'hunter2' })),
      java,
    )
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
