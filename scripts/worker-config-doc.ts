/**
 * Writes docs/worker-config.md from the worker's ConfigDef and the standalone keys (test/unit/config/connect/worker-config.test.ts
 * fails when the committed file drifts from them).
 */
import { writeFileSync } from 'node:fs'
import { workerConfigDocs } from '../src/config/connect/standalone-config.ts'

writeFileSync(new URL('../docs/worker-config.md', import.meta.url), workerConfigDocs())
