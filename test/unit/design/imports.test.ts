/**
 * The layering of src/ as a test (the habit of Kafka's checkstyle import-control.xml): each folder ("room") may
 * import only the rooms listed for it, and no file imports itself through others. docs/DESIGN.md's layout table
 * states the same rules; change both together.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'

const SRC = resolve(import.meta.dirname, '../../../src')

/** Room → the rooms it may import (its own files always). errors.ts and util/ are the floor. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  util: ['errors'],
  data: ['util', 'errors'],
  config: ['util', 'errors'],
  protocol: ['util', 'errors'],
  kafka: ['util', 'errors'],
  api: ['data', 'config', 'util', 'errors'],
  membership: ['kafka', 'protocol', 'util', 'errors'],
  assignors: ['protocol', 'util', 'errors'],
  stores: ['kafka', 'protocol', 'config', 'util', 'errors'],
  converters: ['api', 'data', 'config', 'util', 'errors'],
  transforms: ['api', 'data', 'config', 'util', 'errors'],
  // The connector kit: what connector packages share beyond api/ (HashMap order, 64-bit offsets, sink destination templates).
  kit: ['api', 'data', 'util', 'errors'],
  connectors: ['api', 'data', 'config', 'kit', 'util', 'errors'],
  plugins: ['api', 'config', 'util', 'errors'],
  // The metrics model and its renderers: groups, attributes, tags; the worker and the herder measure into it.
  metrics: ['util', 'errors'],
  worker: [
    'api',
    'data',
    'config',
    'converters',
    'transforms',
    'plugins',
    'kafka',
    'protocol',
    'membership',
    'assignors',
    'stores',
    'metrics',
    'util',
    'errors',
  ],
  herder: [
    'worker',
    'metrics',
    'membership',
    'assignors',
    'stores',
    'plugins',
    'transforms',
    'kafka',
    'protocol',
    'api',
    'config',
    'util',
    'errors',
  ],
  rest: ['herder', 'config', 'util', 'errors'],
  // The JVM plugin host: Java plugins as ordinary plugins, over a child process (docs/java-plugins.md).
  jvm: ['api', 'data', 'config', 'protocol', 'plugins', 'util', 'errors'],
  // The public surface for connector authors: what they implement and the built-ins they may reuse.
  index: ['api', 'data', 'config', 'kit', 'converters', 'transforms', 'plugins', 'util', 'errors'],
  cli: ['*'],
  // The `tsconnect` command: a REST client, typed by herder/herder.ts's answers, reading connector files as cli/ does
  // (herder/connector-files.ts).
  ctl: ['rest', 'herder', 'util', 'errors'],
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** The room of a file under src/: its top folder, or the file's own name for the files at the top. */
function roomOf(file: string): string {
  const parts = relative(SRC, file).split('/')
  return parts.length === 1 ? (parts[0] ?? '').replace(/\.ts$/, '') : (parts[0] ?? '')
}

/** Every relative import of a file (static, re-export, side-effect and dynamic), resolved to a path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? '')
  return specifiers.map((s) => resolve(dirname(file), s))
}

const graph = new Map(sourceFiles(SRC).map((file) => [file, importsOf(file)]))

test('every room of src/ has a rule', () => {
  const rooms = new Set([...graph.keys()].map(roomOf))
  assert.deepEqual(
    [...rooms].filter((room) => MAY_IMPORT[room] === undefined),
    [],
  )
})

test('imports between rooms follow the allowed pairs', () => {
  const breaks: string[] = []
  for (const [file, imports] of graph) {
    const from = roomOf(file)
    const allowed = MAY_IMPORT[from] ?? []
    for (const target of imports) {
      const to = roomOf(target)
      if (to !== from && !allowed.includes('*') && !allowed.includes(to)) {
        breaks.push(`${relative(SRC, file)} → ${relative(SRC, target)} (${from} may not import ${to})`)
      }
    }
  }
  assert.deepEqual(breaks, [])
})

test('nothing imports cli/', () => {
  const breaks = [...graph].flatMap(([file, imports]) =>
    roomOf(file) === 'cli'
      ? []
      : imports
          .filter((target) => roomOf(target) === 'cli')
          .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
  )
  assert.deepEqual(breaks, [])
})

test('no file imports itself through other files', () => {
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    path.push(file)
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue
      if (state.get(target) === 'open') {
        cycles.push([...path.slice(path.indexOf(target)), target].map((f) => relative(SRC, f)).join(' → '))
      } else if (state.get(target) === undefined) {
        visit(target)
      }
    }
    path.pop()
    state.set(file, 'done')
  }
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file)
  assert.deepEqual(cycles, [])
})

test('every relative import names a file that exists', () => {
  const missing = [...graph].flatMap(([file, imports]) =>
    imports.filter((target) => !graph.has(target)).map((target) => `${relative(SRC, file)} → ${target}`),
  )
  assert.deepEqual(missing, [])
})
