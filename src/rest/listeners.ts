/**
 * The `listeners` and `rest.advertised.*` worker keys: where the REST API listens, and the URL other workers and
 * clients are given (it goes into group metadata and becomes the leader URL that requests are forwarded to).
 */
import { lookup } from 'node:dns/promises'
import { hostname, networkInterfaces } from 'node:os'
import { ConfigError } from '../errors.ts'

/** One listener: `protocol://host:port`; an empty host binds every interface, port 0 a free port. */
export interface Listener {
  protocol: 'http' | 'https'
  host: string
  port: number
}

// Java's RestServer.LISTENER_PATTERN, matched against the whole value.
const LISTENER_PATTERN = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/

/**
 * Parses one listener URI as Java does: `HTTP://myhost:8083`, `https://:8443`, `http://[::1]:8083`.
 * @throws ConfigError naming `key` with Java's messages
 */
export function parseListener(value: string, key = 'listeners'): Listener {
  const match = LISTENER_PATTERN.exec(value.trim())
  if (match === null) {
    throw new ConfigError("Listener doesn't have the right format (protocol://hostname:port).", key)
  }
  const protocol = (match[1] ?? '').toLowerCase()
  if (protocol !== 'http' && protocol !== 'https') {
    throw new ConfigError('Listener protocol must be either "http" or "https".', key)
  }
  const port = Number(match[3])
  if (port < 0 || port > 65535) throw new ConfigError(`Invalid port ${port} in listener ${value}`, key)
  return { protocol, host: match[2] ?? '', port }
}

/**
 * Parses a list key of listeners (comma-separated, Java's LIST type).
 * @throws ConfigError when empty (unless `allowEmpty`) or when an entry is blank or malformed
 */
export function parseListeners(value: string, key: string, allowEmpty = false): Listener[] {
  const items = value.trim() === '' ? [] : value.trim().split(/\s*,\s*/)
  if (items.length === 0 && !allowEmpty) {
    throw new ConfigError(
      'Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.',
      key,
    )
  }
  return items.map((item) => {
    if (item.trim() === '') throw new ConfigError(`Empty URL found when parsing ${key} list.`, key)
    return parseListener(item, key)
  })
}

/** What the advertised URL is made of. */
export interface AdvertisedSettings {
  /** The `listeners` value as written, for Java's choice of protocol. */
  rawListeners: string
  /** The listeners, with the ports they actually bound (port 0 resolved). */
  bound: Listener[]
  /** rest.advertised.listener */
  advertisedListener?: string
  /** rest.advertised.host.name */
  advertisedHostName?: string
  /** rest.advertised.port */
  advertisedPort?: number
}

/**
 * The protocol to advertise: rest.advertised.listener, else http when any listener is http://, else https (Java's
 * RestServer.determineAdvertisedProtocol).
 */
export function advertisedProtocol(settings: Pick<AdvertisedSettings, 'rawListeners' | 'advertisedListener'>): string {
  if (settings.advertisedListener) return settings.advertisedListener.toLowerCase()
  const raw = settings.rawListeners.toLowerCase()
  if (raw.includes('http://')) return 'http'
  if (raw.includes('https://')) return 'https'
  return 'http'
}

/**
 * The advertised URL, `scheme://host:port` without a trailing slash: the advertised host and port when set, else
 * the listener's; a listener without a host, or bound to 0.0.0.0 or ::, advertises this machine's address (as Java's
 * InetAddress.getLocalHost).
 */
export async function advertisedUrl(settings: AdvertisedSettings): Promise<string> {
  const protocol = advertisedProtocol(settings)
  const listener = settings.bound.find((l) => l.protocol === protocol)
  // A wildcard bind address is reachable by no other worker (Java advertises it anyway): use this machine's address.
  const listenerHost = listener?.host === '0.0.0.0' || listener?.host === '::' ? '' : listener?.host
  const host = settings.advertisedHostName || listenerHost || (await localAddress())
  const port = settings.advertisedPort ?? listener?.port ?? settings.bound[0]?.port ?? 8083
  return `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** This machine's address: its host name resolved, else its first external IPv4 address, else localhost. */
async function localAddress(): Promise<string> {
  try {
    return (await lookup(hostname(), { family: 4 })).address
  } catch {
    for (const addresses of Object.values(networkInterfaces())) {
      const external = addresses?.find((a) => a.family === 'IPv4' && !a.internal)
      if (external) return external.address
    }
    return 'localhost'
  }
}
