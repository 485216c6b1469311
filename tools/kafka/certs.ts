/**
 * A private certificate authority for tests and the secured local Kafka, made with the machine's openssl: a CA
 * certificate, and certificates it signs for brokers, workers and clients, each as the files both sides read
 * (PEM key and certificate, a PEM keystore of both, a PKCS12 keystore for the JVM).
 *
 * Elliptic-curve keys (P-256): generating them takes milliseconds where RSA takes a noticeable part of a second on a
 * loaded machine, and Java's and Node's TLS both accept them.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The files of one certificate the CA issued. */
export interface IssuedCertificate {
  /** The subject's common name, which Kafka's default principal builder turns into `User:CN=<name>`. */
  name: string
  /** PEM private key (PKCS#8, unencrypted). */
  keyFile: string
  /** PEM certificate, followed by the CA's. */
  certFile: string
  /** PEM keystore: the key, then the certificate chain (tsconnect's and Kafka's PEM keystore type). */
  pemKeystoreFile: string
  /** PKCS12 keystore with the key and chain, protected by `password`. */
  p12File: string
  password: string
}

/** A CA whose certificate is the truststore of everyone that trusts it. */
export interface CertificateAuthority {
  /** PEM truststore: the CA certificate. */
  caFile: string
  /** Issues a certificate for `name`, valid for localhost and 127.0.0.1 as server and client. */
  issue(name: string): IssuedCertificate
}

const DAYS = '3650'

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** Makes a new CA in `dir` (created when missing); `subject` names it. */
export function createCertificateAuthority(dir: string, subject = 'tsconnect-test-ca'): CertificateAuthority {
  mkdirSync(dir, { recursive: true })
  const caFile = join(dir, 'ca.pem')
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      caFile,
      '-days',
      DAYS,
      '-subj',
      `/CN=${subject}`,
    ],
    dir,
  )
  return { caFile, issue: (name) => issueCertificate(dir, name) }
}

/**
 * Issues a certificate for `name` with the CA that createCertificateAuthority made in `dir`, valid for localhost and
 * 127.0.0.1 as server and client.
 */
export function issueCertificate(dir: string, name: string): IssuedCertificate {
  const caFile = join(dir, 'ca.pem')
  const caKey = join(dir, 'ca.key')
  const base = join(dir, name)
  const keyFile = `${base}.key`
  const csr = `${base}.csr`
  const leaf = `${base}.leaf.pem`
  const ext = `${base}.ext`
  writeFileSync(
    ext,
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n',
  )
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      csr,
      '-subj',
      `/CN=${name}`,
    ],
    dir,
  )
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caFile,
      '-CAkey',
      caKey,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      DAYS,
      '-extfile',
      ext,
      '-out',
      leaf,
    ],
    dir,
  )
  const certFile = `${base}.pem`
  writeFileSync(certFile, readFileSync(leaf, 'utf8') + readFileSync(caFile, 'utf8'))
  const pemKeystoreFile = `${base}.keystore.pem`
  writeFileSync(pemKeystoreFile, readFileSync(keyFile, 'utf8') + readFileSync(certFile, 'utf8'))
  const password = `${name}-store-secret`
  const p12File = `${base}.p12`
  openssl(
    [
      'pkcs12',
      '-export',
      '-inkey',
      keyFile,
      '-in',
      certFile,
      '-name',
      name,
      '-out',
      p12File,
      '-passout',
      `pass:${password}`,
    ],
    dir,
  )
  return { name, keyFile, certFile, pemKeystoreFile, p12File, password }
}
