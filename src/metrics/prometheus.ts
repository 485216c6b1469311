/**
 * The Prometheus text format (version 0.0.4) of a registry, with the names Strimzi's JMX exporter config gives Java
 * Connect's MBeans (strimzi-kafka-operator packaging/examples/metrics/kafka-connect-metrics.yaml, "Inspired by
 * kafka-connect rules" of prometheus/jmx_exporter), so existing dashboards and alert rules query a tsconnect worker
 * unchanged.
 *
 * The rules are applied the way jmx_exporter applies them: each sample is written as the exporter's match string
 * `domain<type=…, tag=value, …><>attribute` (`: value` appended for string attributes), the first rule whose pattern
 * matches the whole string names it, and a sample no rule matches is dropped. Names and label keys are lower-cased and
 * every character outside [a-zA-Z0-9:_] becomes `_` (runs collapsed), as jmx_exporter's lowercaseOutputName,
 * lowercaseOutputLabelNames and safeName do.
 *
 * Written by hand rather than with prom-client: the names come from rules, not from declared metrics; Strimzi's
 * UNTYPED info series and `+Inf`/`NaN` values must come out exactly; and a scrape is one pass over the registry.
 */
import type { MetricSample } from './registry.ts'

/** The content type of this format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

type PromType = 'counter' | 'gauge' | 'untyped'

interface Rule {
  readonly pattern: RegExp
  readonly name: string
  readonly type: PromType
  readonly labels?: Readonly<Record<string, string>>
  /** A fixed value (info series). */
  readonly value?: number
  readonly valueFactor?: number
  readonly help: string
}

/** Strimzi's rules in their order (first match wins). `$n` refers to the pattern's groups. */
const STRIMZI_RULES: readonly Rule[] = [
  {
    pattern: /^kafka.(.+)<type=app-info, client-id=(.+)><>start-time-ms$/,
    name: 'kafka_$1_start_time_seconds',
    labels: { clientId: '$2' },
    type: 'gauge',
    valueFactor: 0.001,
    help: 'Kafka $1 JMX metric start time seconds',
  },
  {
    pattern: /^kafka.(.+)<type=app-info, client-id=(.+)><>(commit-id|version): (.+)$/,
    name: 'kafka_$1_$3_info',
    value: 1,
    labels: { clientId: '$2', $3: '$4' },
    type: 'untyped',
    help: 'Kafka $1 JMX metric info version and commit-id',
  },
  {
    pattern:
      /^kafka.consumer<type=consumer-fetch-manager-metrics, client-id=(.+), topic=(.+), partition=(.+)><>(.+-total)$/,
    name: 'kafka_consumer_fetch_manager_$4',
    labels: { clientId: '$1', topic: '$2', partition: '$3' },
    type: 'counter',
    help: 'Kafka Consumer JMX metric type consumer-fetch-manager-metrics',
  },
  {
    pattern:
      /^kafka.consumer<type=consumer-fetch-manager-metrics, client-id=(.+), topic=(.+), partition=(.+)><>(compression-rate|.+-avg|.+-replica|.+-lag|.+-lead)$/,
    name: 'kafka_consumer_fetch_manager_$4',
    labels: { clientId: '$1', topic: '$2', partition: '$3' },
    type: 'gauge',
    help: 'Kafka Consumer JMX metric type consumer-fetch-manager-metrics',
  },
  {
    pattern: /^kafka.producer<type=producer-topic-metrics, client-id=(.+), topic=(.+)><>(.+-total)$/,
    name: 'kafka_producer_topic_$3',
    labels: { clientId: '$1', topic: '$2' },
    type: 'counter',
    help: 'Kafka Producer JMX metric type producer-topic-metrics',
  },
  {
    pattern:
      /^kafka.producer<type=producer-topic-metrics, client-id=(.+), topic=(.+)><>(compression-rate|.+-avg|.+rate)$/,
    name: 'kafka_producer_topic_$3',
    labels: { clientId: '$1', topic: '$2' },
    type: 'gauge',
    help: 'Kafka Producer JMX metric type producer-topic-metrics',
  },
  {
    pattern: /^kafka.(.+)<type=(.+)-metrics, client-id=(.+), node-id=(.+)><>(.+-total)$/,
    name: 'kafka_$2_$5',
    labels: { clientId: '$3', nodeId: '$4' },
    type: 'counter',
    help: 'Kafka $1 JMX metric type $2',
  },
  {
    pattern: /^kafka.(.+)<type=(.+)-metrics, client-id=(.+), node-id=(.+)><>(.+-avg|.+-rate)$/,
    name: 'kafka_$2_$5',
    labels: { clientId: '$3', nodeId: '$4' },
    type: 'gauge',
    help: 'Kafka $1 JMX metric type $2',
  },
  {
    pattern: /^kafka.(.+)<type=(.+)-metrics, client-id=(.*)><>(.+-total)$/,
    name: 'kafka_$2_$4',
    labels: { clientId: '$3' },
    type: 'counter',
    help: 'Kafka $1 JMX metric type $2',
  },
  {
    pattern:
      /^kafka.(.+)<type=(.+)-metrics, client-id=(.*)><>(.+-avg|.+-bytes|.+-count|.+-ratio|.+-age|.+-flight|.+-threads|.+-connectors|.+-tasks|.+-ago)$/,
    name: 'kafka_$2_$4',
    labels: { clientId: '$3' },
    type: 'gauge',
    help: 'Kafka $1 JMX metric type $2',
  },
  {
    pattern:
      /^kafka.connect<type=connector-metrics, connector=(.+)><>(connector-class|connector-type|connector-version|status): (.+)$/,
    name: 'kafka_connect_connector_$2',
    value: 1,
    labels: { connector: '$1', $2: '$3' },
    type: 'gauge',
    help: 'Kafka Connect $2 JMX metric type connector',
  },
  {
    pattern: /^kafka.connect<type=connector-task-metrics, connector=(.+), task=(.+)><>status: ([a-z-]+)$/,
    name: 'kafka_connect_connector_task_status',
    value: 1,
    labels: { connector: '$1', task: '$2', status: '$3' },
    type: 'gauge',
    help: 'Kafka Connect JMX Connector task status',
  },
  {
    pattern: /^kafka.connect<type=(.+)-metrics, connector=(.+), task=(.+)><>(.+-total)$/,
    name: 'kafka_connect_$1_$4',
    labels: { connector: '$2', task: '$3' },
    type: 'counter',
    help: 'Kafka Connect JMX metric type $1',
  },
  {
    pattern:
      /^kafka.connect<type=(.+)-metrics, connector=(.+), task=(.+)><>(.+-count|.+-ms|.+-ratio|.+-seq-no|.+-rate|.+-max|.+-avg|.+-failures|.+-requests|.+-timestamp|.+-logged|.+-errors|.+-retries|.+-skipped)$/,
    name: 'kafka_connect_$1_$4',
    labels: { connector: '$2', task: '$3' },
    type: 'gauge',
    help: 'Kafka Connect JMX metric type $1',
  },
  {
    pattern: /^kafka.connect<type=connect-worker-metrics, connector=(.+)><>([a-z-]+)$/,
    name: 'kafka_connect_worker_$2',
    labels: { connector: '$1' },
    type: 'gauge',
    help: 'Kafka Connect JMX metric $1',
  },
  {
    pattern: /^kafka.connect<type=connect-worker-metrics><>([a-z-]+-total)$/,
    name: 'kafka_connect_worker_$1',
    type: 'counter',
    help: 'Kafka Connect JMX metric worker',
  },
  {
    pattern: /^kafka.connect<type=connect-worker-metrics><>([a-z-]+)$/,
    name: 'kafka_connect_worker_$1',
    type: 'gauge',
    help: 'Kafka Connect JMX metric worker',
  },
  {
    pattern: /^kafka.connect<type=connect-worker-rebalance-metrics><>(leader-name|connect-protocol): (.+)$/,
    name: 'kafka_connect_worker_rebalance_$1',
    value: 1,
    labels: { $1: '$2' },
    type: 'untyped',
    help: 'Kafka Connect $2 JMX metric type worker rebalance',
  },
  {
    pattern: /^kafka.connect<type=connect-worker-rebalance-metrics><>([a-z-]+-total)$/,
    name: 'kafka_connect_worker_rebalance_$1',
    type: 'counter',
    help: 'Kafka Connect JMX metric rebalance information',
  },
  {
    pattern: /^kafka.connect<type=connect-worker-rebalance-metrics><>([a-z-]+)$/,
    name: 'kafka_connect_worker_rebalance_$1',
    type: 'gauge',
    help: 'Kafka Connect JMX metric rebalance information',
  },
  {
    pattern: /^kafka.connect<type=connect-coordinator-metrics><>(assigned-connectors|assigned-tasks)$/,
    name: 'kafka_connect_coordinator_$1',
    type: 'gauge',
    help: 'Kafka Connect JMX metric assignment information',
  },
]

/** One named series, as a rule made it. */
export interface PrometheusSeries {
  readonly name: string
  readonly type: PromType
  readonly help: string
  readonly labels: readonly (readonly [string, string])[]
  readonly value: number
}

/** jmx_exporter's match string of a sample. */
export function jmxMatchString(s: MetricSample): string {
  const keys = [`type=${s.type}`, ...s.tags.map(([k, v]) => `${k}=${v}`)].join(', ')
  const base = `${s.domain}<${keys}><>${s.attribute}`
  return typeof s.value === 'string' ? `${base}: ${s.value}` : base
}

/** jmx_exporter's safeName: characters outside [a-zA-Z0-9:_] become `_`, runs of `_` collapse. */
function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9:_]/g, '_').replace(/__+/g, '_')
}

const substitute = (template: string, m: RegExpMatchArray) =>
  template.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '')

/** The series a sample becomes under Strimzi's rules, or null when no rule exports it. */
export function strimziSeries(s: MetricSample): PrometheusSeries | null {
  const match = jmxMatchString(s)
  for (const rule of STRIMZI_RULES) {
    const m = match.match(rule.pattern)
    if (!m) continue
    let value: number
    if (rule.value !== undefined) value = rule.value
    else if (typeof s.value === 'number') value = s.value * (rule.valueFactor ?? 1)
    else return null
    const labels: [string, string][] = []
    for (const [k, v] of Object.entries(rule.labels ?? {})) {
      labels.push([safeName(substitute(k, m)).toLowerCase(), substitute(v, m)])
    }
    return {
      name: safeName(substitute(rule.name, m)).toLowerCase(),
      type: rule.type,
      help: substitute(rule.help, m),
      labels,
      value,
    }
  }
  return null
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Number.POSITIVE_INFINITY) return '+Inf'
  if (v === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(v)
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

/** Renders samples in the Prometheus text format under Strimzi's names; series of one name stay together. */
export function renderPrometheus(samples: readonly MetricSample[]): string {
  const byName = new Map<string, PrometheusSeries[]>()
  for (const sample of samples) {
    const series = strimziSeries(sample)
    if (!series) continue
    const list = byName.get(series.name)
    if (list) list.push(series)
    else byName.set(series.name, [series])
  }
  const lines: string[] = []
  for (const [name, list] of byName) {
    const first = list[0] as PrometheusSeries
    lines.push(`# HELP ${name} ${escapeHelp(first.help)}`, `# TYPE ${name} ${first.type}`)
    for (const s of list) {
      const labels = s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')
      lines.push(`${name}${labels === '' ? '' : `{${labels}}`} ${formatValue(s.value)}`)
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}
