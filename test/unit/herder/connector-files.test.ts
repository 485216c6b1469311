import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { connectorFiles } from '../../../src/cli/connect-standalone.ts'
import { ConfigError } from '../../../src/errors.ts'
import { parseConnectorFileText } from '../../../src/herder/connector-files.ts'

describe("connect-standalone's connector files (Java's parseConnectorConfigurationFile)", () => {
  test('a .properties file is the connector config; its name is the connector name', () => {
    const text = '# a comment\nname=local-file-source\nconnector.class=FileStreamSource\nfile=/tmp/in.txt\n'
    assert.deepEqual(parseConnectorFileText(text, 'source.properties'), {
      name: 'local-file-source',
      config: { name: 'local-file-source', 'connector.class': 'FileStreamSource', file: '/tmp/in.txt' },
    })
  })

  test('a flat JSON map of strings is the connector config', () => {
    const text = JSON.stringify({ name: 'sink', 'connector.class': 'FileStreamSink', topics: 't' })
    assert.deepEqual(parseConnectorFileText(text, 'sink.json'), {
      name: 'sink',
      config: { name: 'sink', 'connector.class': 'FileStreamSink', topics: 't' },
    })
  })

  test("a JSON {name, config, initial_state} is POST /connectors' body; config.name is set from name", () => {
    const text = JSON.stringify({ name: 'src', config: { 'connector.class': 'X' }, initial_state: 'paused' })
    assert.deepEqual(parseConnectorFileText(text, 'src.json'), {
      name: 'src',
      config: { 'connector.class': 'X', name: 'src' },
      initialState: 'PAUSED',
    })
    const running = JSON.stringify({ name: 'src', config: {}, initial_state: 'RUNNING' })
    assert.equal(parseConnectorFileText(running, 'src.json').initialState, 'STARTED')
  })

  test('a JSON request whose config.name differs from its name is refused', () => {
    const text = JSON.stringify({ name: 'a', config: { name: 'b' } })
    assert.throws(() => parseConnectorFileText(text, 'a.json'), /doesn't match the one specified in 'name' at 'a.json'/)
  })

  test('an unknown initial_state is refused, naming the key', () => {
    const text = JSON.stringify({ name: 'a', config: {}, initial_state: 'GONE' })
    assert.throws(
      () => parseConnectorFileText(text, 'a.json'),
      (e: Error) => e instanceof ConfigError && e.key === 'initial_state',
    )
  })

  test('a config without name is refused, naming the file and the key', () => {
    for (const [text, path] of [
      ['connector.class=X\n', 'x.properties'],
      ['{"connector.class":"X"}', 'x.json'],
    ]) {
      assert.throws(
        () => parseConnectorFileText(text as string, path as string),
        (e: Error) =>
          e instanceof ConfigError &&
          e.key === 'name' &&
          e.message === `Connector configuration at '${path}' is missing the mandatory 'name' configuration`,
      )
    }
  })

  test('the command line: the worker properties first, then connector files; --override pairs are not files', () => {
    assert.deepEqual(connectorFiles(['w.properties', 'a.properties', '--override', 'x=y', 'b.json']), [
      'a.properties',
      'b.json',
    ])
    assert.deepEqual(connectorFiles(['w.properties']), [])
  })
})
