/**
 * What every converter's config shares, as Java's ConverterConfig: `converter.type` (key, value or header), which
 * configure(configs, isKey) sets, so one class can serve keys, values and headers.
 */
import type { ConverterType } from '../api/converter.ts'
import { ConfigDef } from '../config/config-def.ts'
import { Validators } from '../config/validators.ts'
import { TSCONNECT_VERSION } from '../util/version.ts'

/** The config key naming what a converter instance converts. */
export const CONVERTER_TYPE_CONFIG = 'converter.type'

/** A new ConfigDef holding `converter.type`, for a converter to add its own configs to. */
export function newConverterConfigDef(): ConfigDef {
  return new ConfigDef().define({
    name: CONVERTER_TYPE_CONFIG,
    type: 'STRING',
    validator: Validators.in('key', 'value', 'header'),
    importance: 'LOW',
    documentation: 'How this converter will be used.',
  })
}

/** The configs with `converter.type` set as Java's configure(configs, isKey) sets it. */
export function withConverterType(
  configs: Readonly<Record<string, unknown>>,
  type: ConverterType,
): Record<string, unknown> {
  return { ...configs, [CONVERTER_TYPE_CONFIG]: type }
}

/** A built-in converter's version: tsconnect's own, as Java's built-ins report the Kafka version. */
export const BUILTIN_VERSION = TSCONNECT_VERSION
