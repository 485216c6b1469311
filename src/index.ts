/**
 * The public entry of the tsconnect package: what connector authors and embedders import.
 * Later parts add their exports here (the connector API, the data model, converters).
 */
export {
  ConfigError,
  ConnectError,
  CorruptDataError,
  ERROR_CODES,
  type ErrorCode,
  KafkaError,
  TimeoutError,
} from './errors.ts'
