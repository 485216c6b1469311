/**
 * Connector and task configs may hold null values (a ConfigMap as stored); connectors, tasks, converters and
 * clients get plain string maps, as Java hands them a Map<String, String>.
 */

/** The entries of `config` whose value is not null. */
export function withoutNulls(config: Readonly<Record<string, string | null>> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (config === undefined) return out
  for (const [k, v] of Object.entries(config)) if (v !== null) out[k] = v
  return out
}
