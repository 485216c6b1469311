/**
 * Java's .properties format (java.util.Properties.load), which worker.properties and connector .properties files
 * are written in. Users copy these files from Java Connect, so every rule of the format is honoured:
 *
 *   file      = { line }
 *   line      = blank | comment | entry            leading whitespace is ignored on every natural line
 *   comment   = ('#' | '!') rest-of-line
 *   entry     = key [sep] value
 *   key       = chars up to the first unescaped '=', ':' or whitespace
 *   sep       = optional whitespace, then at most one '=' or ':', then optional whitespace
 *   value     = the rest of the logical line, trailing whitespace kept
 *   logical line: a natural line ending in an odd number of backslashes continues on the next natural line,
 *                 whose leading whitespace is dropped
 *   escapes   = \t \n \r \f, \uXXXX, and '\' before any other character stands for that character
 *
 * A later duplicate key replaces the earlier one, as in Java.
 */

function isWhitespace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\f'
}

/** Splits text into logical lines: continuation lines joined, comments and blank lines dropped. */
function logicalLines(text: string): string[] {
  const natural = text.split(/\r\n|\r|\n/)
  const lines: string[] = []
  let current: string | undefined
  for (const raw of natural) {
    let line = raw
    let start = 0
    while (isWhitespace(line[start])) start++
    line = line.slice(start)
    if (current === undefined) {
      if (line === '' || line[0] === '#' || line[0] === '!') continue
      current = ''
    }
    let backslashes = 0
    for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++
    if (backslashes % 2 === 1) {
      current += line.slice(0, -1)
      continue
    }
    lines.push(current + line)
    current = undefined
  }
  if (current !== undefined) lines.push(current)
  return lines
}

function unescapeJava(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch !== '\\') {
      out += ch
      continue
    }
    const next = text[++i]
    if (next === undefined) break
    if (next === 't') out += '\t'
    else if (next === 'n') out += '\n'
    else if (next === 'r') out += '\r'
    else if (next === 'f') out += '\f'
    else if (next === 'u') {
      const hex = text.slice(i + 1, i + 5)
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError(`Malformed \\uxxxx encoding: \\u${hex}`)
      out += String.fromCharCode(Number.parseInt(hex, 16))
      i += 4
    } else out += next
  }
  return out
}

/** Parses the text of a .properties file into its entries, in file order. */
export function parseProperties(text: string): Map<string, string> {
  const entries = new Map<string, string>()
  for (const line of logicalLines(text)) {
    let i = 0
    while (i < line.length) {
      const ch = line[i]
      if (ch === '\\') {
        i += 2
        continue
      }
      if (ch === '=' || ch === ':' || isWhitespace(ch)) break
      i++
    }
    const key = line.slice(0, i)
    while (isWhitespace(line[i])) i++
    if (line[i] === '=' || line[i] === ':') i++
    while (isWhitespace(line[i])) i++
    entries.set(unescapeJava(key), unescapeJava(line.slice(i)))
  }
  return entries
}

/** Parses a .properties text into a plain object (later duplicates win). */
export function parsePropertiesObject(text: string): Record<string, string> {
  return Object.fromEntries(parseProperties(text))
}
