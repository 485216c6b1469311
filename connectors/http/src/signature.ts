/**
 * The webhook source's caller checks: a shared secret sent as a header, or an HMAC of the body (GitHub's
 * `X-Hub-Signature-256: sha256=<hex>` form; a bare hex digest is accepted too). Both compare in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Whether the header holds the shared secret. */
export function secretMatches(header: string | undefined, secret: string): boolean {
  return header !== undefined && same(header, secret)
}

/** Whether the header holds the HMAC of the body with the key, as `<algorithm>=<hex>` or `<hex>`. */
export function hmacMatches(header: string | undefined, body: Buffer, key: string, algorithm: string): boolean {
  if (header === undefined) return false
  const digest = createHmac(algorithm, key).update(body).digest('hex')
  const given = header.includes('=') ? header.slice(header.indexOf('=') + 1) : header
  return same(given.toLowerCase(), digest)
}

/** The header value a caller sends for a body (for tests and for documentation). */
export function hmacHeader(body: Buffer | string, key: string, algorithm: string): string {
  return `${algorithm}=${createHmac(algorithm, key).update(body).digest('hex')}`
}
