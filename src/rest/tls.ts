/**
 * HTTPS for the REST API from Java's ssl.* worker keys, read the way Java's SSLUtils reads them: when any key with
 * the listener prefix (`listeners.https.`, or `admin.listeners.https.` for admin listeners) is set, only the
 * prefixed keys count; otherwise the plain `ssl.*` keys do.
 *
 * Supported:
 * - keystores of type PKCS12, or PEM (a file with the private key and certificate chain, or the inline
 *   ssl.keystore.key and ssl.keystore.certificate.chain); ssl.keystore.password, ssl.key.password (encrypted PEM keys);
 * - truststores of type PEM (a file of CA certificates, or inline ssl.truststore.certificates), used to check
 *   client certificates and, by the forwarding client, other workers;
 * - ssl.client.auth (none, requested, required), ssl.enabled.protocols (TLSv1.2, TLSv1.3), ssl.cipher.suites (in
 *   OpenSSL's names), ssl.endpoint.identification.algorithm (empty turns hostname checks off for the client).
 * Not supported, with a ConfigError saying how to convert: JKS and JCEKS stores, PKCS12 truststores (Node cannot
 * read trust-only PKCS12). JVM-only keys (ssl.provider, ssl.keymanager.algorithm, ...) are ignored.
 */
import { readFileSync } from 'node:fs'
import type { SecureVersion } from 'node:tls'
import { ConfigError } from '../errors.ts'
import type { ClientTlsOptions } from './client.ts'

/** The ssl.* settings that apply to one kind of listener. */
export interface SslSettings {
  /** Values by key without prefix, e.g. `ssl.keystore.location`. */
  values: Record<string, string>
  /** The prefix the values were written with ('' or e.g. `listeners.https.`), to name keys in errors. */
  keyPrefix: string
}

/** Options for node's https.createServer. */
export interface ServerTlsOptions {
  key?: string[]
  cert?: string[]
  pfx?: Buffer
  passphrase?: string
  ca?: string[]
  requestCert: boolean
  rejectUnauthorized: boolean
  minVersion?: SecureVersion
  maxVersion?: SecureVersion
  ciphers?: string
}

/** The ssl.* settings for a listener prefix, prefixed keys winning all or nothing (Java's valuesWithPrefixAllOrNothing). */
export function sslSettings(props: Record<string, string>, prefix: string): SslSettings {
  const prefixed = Object.keys(props).filter((k) => k.startsWith(prefix))
  const values: Record<string, string> = {}
  if (prefixed.length > 0) {
    for (const k of prefixed) values[k.slice(prefix.length)] = props[k] as string
    return { values, keyPrefix: prefix }
  }
  for (const [k, v] of Object.entries(props)) if (k.startsWith('ssl.')) values[k] = v
  return { values, keyPrefix: '' }
}

/**
 * Server options for an HTTPS listener.
 * @throws ConfigError naming the key at fault (keyPrefix + key) when no keystore is set or a store cannot be used
 */
export function serverTlsOptions({ values: settings, keyPrefix }: SslSettings): ServerTlsOptions {
  const options: ServerTlsOptions = { requestCert: false, rejectUnauthorized: false, ...protocols(settings, keyPrefix) }
  Object.assign(options, keystore(settings, keyPrefix, true))
  const ca = truststore(settings, keyPrefix)
  if (ca) options.ca = ca
  const clientAuth = (settings['ssl.client.auth'] ?? 'none').toLowerCase()
  if (clientAuth === 'required' || clientAuth === 'requested') {
    options.requestCert = true
    options.rejectUnauthorized = clientAuth === 'required'
  } else if (clientAuth !== 'none') {
    throw new ConfigError(
      `Invalid value ${clientAuth} for configuration ${keyPrefix}ssl.client.auth: String must be one of: required, requested, none`,
      `${keyPrefix}ssl.client.auth`,
    )
  }
  return options
}

/** Client options for forwarding to https:// workers (truststore, client certificate, hostname checking). */
export function clientTlsOptions({ values: settings, keyPrefix }: SslSettings): ClientTlsOptions {
  const options: ClientTlsOptions = { ...protocols(settings, keyPrefix), ...keystore(settings, keyPrefix, false) }
  const ca = truststore(settings, keyPrefix)
  if (ca) options.ca = ca
  if (settings['ssl.endpoint.identification.algorithm'] === '') options.checkServerIdentity = () => undefined
  return options
}

const TLS_VERSIONS: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']

function protocols(
  settings: Record<string, string>,
  keyPrefix: string,
): Pick<ServerTlsOptions, 'minVersion' | 'maxVersion' | 'ciphers'> {
  const out: Pick<ServerTlsOptions, 'minVersion' | 'maxVersion' | 'ciphers'> = {}
  const enabled = list(settings['ssl.enabled.protocols'])
  if (enabled.length > 0) {
    const indexes = enabled.map((p) => {
      const i = TLS_VERSIONS.indexOf(p as SecureVersion)
      if (i < 0) throw new ConfigError(`Unsupported TLS protocol ${p}`, `${keyPrefix}ssl.enabled.protocols`)
      return i
    })
    out.minVersion = TLS_VERSIONS[Math.min(...indexes)]
    out.maxVersion = TLS_VERSIONS[Math.max(...indexes)]
  }
  const ciphers = list(settings['ssl.cipher.suites'])
  if (ciphers.length > 0) out.ciphers = ciphers.join(':')
  return out
}

function keystore(
  settings: Record<string, string>,
  keyPrefix: string,
  required: boolean,
): Pick<ServerTlsOptions, 'key' | 'cert' | 'pfx' | 'passphrase'> {
  const location = settings['ssl.keystore.location']
  const inlineKey = settings['ssl.keystore.key']
  const inlineChain = settings['ssl.keystore.certificate.chain']
  const keyPassword = settings['ssl.key.password']
  if (inlineKey && inlineChain) {
    return {
      key: [inlineKey],
      cert: pemBlocks(inlineChain, 'CERTIFICATE'),
      ...(keyPassword ? { passphrase: keyPassword } : {}),
    }
  }
  if (!location) {
    if (!required) return {}
    throw new ConfigError(
      `An HTTPS listener needs a keystore: set ${keyPrefix}ssl.keystore.location (PKCS12 or PEM)`,
      `${keyPrefix}ssl.keystore.location`,
    )
  }
  const bytes = readStore(location, `${keyPrefix}ssl.keystore.location`)
  const kind = storeKind(bytes, settings['ssl.keystore.type'], `${keyPrefix}ssl.keystore`)
  if (kind === 'PEM') {
    const text = bytes.toString('utf8')
    const key = pemBlocks(text, 'PRIVATE KEY')
    const cert = pemBlocks(text, 'CERTIFICATE')
    if (key.length === 0 || cert.length === 0) {
      throw new ConfigError(
        `The PEM keystore ${location} must hold a private key and its certificate chain`,
        `${keyPrefix}ssl.keystore.location`,
      )
    }
    return { key, cert, ...(keyPassword ? { passphrase: keyPassword } : {}) }
  }
  const password = settings['ssl.keystore.password'] ?? keyPassword
  return { pfx: bytes, ...(password ? { passphrase: password } : {}) }
}

function truststore(settings: Record<string, string>, keyPrefix: string): string[] | undefined {
  const inline = settings['ssl.truststore.certificates']
  if (inline) return pemBlocks(inline, 'CERTIFICATE')
  const location = settings['ssl.truststore.location']
  if (!location) return undefined
  const bytes = readStore(location, `${keyPrefix}ssl.truststore.location`)
  if (storeKind(bytes, settings['ssl.truststore.type'], `${keyPrefix}ssl.truststore`) !== 'PEM') {
    throw new ConfigError(
      `Truststore ${location} is not PEM; tsconnect reads PEM truststores only ` +
        `(convert with: openssl pkcs12 -in ${location} -nokeys -out truststore.pem, then set ssl.truststore.type=PEM)`,
      `${keyPrefix}ssl.truststore.location`,
    )
  }
  return pemBlocks(bytes.toString('utf8'), 'CERTIFICATE')
}

function readStore(location: string, key: string): Buffer {
  try {
    return readFileSync(location)
  } catch (error) {
    throw new ConfigError(`Cannot read ${location}: ${(error as Error).message}`, key, { cause: error })
  }
}

/**
 * What a store file holds, from its bytes rather than its declared type: Java 9+ reads PKCS12 files even when the
 * type says JKS, and JKS (the JVM default type) is the type most configs declare.
 */
function storeKind(bytes: Buffer, declared: string | undefined, keyBase: string): 'PEM' | 'PKCS12' {
  if (bytes.includes('-----BEGIN')) return 'PEM'
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0
  if (magic === 0xfeedfeed || magic === 0xcececece) {
    throw new ConfigError(
      `${declared ?? 'JKS'} stores are not supported; convert to PKCS12 with: keytool -importkeystore ` +
        '-srckeystore store.jks -destkeystore store.p12 -deststoretype PKCS12',
      `${keyBase}.location`,
    )
  }
  return 'PKCS12'
}

function pemBlocks(text: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): string[] {
  const pattern =
    kind === 'CERTIFICATE'
      ? /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g
      : /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g
  return text.match(pattern) ?? []
}

function list(value: string | undefined): string[] {
  return value === undefined || value.trim() === '' ? [] : value.trim().split(/\s*,\s*/)
}
