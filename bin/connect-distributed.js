#!/usr/bin/env node
// The connect-distributed command. In a source checkout it runs src/ directly (Node >= 22.18 strips TypeScript
// types of files outside node_modules). An installed tsconnect lives under node_modules, where Node refuses to strip
// types, so there it runs the built package (dist/, from `npm run build` before publishing).
// `npx connect-distributed` finds the project's own Node first on PATH (node_modules/.bin/node, Node 24).
import module from 'node:module'
import { fileURLToPath } from 'node:url'

// V8's compiled code cached on disk (in the OS temp folder unless NODE_COMPILE_CACHE says where) takes a few hundred
// ms off every start after the first, most of it in the Kafka client's modules.
module.enableCompileCache?.()

const installed = fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules')
const cli = (module) =>
  new URL(installed ? `../dist/cli/${module}.js` : `../src/cli/${module}.ts`, import.meta.url).href
// Before the worker's modules load: their loading would grow V8's young generation for good (startup-heap.ts).
const { holdYoungGeneration } = await import(cli('startup-heap'))
holdYoungGeneration()
const { main } = await import(cli('connect-distributed'))
process.exitCode = await main(process.argv.slice(2))
