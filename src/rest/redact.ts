/**
 * Secrets stay secret at the REST edge, whatever the herder returns: in validation results a PASSWORD value shows
 * as "[hidden]", and a value given as a config provider reference (`${provider:path:key}`) shows as that reference,
 * never as what it resolves to. (Java resolves references before validating and echoes the resolved values; that is
 * how secrets leak through its REST API.)
 */
import type { ConfigInfos, ConfigInput } from '../herder/herder.ts'

/** What a hidden value shows as, as in Java's Password.toString. */
export const HIDDEN = '[hidden]'

// Java's ConfigTransformer.DEFAULT_PATTERN.
const REFERENCE = /\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}/

/** Whether a raw value refers to a config provider. */
export function hasProviderReference(value: string | null | undefined): boolean {
  return typeof value === 'string' && REFERENCE.test(value)
}

/** Validation results with PASSWORD values hidden and provider references shown as the client wrote them. */
export function redactValidation(infos: ConfigInfos, input: ConfigInput): ConfigInfos {
  return {
    ...infos,
    configs: infos.configs.map((info) => {
      if (info.value === null) return info
      const raw = input[info.value.name]
      let value = info.value.value
      if (info.definition?.type === 'PASSWORD' && value !== null) value = HIDDEN
      else if (hasProviderReference(raw)) value = raw ?? null
      return value === info.value.value ? info : { ...info, value: { ...info.value, value } }
    }),
  }
}
