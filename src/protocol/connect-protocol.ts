/**
 * The names and versions of the Connect group's sub-protocols (Java's `ConnectProtocolCompatibility`).
 *
 * Workers join with protocol type "connect" and offer, in preference order, the sub-protocols that their
 * `connect.protocol` allows; the broker picks the first one that every member offers. The chosen name decides the
 * assignor (`default`: eager; the others: incremental cooperative) and the header version of every message.
 */
import { ConfigError } from '../errors.ts'

/** The group protocol type of Connect workers. */
export const CONNECT_PROTOCOL_TYPE = 'connect'

/** The values of the `connect.protocol` worker setting. */
export type ConnectProtocolMode = 'eager' | 'compatible' | 'sessioned'

/** The sub-protocol names sent in JoinGroup. */
export type ConnectSubprotocol = 'default' | 'compatible' | 'sessioned'

/** The header version each sub-protocol writes: 0 eager, 1 cooperative, 2 cooperative with request signing. */
export const SUBPROTOCOL_VERSION: Readonly<Record<ConnectSubprotocol, 0 | 1 | 2>> = {
  default: 0,
  compatible: 1,
  sessioned: 2,
}

const OFFERED: Readonly<Record<ConnectProtocolMode, readonly ConnectSubprotocol[]>> = {
  eager: ['default'],
  compatible: ['compatible', 'default'],
  sessioned: ['sessioned', 'compatible', 'default'],
}

/** The sub-protocols a worker offers in JoinGroup, most preferred first. */
export function offeredSubprotocols(mode: ConnectProtocolMode): readonly ConnectSubprotocol[] {
  return OFFERED[mode]
}

/** Reads `connect.protocol` case-insensitively, as Java does; anything else is a ConfigError. */
export function parseConnectProtocolMode(value: string): ConnectProtocolMode {
  const v = value.trim().toLowerCase()
  if (v === 'eager' || v === 'compatible' || v === 'sessioned') return v
  throw new ConfigError(
    `Invalid value ${value} for configuration connect.protocol: must be one of eager, compatible, sessioned`,
    'connect.protocol',
  )
}

/** The sub-protocol of a name the broker chose; a name this worker never offered is a protocol error. */
export function parseSubprotocol(name: string): ConnectSubprotocol {
  if (name === 'default' || name === 'compatible' || name === 'sessioned') return name
  throw new ConfigError(`Unknown Connect sub-protocol '${name}'`, 'connect.protocol')
}
