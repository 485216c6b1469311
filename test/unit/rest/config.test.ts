import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError } from '../../../src/errors.ts'
import { restConfigFromProperties } from '../../../src/rest/config.ts'
import { advertisedProtocol, advertisedUrl, parseListener } from '../../../src/rest/listeners.ts'
import { parseHeaderRules } from '../../../src/rest/response-headers.ts'

function throwsConfigError(fn: () => unknown, key: string, message?: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError)
    assert.equal(error.key, key)
    if (message) assert.match(error.message, message)
    return true
  })
}

describe('listeners', () => {
  test('parses protocol, host and port, the protocol in any case', () => {
    assert.deepEqual(parseListener('HTTP://myhost:8083'), { protocol: 'http', host: 'myhost', port: 8083 })
  })

  test('an empty host means every interface', () => {
    assert.deepEqual(parseListener('https://:8443'), { protocol: 'https', host: '', port: 8443 })
  })

  test('takes an IPv6 host in brackets', () => {
    assert.deepEqual(parseListener('http://[::1]:8083'), { protocol: 'http', host: '::1', port: 8083 })
  })

  test('refuses another protocol with Java message', () => {
    throwsConfigError(
      () => parseListener('ftp://host:21'),
      'listeners',
      /^Listener protocol must be either "http" or "https"\.$/,
    )
  })

  test('refuses a listener without protocol or port', () => {
    throwsConfigError(() => parseListener('localhost:8083'), 'listeners', /right format \(protocol:\/\/hostname:port\)/)
  })
})

describe('REST settings from worker properties', () => {
  test("Java's defaults: http://:8083, admin endpoints on the main listeners, topic tracking on", () => {
    const config = restConfigFromProperties({})
    assert.deepEqual(config.listeners, [{ protocol: 'http', host: '', port: 8083 }])
    assert.equal(config.adminListeners, undefined)
    assert.equal(config.topicTrackingEnabled, true)
    assert.equal(config.topicTrackingResetEnabled, true)
    assert.equal(config.basicAuthFile, undefined)
  })

  test('reads several listeners', () => {
    const config = restConfigFromProperties({ listeners: 'http://a:8083, https://b:8443' })
    assert.deepEqual(
      config.listeners.map((l) => l.protocol),
      ['http', 'https'],
    )
  })

  test('an empty listeners value is refused, naming the key', () => {
    throwsConfigError(() => restConfigFromProperties({ listeners: ' ' }), 'listeners', /at least one URL/)
  })

  test('an empty admin.listeners turns admin endpoints off', () => {
    assert.deepEqual(restConfigFromProperties({ 'admin.listeners': '' }).adminListeners, [])
  })

  test('a bad rest.advertised.port is refused, naming the key', () => {
    throwsConfigError(() => restConfigFromProperties({ 'rest.advertised.port': 'eighty' }), 'rest.advertised.port')
  })

  test('listeners.https.* keys win over ssl.* keys, all or nothing', () => {
    const config = restConfigFromProperties({
      'ssl.keystore.location': '/plain.p12',
      'ssl.keystore.password': 'plain',
      'listeners.https.ssl.keystore.location': '/prefixed.p12',
    })
    assert.deepEqual(config.ssl, {
      values: { 'ssl.keystore.location': '/prefixed.p12' },
      keyPrefix: 'listeners.https.',
    })
  })
})

describe('advertised URL', () => {
  const bound = [
    { protocol: 'http' as const, host: '127.0.0.1', port: 8083 },
    { protocol: 'https' as const, host: '127.0.0.1', port: 8443 },
  ]

  test('is the http listener when there is one', async () => {
    assert.equal(
      await advertisedUrl({ rawListeners: 'http://127.0.0.1:8083,https://127.0.0.1:8443', bound }),
      'http://127.0.0.1:8083',
    )
  })

  test('is https when rest.advertised.listener says so', async () => {
    const url = await advertisedUrl({ rawListeners: 'http://x:1,https://x:2', bound, advertisedListener: 'HTTPS' })
    assert.equal(url, 'https://127.0.0.1:8443')
  })

  test('takes rest.advertised.host.name and rest.advertised.port', async () => {
    const url = await advertisedUrl({
      rawListeners: 'http://127.0.0.1:8083',
      bound,
      advertisedHostName: 'connect-0.example',
      advertisedPort: 18083,
    })
    assert.equal(url, 'http://connect-0.example:18083')
  })

  test('a wildcard bind address is replaced by an address of this machine', async () => {
    const url = await advertisedUrl({
      rawListeners: 'http://0.0.0.0:8083',
      bound: [{ protocol: 'http', host: '0.0.0.0', port: 8083 }],
    })
    assert.match(url, /^http:\/\/[^/]+:8083$/)
    assert.doesNotMatch(url, /0\.0\.0\.0/)
  })

  test('is https when every listener is https', () => {
    assert.equal(advertisedProtocol({ rawListeners: 'HTTPS://:8443' }), 'https')
  })
})

describe('response.http.headers.config', () => {
  test('parses set, add, setDate and addDate rules, quoted when they hold commas', () => {
    assert.deepEqual(parseHeaderRules('set X-Frame-Options:DENY,"add Cache-Control: no-cache, no-store"'), [
      { action: 'set', name: 'X-Frame-Options', value: 'DENY' },
      { action: 'add', name: 'Cache-Control', value: 'no-cache, no-store' },
    ])
  })

  test('refuses an unknown action, naming the key', () => {
    throwsConfigError(() => parseHeaderRules('put X:1'), 'response.http.headers.config', /Invalid header config action/)
  })

  test('refuses a rule without name:value', () => {
    throwsConfigError(() => parseHeaderRules('set X-Frame-Options'), 'response.http.headers.config')
  })
})
