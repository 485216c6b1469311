/**
 * Inter-worker request signing (KIP-507), byte-compatible with Java workers.
 *
 * Under the sessioned protocol, internal requests (task configs sent to the leader, zombie fencing) carry
 * `X-Connect-Authorization`: base64 of HMAC(session key, exact request body bytes), and
 * `X-Connect-Request-Signature-Algorithm`: the JCA name of the MAC, e.g. HmacSHA256. A request without a body is
 * signed over empty input (Java's Mac treats a null body as empty).
 *
 * Verification answers as Java's DistributedHerder does: missing headers or an unusable algorithm → 400, no
 * session key read yet → 503, a wrong MAC → 403.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { InternalRequestSecurity, SessionKey } from '../herder/herder.ts'
import { RestError } from './errors.ts'

/** The header with the base64 MAC. */
export const SIGNATURE_HEADER = 'X-Connect-Authorization'
/** The header with the MAC's JCA algorithm name. */
export const SIGNATURE_ALGORITHM_HEADER = 'X-Connect-Request-Signature-Algorithm'

/**
 * Node's digest name for a JCA Mac algorithm name (case-insensitive, as JCA lookups are), or undefined when Node
 * has no such HMAC: HmacSHA256 → sha256, HmacSHA512/256 → sha512-256, HmacSHA3-256 → sha3-256, HmacMD5 → md5.
 */
export function hmacDigest(algorithm: string): string | undefined {
  const match =
    /^hmac(md5|sha1|sha224|sha256|sha384|sha512|sha512\/224|sha512\/256|sha3-224|sha3-256|sha3-384|sha3-512)$/i.exec(
      algorithm,
    )
  return match?.[1]?.toLowerCase().replace('/', '-')
}

/** The MAC of a body under a session key. */
function mac(digest: string, key: Uint8Array, body: Uint8Array): Buffer {
  return createHmac(digest, key).update(body).digest()
}

/** The two signature headers for a body signed with `key` by `algorithm`. */
export function signatureHeaders(body: Uint8Array, key: SessionKey, algorithm: string): Record<string, string> {
  const digest = hmacDigest(algorithm)
  if (digest === undefined) throw new RestError(500, `Algorithm ${algorithm} not available`)
  return {
    [SIGNATURE_HEADER]: mac(digest, key.key, body).toString('base64'),
    [SIGNATURE_ALGORITHM_HEADER]: algorithm,
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * Checks an internal request's signature against the herder's current session key; throws a RestError with Java's
 * status and message when the request must be refused. Does nothing when signing is not required.
 */
export function verifySignature(
  header: (name: string) => string | undefined,
  body: Uint8Array,
  security: InternalRequestSecurity,
): void {
  if (!security.required) return
  const algorithm = header(SIGNATURE_ALGORITHM_HEADER)
  const encoded = header(SIGNATURE_HEADER)
  if (algorithm === undefined || encoded === undefined) {
    throw new RestError(400, 'Internal request missing required signature')
  }
  const digest = hmacDigest(algorithm)
  if (digest === undefined) throw new RestError(400, `Algorithm ${algorithm} not available`)
  if (!BASE64.test(encoded)) throw new RestError(400, 'Internal request signature is not valid base64')
  if (!security.verificationAlgorithms.includes(algorithm)) {
    throw new RestError(
      400,
      `This worker does not support the '${algorithm}' key signing algorithm used by other workers. ` +
        `This worker is currently configured to use: [${security.verificationAlgorithms.join(', ')}]. ` +
        "Check that all workers' configuration files permit the same set of signature algorithms, " +
        'and correct any misconfigured worker and restart it.',
    )
  }
  if (security.sessionKey === undefined) {
    throw new RestError(
      503,
      'This worker is still starting up and has not been able to read a session key from the config topic yet',
    )
  }
  const expected = mac(digest, security.sessionKey.key, body)
  const given = Buffer.from(encoded, 'base64')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new RestError(403, 'Internal request contained invalid signature.')
  }
}
