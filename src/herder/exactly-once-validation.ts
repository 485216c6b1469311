/**
 * The exactly-once preflight checks of a source connector's config (KIP-618; Java's DistributedHerder
 * validateSourceConnectorExactlyOnceSupport and validateSourceConnectorTransactionBoundary), made by the validate
 * endpoint and before a create or update of a distributed worker's connector.
 */
import type { SourceConnector } from '../api/connector.ts'
import { ConfigValue } from '../config/config-def.ts'
import type { ConfigMap } from './herder.ts'

function configValue(values: Map<string, ConfigValue>, name: string): ConfigValue {
  let v = values.get(name)
  if (!v) {
    v = new ConfigValue(name)
    values.set(name, v)
  }
  return v
}

function unexpected(error: unknown): string {
  const message = error instanceof Error ? error.message.trim() : ''
  return message !== ''
    ? `An unexpected error occurred during validation: ${message}`
    : 'An unexpected error occurred during validation; please see the worker logs for more details.'
}

/**
 * Adds the preflight errors to `values`: exactly.once.support=required needs the worker's support enabled and a
 * connector that says SUPPORTED; transaction.boundary=connector needs a connector that can define transactions.
 */
export function checkSourceExactlyOnce(
  values: Map<string, ConfigValue>,
  connector: SourceConnector,
  props: Readonly<ConfigMap>,
  workerSupportEnabled: boolean,
): void {
  const support = configValue(values, 'exactly.once.support')
  if (support.errorMessages.length === 0 && (props['exactly.once.support'] ?? '').trim().toLowerCase() === 'required') {
    if (!workerSupportEnabled) support.addErrorMessage('This worker does not have exactly-once source support enabled.')
    try {
      const answer = connector.exactlyOnceSupport(props)
      if (answer === null || answer === undefined) {
        support.addErrorMessage(
          'The connector does not implement the API required for preflight validation of exactly-once source support. Please consult the documentation for the connector to determine whether it supports exactly-once semantics, and then consider reconfiguring the connector to use the value "requested" for this property (which will disable this preflight check and allow the connector to be created).',
        )
      } else if (answer !== 'SUPPORTED') {
        support.addErrorMessage(
          'The connector does not support exactly-once semantics with the provided configuration.',
        )
      }
    } catch (error) {
      support.addErrorMessage(unexpected(error))
    }
  }
  const boundary = configValue(values, 'transaction.boundary')
  if (
    boundary.errorMessages.length === 0 &&
    (props['transaction.boundary'] ?? '').trim().toLowerCase() === 'connector'
  ) {
    try {
      const answer = connector.canDefineTransactionBoundaries(props)
      if (answer === null || answer === undefined) {
        boundary.addErrorMessage(
          "This connector has returned a null value from its canDefineTransactionBoundaries method, which is not permitted. The connector will be treated as if it cannot define its own transaction boundaries, and cannot be configured with 'transaction.boundary' set to 'connector'.",
        )
      } else if (answer !== 'SUPPORTED') {
        boundary.addErrorMessage(
          'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
        )
      }
    } catch (error) {
      boundary.addErrorMessage(unexpected(error))
    }
  }
}
