/**
 * Where worker properties come from besides the properties file, in increasing precedence:
 *   1. the file named on the command line;
 *   2. environment variables CONNECT_<KEY>, the convention container users know from the Confluent images:
 *      the prefix is dropped, the rest lower-cased, then `___` stands for `-`, `__` for `_` and `_` for `.`
 *      (CONNECT_BOOTSTRAP_SERVERS → bootstrap.servers, CONNECT_CONFIG_STORAGE_TOPIC → config.storage.topic);
 *   3. `--override key=value` arguments, as Java's connect-distributed accepts them.
 */
import { ConfigError } from '../errors.ts'

const ENV_PREFIX = 'CONNECT_'

/** Turns one CONNECT_ environment variable name into the property key it stands for. */
export function envNameToKey(name: string): string {
  return name
    .slice(ENV_PREFIX.length)
    .toLowerCase()
    .replace(/_{1,3}/g, (run) => (run.length === 3 ? '-' : run.length === 2 ? '_' : '.'))
}

/** The worker properties set through CONNECT_* environment variables. */
export function propertiesFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const props: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(ENV_PREFIX) && name.length > ENV_PREFIX.length && value !== undefined) {
      props[envNameToKey(name)] = value
    }
  }
  return props
}

/** The properties of `--override key=value` arguments (also `--override=key=value`). */
export function parseOverrides(args: readonly string[]): Record<string, string> {
  const props: Record<string, string> = {}
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    let pair: string | undefined
    if (arg === '--override') pair = args[++i]
    else if (arg.startsWith('--override=')) pair = arg.slice('--override='.length)
    else continue
    const eq = pair?.indexOf('=') ?? -1
    if (pair === undefined || eq <= 0) {
      throw new ConfigError(`--override needs key=value, got ${pair === undefined ? 'nothing' : `"${pair}"`}`)
    }
    props[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return props
}
