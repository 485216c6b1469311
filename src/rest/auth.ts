/**
 * HTTP basic authentication for the REST API, from an htpasswd-style credentials file (worker key
 * `rest.basic.auth.file`): the tsconnect counterpart of Java's BasicAuthSecurityRestExtension.
 *
 * The file has one `user:secret` line per user (`user=secret` also works, so the properties file of Java's
 * PropertyFileLoginModule can be used as it is); blank lines and lines starting with # or ! are skipped.
 * A secret is one of:
 * - a bcrypt hash (`$2a$`, `$2b$`, `$2y$`, as `htpasswd -B` writes),
 * - `{SHA}` and the base64 SHA-1 of the password (`htpasswd -s`),
 * - the password in plain text (as Java's PropertyFileLoginModule files have it).
 * Not supported: `$apr1$` (htpasswd's default MD5) and crypt(3) hashes; such users are refused, with a warning.
 *
 * Beyond Java, a line may end with roles, as Jetty's PropertyFileLoginModule writes them (`user: secret,role`):
 * `admin` may do everything, `read-only` may only read (GET, HEAD, and validating a config, which changes nothing).
 * A user without a role is an admin, so files without roles keep working as before. Only those two words count as
 * roles, so a plain password that contains a comma stays whole.
 *
 * As in Java, the internal endpoints (POST /connectors/{c}/tasks, PUT /connectors/{c}/fence) are exempt: workers
 * prove themselves with request signatures. A refusal is 401 with `WWW-Authenticate: Basic`.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import bcrypt from 'bcryptjs'
import { ConfigError } from '../errors.ts'
import type { Logger } from '../util/log.ts'
import { RestError } from './errors.ts'

/** What an authenticated user may do: `admin` everything, `read-only` only read. */
export type Role = 'admin' | 'read-only'

/** Checks user names and passwords. */
export interface Credentials {
  /** Whether the password is right for the user. */
  verify(user: string, password: string): Promise<boolean>
  /** The user's role (admin when the file names none); undefined for an unknown user. */
  role?(user: string): Role | undefined
}

/** Java's answer to a request that failed authentication. */
export const UNAUTHORIZED_MESSAGE = 'User cannot access the resource.'

const ROLES: readonly Role[] = ['admin', 'read-only']

/**
 * Parses a credentials file's text.
 * @throws ConfigError for a line without a separator
 */
export function parseCredentials(text: string, log?: Logger): Credentials {
  const users = new Map<string, string>()
  const roles = new Map<string, Role>()
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    const separator = line.search(/[:=]/)
    if (separator <= 0) {
      throw new ConfigError(`Line ${index + 1} of the credentials file is not user:secret`, 'rest.basic.auth.file')
    }
    const user = line.slice(0, separator).trim()
    const { secret, role } = secretAndRole(line.slice(separator + 1))
    roles.set(user, role)
    if (/^\$apr1\$|^\$1\$|^\$5\$|^\$6\$/.test(secret)) {
      log?.warn(
        { user },
        'Unsupported password hash in the credentials file (use bcrypt, {SHA} or plain); user refused',
      )
    }
    users.set(user, secret)
  }
  return {
    async verify(user, password) {
      const secret = users.get(user)
      if (secret === undefined) return false
      if (/^\$2[aby]\$/.test(secret)) return bcrypt.compare(password, secret)
      if (secret.startsWith('{SHA}')) {
        return equal(createHash('sha1').update(password, 'utf8').digest('base64'), secret.slice(5))
      }
      if (/^\$apr1\$|^\$1\$|^\$5\$|^\$6\$/.test(secret)) return false
      return equal(password, secret)
    },
    role: (user) => roles.get(user),
  }
}

/**
 * Splits `secret[,role...]`: trailing segments that are role names are roles, the rest is the secret. Several roles
 * give the most rights among them.
 */
function secretAndRole(text: string): { secret: string; role: Role } {
  const parts = text.split(',')
  const named: Role[] = []
  while (parts.length > 1 && ROLES.includes((parts.at(-1) ?? '').trim().toLowerCase() as Role)) {
    named.push((parts.pop() as string).trim().toLowerCase() as Role)
  }
  const role: Role = named.length === 0 || named.includes('admin') ? 'admin' : 'read-only'
  return { secret: parts.join(',').trim(), role }
}

/**
 * Reads a credentials file.
 * @throws ConfigError naming rest.basic.auth.file when it cannot be read
 */
export function loadCredentials(path: string, log?: Logger): Credentials {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(
      `Cannot read the credentials file ${path}: ${(error as Error).message}`,
      'rest.basic.auth.file',
      {
        cause: error,
      },
    )
  }
  return parseCredentials(text, log)
}

// Java's JaasBasicAuthFilter.INTERNAL_REQUEST_MATCHERS.
const INTERNAL_REQUESTS: Array<[string, RegExp]> = [
  ['POST', /^\/?connectors\/[^/]+\/tasks\/?$/],
  ['PUT', /^\/?connectors\/[^/]+\/fence\/?$/],
]

/** Whether a request is an inter-worker one, which signatures rather than passwords protect. */
export function isInternalRequest(method: string, path: string): boolean {
  return INTERNAL_REQUESTS.some(([m, pattern]) => m === method && pattern.test(path))
}

/**
 * Checks a request's Authorization header; answers the user and role it proves.
 * @throws RestError 401 when it carries no valid basic credentials
 */
export async function authenticate(
  credentials: Credentials,
  authorization: string | undefined,
): Promise<{ user: string; role: Role }> {
  const parsed = basicCredentials(authorization)
  if (parsed === undefined || !(await credentials.verify(parsed.user, parsed.password))) {
    throw new RestError(401, UNAUTHORIZED_MESSAGE)
  }
  return { user: parsed.user, role: credentials.role?.(parsed.user) ?? 'admin' }
}

// Validation is a PUT that changes nothing: read-only users may check configs.
const READ_REQUESTS: Array<[string, RegExp]> = [['PUT', /^\/?connector-plugins\/[^/]+\/config\/validate\/?$/]]

/** Whether a role may make a request: admins anything, read-only users only reads. */
export function mayRequest(role: Role, method: string, path: string): boolean {
  if (role === 'admin' || method === 'GET' || method === 'HEAD') return true
  return READ_REQUESTS.some(([m, pattern]) => m === method && pattern.test(path))
}

/**
 * Checks that an authenticated user's role allows the request.
 * @throws RestError 403 naming the user and role when it does not
 */
export function authorize(user: string, role: Role, method: string, path: string): void {
  if (!mayRequest(role, method, path)) {
    throw new RestError(403, `User ${user} has the role ${role} and may not ${method} ${path}`)
  }
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined
  const space = header.indexOf(' ')
  if (space <= 0 || header.slice(0, space).toLowerCase() !== 'basic') return undefined
  const decoded = Buffer.from(header.slice(space + 1).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return undefined
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}
