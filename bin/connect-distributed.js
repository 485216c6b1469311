#!/usr/bin/env node
// The connect-distributed command. It runs the built package (dist/) when there is one: Node refuses to strip
// TypeScript types under node_modules, which is where an installed tsconnect lives. In a source checkout it runs
// src/ directly (Node >= 22.18 strips types of files outside node_modules).
// `npx connect-distributed` finds the project's own Node first on PATH (node_modules/.bin/node, Node 24).
import { existsSync } from 'node:fs'

const built = new URL('../dist/cli/connect-distributed.js', import.meta.url)
const entry = existsSync(built) ? built : new URL('../src/cli/connect-distributed.ts', import.meta.url)
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
