/** The schema names of Connect's logical types, as Java writes them (in JSON schemas, in Avro, ...). */
export const LOGICAL_NAMES = {
  DECIMAL: 'org.apache.kafka.connect.data.Decimal',
  DATE: 'org.apache.kafka.connect.data.Date',
  TIME: 'org.apache.kafka.connect.data.Time',
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
} as const
