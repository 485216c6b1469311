/**
 * Writes docs/worker-config.md from the worker's ConfigDef (test/unit/herder/worker-config.test.ts fails when the
 * committed file drifts from it).
 */
import { writeFileSync } from 'node:fs'
import { workerConfigMarkdown } from '../src/herder/worker-config.ts'

writeFileSync(new URL('../docs/worker-config.md', import.meta.url), workerConfigMarkdown())
