/**
 * The transformation chain of a connector (Java's TransformationChain and ConnectorConfig.transformationStages):
 * built from the connector's config (`transforms=a,b`, `transforms.a.type`, `transforms.a.<key>`,
 * `transforms.a.predicate`, `transforms.a.negate`, `predicates=p`, `predicates.p.type`, `predicates.p.<key>`),
 * applied stage by stage in the listed order; a stage returning null drops the record and ends the chain.
 *
 * Error handling belongs to the worker: it passes a StageRunner that wraps each stage the way Java's
 * RetryWithToleranceOperator wraps each transformation (stage TRANSFORMATION, the transform's class name for the
 * DLQ headers), retrying or tolerating failures and returning null for a record it skips. Without a runner, a
 * failing stage throws a TransformationError naming the stage, with the transform's error as its cause.
 */
import type { ConnectRecord } from '../api/records.ts'
import type { Predicate, Transformation } from '../api/transformation.ts'
import { AbstractConfig } from '../config/abstract-config.ts'
import { ConfigDef, type RawConfig } from '../config/config-def.ts'
import {
  NEGATE_CONFIG,
  PREDICATE_CONFIG,
  PREDICATES_CONFIG,
  predicatesConfigKey,
  TRANSFORMS_CONFIG,
  TYPE_CONFIG,
  transformsConfigKey,
} from '../config/connect/transform-keys.ts'
import { ConfigError, ConnectError } from '../errors.ts'
import { aliasesOf, enrichConnectorConfigDef } from './enrich.ts'
import type { PluginLookup } from './plugin-lookup.ts'
import { type StageInfo, TransformationStage } from './stage.ts'

/** Runs one stage for one record; returns what the stage returned, or null to skip the record. */
export type StageRunner = <R extends ConnectRecord>(stage: StageInfo, run: () => R | null) => R | null

/** The asynchronous form of StageRunner, for runners that wait between retries. */
export type AsyncStageRunner = <R extends ConnectRecord>(
  stage: StageInfo,
  run: () => R | null,
) => Promise<R | null> | R | null

/** A transform failed on a record; `stage` says which, `cause` holds the transform's error. */
export class TransformationError extends ConnectError {
  override name = 'TransformationError'
  /** The stage that failed. */
  readonly stage: StageInfo

  constructor(stage: StageInfo, cause: unknown) {
    const code = cause instanceof ConnectError ? cause.code : 'UNKNOWN'
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(code, `Transformation '${stage.alias}' (${stage.className}) failed: ${reason}`, { cause })
    this.stage = stage
  }
}

const throwing: StageRunner = (stage, run) => {
  try {
    return run()
  } catch (e) {
    throw new TransformationError(stage, e)
  }
}

/** An ordered list of stages. */
export class TransformationChain {
  readonly #stages: readonly TransformationStage[]

  constructor(stages: readonly TransformationStage[]) {
    this.#stages = Object.freeze([...stages])
  }

  /** The stages, in order. */
  get stages(): readonly TransformationStage[] {
    return this.#stages
  }

  /** Whether there is nothing to apply. */
  isEmpty(): boolean {
    return this.#stages.length === 0
  }

  /** The record after every stage, or null when a stage dropped it (or the runner skipped it). */
  apply<R extends ConnectRecord>(record: R, runStage: StageRunner = throwing): R | null {
    let current: R | null = record
    for (const stage of this.#stages) {
      const input: R = current
      current = runStage(stage, () => stage.apply(input))
      if (current === null) return null
    }
    return current
  }

  /** apply() with a runner that may wait (retry backoff). */
  async applyAsync<R extends ConnectRecord>(record: R, runStage: AsyncStageRunner): Promise<R | null> {
    let current: R | null = record
    for (const stage of this.#stages) {
      const input: R = current
      current = await runStage(stage, () => stage.apply(input))
      if (current === null) return null
    }
    return current
  }

  /** Closes every stage. */
  close(): void {
    for (const stage of this.#stages) stage.close()
  }

  toString(): string {
    return `TransformationChain{${this.#stages.map((s) => s.className).join(', ')}}`
  }
}

/** The raw values under `prefix`, with the prefix removed (Java's originalsWithPrefix). */
function withPrefix(props: RawConfig, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith(prefix) && k.length > prefix.length) out[k.slice(prefix.length)] = v
  }
  return out
}

function instantiate<T>(lookup: PluginLookup, kind: 'transformation' | 'predicate', name: string) {
  const plugin = lookup.find(kind, name)
  if (plugin === undefined) throw new ConfigError(`Class ${name} could not be found.`)
  return { plugin, instance: plugin.newInstance() as T }
}

/**
 * Validates the transform and predicate configs of a connector (ConfigError on the first problem) and builds its
 * chain: one configured transform per alias in `transforms`, each with its own configured predicate instance.
 * Keys outside `transforms*` and `predicates*` are ignored.
 */
export function buildTransformationChain(lookup: PluginLookup, props: RawConfig): TransformationChain {
  const base = new ConfigDef().define(transformsConfigKey(0)).define(predicatesConfigKey(1))
  const config = new AbstractConfig(enrichConnectorConfigDef(lookup, base, props, true), props)
  const predicateAliases = new Set(aliasesOf(props, PREDICATES_CONFIG))
  const stages: TransformationStage[] = []
  try {
    for (const alias of config.getList(TRANSFORMS_CONFIG) ?? []) {
      const prefix = `${TRANSFORMS_CONFIG}.${alias}.`
      const typeName = config.getString(`${prefix}${TYPE_CONFIG}`) as string
      const { plugin, instance } = instantiate<Transformation>(lookup, 'transformation', typeName)
      const configs = withPrefix(props, prefix)
      const predicateAlias = configs[PREDICATE_CONFIG]
      const negate = configs[NEGATE_CONFIG]
      delete configs[PREDICATE_CONFIG]
      delete configs[NEGATE_CONFIG]
      instance.configure(configs)
      let predicate: { alias: string; className: string; predicate: Predicate } | undefined
      if (predicateAlias != null) {
        const name = String(predicateAlias)
        const predicatePrefix = `${PREDICATES_CONFIG}.${name}.`
        if (!predicateAliases.has(name)) {
          throw new ConfigError(
            `Unknown configuration '${predicatePrefix}${TYPE_CONFIG}'`,
            `${prefix}${PREDICATE_CONFIG}`,
          )
        }
        const found = instantiate<Predicate>(
          lookup,
          'predicate',
          config.getString(`${predicatePrefix}${TYPE_CONFIG}`) as string,
        )
        found.instance.configure(withPrefix(props, predicatePrefix))
        predicate = { alias: name, className: found.plugin.displayName, predicate: found.instance }
      }
      stages.push(
        new TransformationStage({
          alias,
          className: plugin.displayName,
          transformation: instance,
          predicate,
          // Java's Boolean.parseBoolean: only "true", in any case, is true.
          negate: negate != null && String(negate).trim().toLowerCase() === 'true',
        }),
      )
    }
  } catch (e) {
    for (const stage of stages) stage.close()
    throw e
  }
  return new TransformationChain(stages)
}
