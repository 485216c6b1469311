/**
 * YAML output of JSON values (`-o yaml`): block style, two-space indents, strings quoted only where a plain scalar
 * would read back as something else. Written here rather than taken from a library because the CLI only writes
 * YAML, and JSON's double-quoted strings are valid YAML, which makes a writer a few lines.
 */

const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i
const NUMBER_LIKE = /^[-+]?(\.?\d|0x|0o|\.inf|\.nan)/i
const PLAIN = /^[A-Za-z0-9_./$][^:#\n\r\t"'`{}[\],&*!|>%@]*$/

/** The YAML document of a JSON value, ending with a newline. */
export function toYaml(value: unknown): string {
  return `${lines(value, '').join('\n')}\n`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const present = (entries: [string, unknown][]) => entries.filter(([, v]) => v !== undefined)

function isNested(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0
  return isObject(value) && present(Object.entries(value)).length > 0
}

function lines(value: unknown, pad: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`]
    return value.flatMap((item) => {
      if (!isNested(item)) return [`${pad}- ${scalar(item)}`]
      // The first line of a nested item shares the dash's line: "- key: value".
      const [first = '', ...rest] = lines(item, `${pad}  `)
      return [`${pad}- ${first.slice(pad.length + 2)}`, ...rest]
    })
  }
  if (isObject(value)) {
    const entries = present(Object.entries(value))
    if (entries.length === 0) return [`${pad}{}`]
    return entries.flatMap(([k, v]) =>
      isNested(v) ? [`${pad}${scalar(k)}:`, ...lines(v, `${pad}  `)] : [`${pad}${scalar(k)}: ${scalar(v)}`],
    )
  }
  return [`${pad}${scalar(value)}`]
}

/** A scalar as YAML: plain when it reads back as the same string, JSON-quoted otherwise. */
function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (Array.isArray(value)) return '[]'
  if (isObject(value)) return '{}'
  const text = String(value)
  const plain = PLAIN.test(text) && !RESERVED.test(text) && !NUMBER_LIKE.test(text) && text.trimEnd() === text
  return plain ? text : JSON.stringify(text)
}
