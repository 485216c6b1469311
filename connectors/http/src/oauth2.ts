/**
 * OAuth2 client credentials (RFC 6749 §4.4), as Aiven's sink asks for its token: a POST of
 * `grant_type=client_credentials` (and `scope`) to the token URL, the client's id and secret in a Basic
 * Authorization header (`oauth2.client.authorization.mode=HEADER`) or in the form (`URL`). The token is kept until
 * shortly before its `expires_in`, and dropped when the server answers 401.
 */
import { RetriableError } from 'tsconnect'

/** What the token request needs. */
export interface ClientCredentials {
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scope: string | null
  readonly mode: 'HEADER' | 'URL'
  /** The field of the token response that holds the token (Aiven's `oauth2.response.token.property`). */
  readonly tokenProperty: string
  readonly timeoutMs: number
}

/** Fetches and caches the access token. */
export class OAuth2Token {
  readonly #credentials: ClientCredentials
  #token: string | null = null
  #expiresAt = 0

  constructor(credentials: ClientCredentials) {
    this.#credentials = credentials
  }

  /** The current token, fetching one when there is none or it is about to expire. */
  async get(signal: AbortSignal): Promise<string> {
    if (this.#token !== null && Date.now() < this.#expiresAt) return this.#token
    const c = this.#credentials
    const form = new URLSearchParams({ grant_type: 'client_credentials' })
    if (c.scope !== null && c.scope !== '') form.set('scope', c.scope)
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if (c.mode === 'HEADER') {
      headers.authorization = `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`
    } else {
      form.set('client_id', c.clientId)
      form.set('client_secret', c.clientSecret)
    }
    const response = await fetch(c.tokenUrl, {
      method: 'POST',
      headers,
      body: form.toString(),
      signal: AbortSignal.any([signal, AbortSignal.timeout(c.timeoutMs)]),
    })
    const text = await response.text()
    if (!response.ok)
      throw new RetriableError(`the OAuth2 token request answered ${response.status}: ${text.slice(0, 200)}`)
    let token: unknown
    let expiresIn: unknown
    try {
      const body = JSON.parse(text) as Record<string, unknown>
      token = body[c.tokenProperty]
      expiresIn = body.expires_in
    } catch {
      token = undefined
    }
    if (typeof token !== 'string' || token === '') {
      throw new RetriableError(`the OAuth2 token response has no '${c.tokenProperty}'`)
    }
    this.#token = token
    // Renewed a little early, so a request never leaves with a token that expires on the way.
    const lifetimeMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : 3_600_000
    this.#expiresAt = Date.now() + Math.max(lifetimeMs - 30_000, lifetimeMs / 2)
    return token
  }

  /** Forgets the token (the server refused it). */
  invalidate(): void {
    this.#token = null
  }
}
