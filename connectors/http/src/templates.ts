/**
 * Placeholders in URLs: `${topic}`, `${partition}`, `${offset}` and `${key}` of a sink record (Confluent's
 * `http.api.url` takes `${topic}` and `${key}`), and `${offset.<field>}` of a polling source's offset. In a URL
 * each value is percent-encoded, so a key with `/` or `?` stays one path segment.
 */

const PLACEHOLDER = /\$\{([A-Za-z0-9_.-]+)\}/g

/** Replaces each `${name}` by `values[name]`; a name without a value is left as written. */
export function expand(template: string, values: Readonly<Record<string, string>>, encode = false): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name]
    if (value === undefined) return whole
    return encode ? encodeURIComponent(value) : value
  })
}

/** The names a template uses. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string)
}
