/**
 * Turns a terminal capture with colours (`tmux capture-pane -e -p`) into an SVG picture of the terminal, for the
 * docs: `node scripts/terminal-svg.ts capture.ansi out.svg "title"`. Knows the SGR codes the CLI writes (bold,
 * dim, the 16 colours, resets); other escape sequences are dropped.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { stripVTControlCharacters } from 'node:util'

const [input, output, title = 'tsconnect'] = process.argv.slice(2)
if (input === undefined || output === undefined) {
  console.error('usage: node scripts/terminal-svg.ts capture.ansi out.svg [title]')
  process.exit(2)
}

const COLOURS: Record<number, string> = {
  30: '#2e3436',
  31: '#e5484d',
  32: '#46a758',
  33: '#d9a400',
  34: '#3e63dd',
  35: '#ab4aba',
  36: '#05a2c2',
  37: '#d3d7cf',
  90: '#8b8d98',
}
const FOREGROUND = '#e6e6e6'
const CHAR_W = 8.4
const LINE_H = 18

interface Style {
  fill: string
  bold: boolean
  dim: boolean
}

const escapeXml = (t: string) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

function apply(style: Style, codes: number[]): Style {
  let next = { ...style }
  for (const code of codes.length === 0 ? [0] : codes) {
    if (code === 0) next = { fill: FOREGROUND, bold: false, dim: false }
    else if (code === 1) next.bold = true
    else if (code === 2) next.dim = true
    else if (code === 22) next = { ...next, bold: false, dim: false }
    else if (code === 39) next.fill = FOREGROUND
    else if (COLOURS[code] !== undefined) next.fill = COLOURS[code]
  }
  return next
}

const lines = readFileSync(input, 'utf8').replace(/\s+$/, '').split('\n')
let style: Style = { fill: FOREGROUND, bold: false, dim: false }
const rows = lines.map((line, i) => {
  const spans: string[] = []
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what this reads
  for (const part of line.split(/(\u001b\[[0-9;?]*[A-Za-z])/)) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: as above
    const sgr = /^\u001b\[([0-9;]*)m$/.exec(part)
    if (sgr)
      style = apply(
        style,
        (sgr[1] ?? '')
          .split(';')
          .filter((c) => c !== '')
          .map(Number),
      )
    else if (part.startsWith('\u001b')) continue
    else if (part !== '') {
      const attrs = [`fill="${style.fill}"`]
      if (style.bold) attrs.push('font-weight="bold"')
      if (style.dim) attrs.push('opacity="0.6"')
      spans.push(`<tspan ${attrs.join(' ')}>${escapeXml(part)}</tspan>`)
    }
  }
  return `<text x="16" y="${48 + i * LINE_H}" xml:space="preserve">${spans.join('')}</text>`
})
const width = Math.ceil(32 + CHAR_W * Math.max(40, ...lines.map((l) => stripVTControlCharacters(l).length)))
const height = 40 + LINE_H * lines.length + 12
writeFileSync(
  output,
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">
<title>${escapeXml(title)}</title>
<rect width="100%" height="100%" rx="8" fill="#1e1f24"/>
<circle cx="18" cy="16" r="5" fill="#e5484d"/><circle cx="34" cy="16" r="5" fill="#d9a400"/><circle cx="50" cy="16" r="5" fill="#46a758"/>
<text x="${width / 2}" y="20" fill="#8b8d98" text-anchor="middle" font-size="12">${escapeXml(title)}</text>
${rows.join('\n')}
</svg>
`,
)
