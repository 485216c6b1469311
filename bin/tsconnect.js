#!/usr/bin/env node
// The tsconnect command (a REST client of Connect clusters). In a source checkout it runs src/ directly (Node >= 22.18
// strips TypeScript types of files outside node_modules); an installed tsconnect runs the built package (dist/).
import module from 'node:module'
import { fileURLToPath } from 'node:url'

module.enableCompileCache?.()

const installed = fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules')
const { main } = await import(new URL(installed ? '../dist/ctl/main.js' : '../src/ctl/main.ts', import.meta.url).href)
const controller = new AbortController()
// The first Ctrl-C ends a --watch or --wait cleanly; a second one leaves at once.
process.once('SIGINT', () => {
  controller.abort()
  process.once('SIGINT', () => process.exit(130))
})
const readStdin = async () => {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin,
  signal: controller.signal,
})
