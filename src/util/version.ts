/**
 * The tsconnect version, read from package.json at run time so that it never drifts from the release. The same
 * relative path works from src/ (running the TypeScript) and from dist/ (the built package).
 */
import { createRequire } from 'node:module'

const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown }

/** The version of this tsconnect package, e.g. "0.1.0". */
export const TSCONNECT_VERSION: string = typeof pkg.version === 'string' ? pkg.version : 'unknown'

/**
 * The Connect API level tsconnect implements: the Kafka version of the jars its compatibility tests run against.
 * GET / reports it as `version`, because Connect clients read that field as the Connect version they talk to
 * (kcctl, for one, turns off offsets support below 3.5 and deletion below 3.6).
 */
export const CONNECT_API_VERSION = '4.3.1'

/** GET /'s `commit`: Java's is a git hash; tsconnect's names the package and its version, e.g. "tsconnect-0.1.0". */
export const TSCONNECT_COMMIT = `tsconnect-${TSCONNECT_VERSION}`
