/**
 * `response.http.headers.config`: headers added to every REST response, as Jetty's HeaderFilter does in Java
 * Connect. Rules are comma-separated (a rule with a comma in it is double-quoted), each `[action] [name]:[value]`:
 * `set` replaces, `add` appends, `setDate` and `addDate` take milliseconds from now and write an HTTP date.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ConfigError } from '../errors.ts'

const KEY = 'response.http.headers.config'

/** One parsed rule. */
export interface HeaderRule {
  action: 'set' | 'add' | 'setDate' | 'addDate'
  name: string
  value: string
}

/**
 * Parses the key's value, with Java's validation messages.
 * @throws ConfigError naming response.http.headers.config
 */
export function parseHeaderRules(config: string): HeaderRule[] {
  if (config.trim() === '') return []
  return csvSplit(config).map((rule) => {
    const tokens = rule.trim().split(/\s+/)
    const action = tokens.shift()
    const header = tokens.join(' ')
    if (action === undefined || header === '') {
      throw new ConfigError(
        `Invalid format of header config '${rule}'. Expected: '[action] [header name]:[header value]'`,
        KEY,
      )
    }
    const canonical = (['set', 'add', 'setDate', 'addDate'] as const).find(
      (a) => a.toLowerCase() === action.toLowerCase(),
    )
    if (canonical === undefined) {
      throw new ConfigError(
        `Invalid header config action: '${action}'. Expected one of [set, add, setDate, addDate]`,
        KEY,
      )
    }
    const parts = header.trim().split(':')
    if (parts.length !== 2) {
      throw new ConfigError(
        `Invalid format of header name and header value pair '${header}'. Expected: '[header name]:[header value]'`,
        KEY,
      )
    }
    const name = (parts[0] ?? '').trim()
    if (name === '' || /\s/.test(name)) {
      throw new ConfigError(`Invalid header name '${name}'. The '[header name]' cannot contain whitespace`, KEY)
    }
    return { action: canonical, name, value: (parts[1] ?? '').trim() }
  })
}

/** A fastify onSend hook applying the rules; undefined when there are none. */
export function responseHeadersHook(
  rules: HeaderRule[],
): ((request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>) | undefined {
  if (rules.length === 0) return undefined
  return async (_request, reply, payload) => {
    for (const { action, name, value } of rules) {
      const text = action.endsWith('Date') ? new Date(Date.now() + Number(value)).toUTCString() : value
      const existing = reply.getHeader(name)
      if (action.startsWith('set') || existing === undefined) {
        void reply.header(name, text)
      } else {
        void reply.header(name, [...(Array.isArray(existing) ? existing : [String(existing)]), text])
      }
    }
    return payload
  }
}

/** Splits on commas outside double quotes and drops the quotes (Jetty's StringUtil.csvSplit). */
function csvSplit(value: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (const ch of value) {
    if (ch === '"') quoted = !quoted
    else if (ch === ',' && !quoted) {
      out.push(current)
      current = ''
    } else current += ch
  }
  out.push(current)
  return out.map((s) => s.trim()).filter((s) => s !== '')
}
