/**
 * The tsconnect version, read from package.json at run time so that it never drifts from the release. The same
 * relative path works from src/ (running the TypeScript) and from dist/ (the built package).
 */
import { createRequire } from 'node:module'

const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown }

/** The version of this tsconnect package, e.g. "0.1.0". */
export const TSCONNECT_VERSION: string = typeof pkg.version === 'string' ? pkg.version : 'unknown'
