/**
 * Java regular expressions on JavaScript's engine, for RegexRouter and TopicNameMatches. The two syntaxes agree on
 * what topic patterns use (classes, groups, named groups, quantifiers, anchors); Java's leading inline flags such as
 * `(?i)` become RegExp flags, and `\Q...\E` quoting is expanded. Possessive quantifiers and atomic groups have no
 * JavaScript form and fail to compile, which the validators report as an invalid regex.
 *
 * Java's Matcher.replaceFirst replacement syntax is applied by javaReplacement: `$n` and `${name}` insert groups,
 * a backslash takes the next character literally.
 */

const INLINE_FLAGS = /^\(\?([imsux]+)\)/

function expandQuoting(source: string): string {
  return source.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, quoted: string) =>
    quoted.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
  )
}

/** A RegExp for a Java pattern, optionally anchored to match the whole input (Java's Matcher.matches). */
export function compileJavaRegex(pattern: string, wholeInput = false): RegExp {
  let source = expandQuoting(pattern)
  let flags = 'u'
  const inline = INLINE_FLAGS.exec(source)
  if (inline !== null) {
    source = source.slice(inline[0].length)
    for (const f of inline[1] as string) {
      if (f === 'i' || f === 'm' || f === 's') flags += f
    }
  }
  // Java accepts `\` before characters that need no escaping, which the u flag refuses; retry without it.
  const body = wholeInput ? `^(?:${source})$` : source
  try {
    return new RegExp(body, flags)
  } catch {
    return new RegExp(body, flags.replace('u', ''))
  }
}

/** Java's replacement string applied to one match (Matcher.appendReplacement rules). */
export function javaReplacement(replacement: string, match: RegExpExecArray): string {
  let out = ''
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string
    if (c === '\\') {
      i++
      if (i >= replacement.length) throw new Error('character to be escaped is missing')
      out += replacement[i]
    } else if (c === '$') {
      i++
      if (i >= replacement.length) throw new Error('Illegal group reference: group index is missing')
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i)
        if (end < 0) throw new Error("named capturing group is missing trailing '}'")
        const name = replacement.slice(i + 1, end)
        const groups = match.groups ?? {}
        if (!Object.hasOwn(groups, name)) throw new Error(`No group with name {${name}}`)
        out += groups[name] ?? ''
        i = end
      } else {
        let digits = replacement[i] as string
        if (!/\d/.test(digits)) throw new Error('Illegal group reference')
        // Java takes further digits while the number stays a valid group index.
        while (i + 1 < replacement.length && /\d/.test(replacement[i + 1] as string)) {
          const next = digits + replacement[i + 1]
          if (Number(next) >= match.length) break
          digits = next
          i++
        }
        const group = Number(digits)
        if (group >= match.length) throw new Error(`No group ${group}`)
        out += match[group] ?? ''
      }
    } else {
      out += c
    }
  }
  return out
}
