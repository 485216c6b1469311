/**
 * Client-certificate authentication on HTTPS listeners (`listeners.https.ssl.client.auth`, as Java configures it),
 * over real TLS on loopback with certificates of a private CA made for this file.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { RestServer } from '../../../src/rest/server.ts'
import { createCertificateAuthority, type IssuedCertificate } from '../../../tools/kafka/certs.ts'
import { InMemoryHerder } from '../../support/in-memory-herder.ts'
import { testServer } from '../../support/rest.ts'

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-client-auth-'))
const ca = createCertificateAuthority(join(dir, 'trusted'))
const rogueCa = createCertificateAuthority(join(dir, 'rogue'), 'rogue-ca')
const serverCert = ca.issue('worker')
const trustedClient = ca.issue('operator')
const rogueClient = rogueCa.issue('intruder')

/** GET over HTTPS with an optional client certificate: the status, or the error that ended the connection. */
function get(port: number, path: string, cert?: IssuedCertificate): Promise<number | Error> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: 'localhost',
        ca: readFileSync(ca.caFile),
        agent: false,
        ...(cert ? { key: readFileSync(cert.keyFile), cert: readFileSync(cert.certFile) } : {}),
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', resolve)
  })
}

async function started(clientAuth: string): Promise<{ server: RestServer; port: number }> {
  const server = testServer(new InMemoryHerder(), {
    listeners: 'https://127.0.0.1:0',
    'listeners.https.ssl.keystore.location': serverCert.p12File,
    'listeners.https.ssl.keystore.password': serverCert.password,
    'listeners.https.ssl.keystore.type': 'PKCS12',
    'listeners.https.ssl.truststore.location': ca.caFile,
    'listeners.https.ssl.truststore.type': 'PEM',
    'listeners.https.ssl.client.auth': clientAuth,
  })
  await server.start()
  return { server, port: server.boundListeners()[0]?.port as number }
}

describe('ssl.client.auth=required', () => {
  let listener: { server: RestServer; port: number }
  before(async () => {
    listener = await started('required')
  })
  after(() => listener.server.stop(0))

  test('a client with a certificate the truststore trusts is served', async () => {
    assert.equal(await get(listener.port, '/connectors', trustedClient), 200)
  })

  test('a client without a certificate is refused in the handshake', async () => {
    assert.ok((await get(listener.port, '/connectors')) instanceof Error)
  })

  test('a client with a certificate of another CA is refused in the handshake', async () => {
    assert.ok((await get(listener.port, '/connectors', rogueClient)) instanceof Error)
  })
})

describe('ssl.client.auth=requested', () => {
  let listener: { server: RestServer; port: number }
  before(async () => {
    listener = await started('requested')
  })
  after(() => listener.server.stop(0))

  test('a client without a certificate is served', async () => {
    assert.equal(await get(listener.port, '/connectors'), 200)
  })

  test('a client with a trusted certificate is served', async () => {
    assert.equal(await get(listener.port, '/connectors', trustedClient), 200)
  })

  test('a client that presents an untrusted certificate is refused, as Java refuses it', async () => {
    assert.ok((await get(listener.port, '/connectors', rogueClient)) instanceof Error)
  })
})
