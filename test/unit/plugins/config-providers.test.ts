// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config-provider references are ${...} on purpose
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { ConfigProvider } from '../../../src/api/config-provider.ts'
import { ConfigError } from '../../../src/errors.ts'
import { ConfigTransformer } from '../../../src/plugins/config-providers/config-transformer.ts'
import { DirectoryConfigProvider } from '../../../src/plugins/config-providers/directory-config-provider.ts'
import { EnvVarConfigProvider } from '../../../src/plugins/config-providers/env-var-config-provider.ts'
import { FileConfigProvider } from '../../../src/plugins/config-providers/file-config-provider.ts'
import {
  builtinConfigProviderPlugins,
  WorkerConfigProviders,
} from '../../../src/plugins/config-providers/worker-config-providers.ts'
import { PluginRegistry } from '../../../src/plugins/registry.ts'

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-providers-'))
const secrets = join(dir, 'secrets')
mkdirSync(secrets)
writeFileSync(join(secrets, 'db-password'), 's3cret\n')
writeFileSync(join(dir, 'creds.properties'), 'user=alice\npassword=hunter2\n')

describe('FileConfigProvider', () => {
  test('reads keys from a properties file', () => {
    const p = new FileConfigProvider()
    p.configure({})
    assert.deepEqual(p.get(join(dir, 'creds.properties'), ['password']).data, { password: 'hunter2' })
    assert.deepEqual(p.get(join(dir, 'creds.properties')).data, { user: 'alice', password: 'hunter2' })
  })

  test('allowed.paths keeps it inside the allowed directories, .. included', () => {
    const p = new FileConfigProvider()
    p.configure({ 'allowed.paths': secrets })
    assert.deepEqual(p.get(join(dir, 'creds.properties')).data, {})
    assert.deepEqual(p.get(join(secrets, '..', 'creds.properties')).data, {})
    assert.throws(() => p.configure({ 'allowed.paths': 'relative/dir' }), ConfigError)
  })
})

describe('DirectoryConfigProvider', () => {
  test('reads files of a directory whole, keyed by file name', () => {
    const p = new DirectoryConfigProvider()
    p.configure({})
    assert.deepEqual(p.get(secrets).data, { 'db-password': 's3cret\n' })
    assert.deepEqual(p.get(secrets, ['db-password', 'missing']).data, { 'db-password': 's3cret\n' })
    assert.deepEqual(p.get(secrets, ['../creds.properties']).data, {})
  })
})

describe('EnvVarConfigProvider', () => {
  test('reads environment variables, limited by allowlist.pattern', () => {
    const p = new EnvVarConfigProvider({ DB_PASSWORD: 'pw', HOME: '/home/x' })
    p.configure({ 'allowlist.pattern': 'DB_.*' })
    assert.deepEqual(p.get('', ['DB_PASSWORD', 'HOME']).data, { DB_PASSWORD: 'pw' })
    assert.throws(() => p.get('/some/path'), /Path is not supported/)
  })
})

describe('ConfigTransformer', () => {
  test('replaces ${provider:path:key} and ${provider:key}, and leaves unknown references as written', async () => {
    const env = new EnvVarConfigProvider({ TOKEN: 't0k' })
    const file = new FileConfigProvider()
    const t = new ConfigTransformer(
      new Map<string, ConfigProvider>([
        ['env', env],
        ['file', file],
      ]),
    )
    const { data } = await t.transform({
      token: '${env:TOKEN}',
      password: `\${file:${join(dir, 'creds.properties')}:password}`,
      url: `jdbc://\${file:${join(dir, 'creds.properties')}:user}@db`,
      unknown: '${vault:secret/x:y}',
      missing: '${env:NOPE}',
      plain: 'x',
      none: null,
    })
    assert.deepEqual(data, {
      token: 't0k',
      password: 'hunter2',
      url: 'jdbc://alice@db',
      unknown: '${vault:secret/x:y}',
      missing: '${env:NOPE}',
      plain: 'x',
      none: null,
    })
  })
})

describe('worker config providers', () => {
  const registry = new PluginRegistry(builtinConfigProviderPlugins())

  test("are declared by Java's class names, or by alias, with their params", async () => {
    const providers = new WorkerConfigProviders(
      {
        'config.providers': 'file,dir,env',
        'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
        'config.providers.dir.class': 'DirectoryConfigProvider',
        'config.providers.dir.param.allowed.paths': secrets,
        'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      },
      registry,
    )
    const resolved = await providers.resolve({ a: `\${dir:${secrets}:db-password}`, b: '${env:PATH}' })
    assert.equal(resolved.a, 's3cret\n')
    assert.equal(resolved.b, process.env.PATH)
    await providers.close()
  })

  test('a missing or unknown class is a ConfigError naming the key', () => {
    assert.throws(
      () => new WorkerConfigProviders({ 'config.providers': 'x' }, registry),
      (e: unknown) => e instanceof ConfigError && e.key === 'config.providers.x.class',
    )
    assert.throws(
      () => new WorkerConfigProviders({ 'config.providers': 'x', 'config.providers.x.class': 'com.Nope' }, registry),
      (e: unknown) => e instanceof ConfigError && e.key === 'config.providers.x.class',
    )
  })
})
