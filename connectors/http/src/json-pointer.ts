/**
 * JSON Pointer (RFC 6901): `/items/0/id` walks object members and array indexes; `~1` is `/` and `~0` is `~`;
 * the empty pointer and `/` alone name the whole document (castorm's default `/`).
 */

/** The value the pointer names, or undefined when the path does not exist. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return document
  if (!pointer.startsWith('/')) throw new SyntaxError(`a JSON pointer starts with '/': ${pointer}`)
  let current = document
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(token)) return undefined
      current = current[Number(token)]
    } else if (current !== null && typeof current === 'object') {
      if (!Object.hasOwn(current, token)) return undefined
      current = (current as Record<string, unknown>)[token]
    } else {
      return undefined
    }
  }
  return current
}

/** Parses castorm's `name=/pointer, name=/pointer` list into pairs. */
export function parsePointerMap(text: string): [string, string][] {
  const pairs: [string, string][] = []
  for (const part of text.split(',')) {
    const item = part.trim()
    if (item === '') continue
    const at = item.indexOf('=')
    if (at <= 0) throw new SyntaxError(`expected name=/pointer, found '${item}'`)
    pairs.push([item.slice(0, at).trim(), item.slice(at + 1).trim()])
  }
  return pairs
}
