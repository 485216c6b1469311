/**
 * The one place that loads @platformatic/kafka's code; the rest of kafka/ takes the library's values from here
 * (types may still be imported from the package).
 *
 * Why not a plain import: when its modules load, the library compiles every JSON schema of its options with ajv,
 * about 40 of them (one per Admin, Consumer and Producer method), which costs a worker some 130 ms of CPU and
 * 10-15 MB at start; yet the validators run only for clients created with `strict: true`, which tsconnect's are
 * not. Its schemas all go through one shared `ajv` instance in its `dist/utils.js`, which loads before the client
 * modules; so that instance's `compile` is wrapped before the rest of the library loads, and each schema is
 * compiled the first time its validator runs (never, in a worker). The validators behave as before: same checks,
 * same `errors` after a call.
 *
 * `dist/utils.js` is not in the package's exports, so it is loaded by its file URL next to the package's entry
 * point. A later version that moves it or drops the shared instance loses only the saving, never correctness.
 */
import type * as KafkaLibrary from '@platformatic/kafka'

/** A compiled validator as ajv returns it: a function that answers whether data is valid and keeps the errors. */
interface Validator {
  (data: unknown): boolean
  errors?: unknown
}

/** The part of an ajv instance used here. */
interface SchemaCompiler {
  compile(schema: unknown): Validator
}

/**
 * Makes `ajv.compile` lazy: the schema is compiled on the first call of the validator it returns.
 * Returns false when `ajv` does not look like an ajv instance (nothing is changed then).
 */
export function deferSchemaCompilation(ajv: unknown): boolean {
  if (typeof (ajv as SchemaCompiler | undefined)?.compile !== 'function') return false
  const instance = ajv as SchemaCompiler
  const compile = instance.compile.bind(instance)
  instance.compile = (schema) => {
    let compiled: Validator | undefined
    const validator: Validator = (data) => {
      compiled ??= compile(schema)
      const valid = compiled(data)
      validator.errors = compiled.errors
      return valid
    }
    validator.errors = null
    return validator
  }
  return true
}

async function load(): Promise<typeof KafkaLibrary> {
  try {
    const utils = (await import(new URL('utils.js', import.meta.resolve('@platformatic/kafka')).href)) as {
      ajv?: unknown
    }
    deferSchemaCompilation(utils.ajv)
  } catch {
    // Another layout of the package: its schemas are compiled when it loads, as the library does by default.
  }
  return import('@platformatic/kafka')
}

/** The @platformatic/kafka module, loaded once with its schemas compiled on first use. */
export const kafkaLibrary: typeof KafkaLibrary = await load()
