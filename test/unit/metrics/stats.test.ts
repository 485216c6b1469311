/**
 * The stats keep Kafka's semantics (org.apache.kafka.common.metrics.stats): cumulative sums never forget, windowed
 * stats forget a window once it is older than samples × window, and a rate divides by at least samples-1 full
 * windows, so that a young sensor does not report a burst as a huge rate.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderPrometheus, strimziSeries } from '../../../src/metrics/prometheus.ts'
import { MetricsRegistry } from '../../../src/metrics/registry.ts'
import { Avg, BooleanFrequencies, CumulativeSum, Max, Rate } from '../../../src/metrics/stats.ts'
import { ManualClock } from '../../../src/util/clock.ts'

const config = { samples: 2, windowMs: 30_000 }

test('a cumulative sum keeps every value', () => {
  const s = new CumulativeSum()
  s.record(3)
  s.record(4)
  assert.equal(s.measure(), 7)
})

test('avg and max are NaN before any value and forget windows older than samples × window', () => {
  const avg = new Avg(config)
  const max = new Max(config)
  assert.ok(Number.isNaN(avg.measure(0)))
  assert.ok(Number.isNaN(max.measure(0)))
  for (const [v, t] of [
    [10, 0],
    [20, 1000],
    [6, 31_000],
  ] as const) {
    avg.record(v, t)
    max.record(v, t)
  }
  assert.equal(avg.measure(31_000), 12)
  assert.equal(max.measure(31_000), 20)
  // At 60 s the first window (started at 0) is 2 windows old and forgotten; the one started at 31 s is not.
  assert.equal(avg.measure(60_000), 6)
  assert.equal(max.measure(60_000), 6)
  assert.ok(Number.isNaN(avg.measure(200_000)))
})

test('a rate divides by at least samples-1 full windows (Java Rate.windowSize)', () => {
  const rate = new Rate(config)
  rate.record(300, 0)
  // 1 s after the first record: elapsed 1 s, plus one full window (30 s) as the minimum: 300 / 31 s.
  assert.equal(rate.measure(1000), 300 / 31)
  rate.record(300, 40_000)
  // The first window started at 0 and is still live (< 60 s old): 600 over 40 s.
  assert.equal(rate.measure(40_000), 600 / 40)
})

test('a counting rate counts records, and a per-hour rate scales to hours', () => {
  const perHour = new Rate(config, { count: true, unitMs: 3_600_000 })
  perHour.record(123, 0)
  perHour.record(456, 0)
  assert.equal(perHour.measure(30_000), 2 / (30_000 / 3_600_000))
})

test('boolean frequencies give the share of true and false records, 0 before any', () => {
  const f = new BooleanFrequencies(config)
  assert.equal(f.trueRatio.measure(0), 0)
  assert.equal(f.falseRatio.measure(0), 0)
  f.record(1, 0)
  f.record(1, 0)
  f.record(0, 0)
  assert.equal(f.trueRatio.measure(0), 2 / 3)
  assert.equal(f.falseRatio.measure(0), 1 / 3)
})

test('a restarted task replaces its group, and the old instance closing later leaves the new one', () => {
  const registry = new MetricsRegistry({ clock: new ManualClock(0) })
  const tags = [['connector', 'c'] as const, ['task', '0'] as const]
  const old = registry.group('kafka.connect', 'source-task-metrics', tags).gauge('x-count', () => 1)
  registry.group('kafka.connect', 'source-task-metrics', tags).gauge('x-count', () => 2)
  old.close()
  assert.deepEqual(
    registry.collect().map((s) => s.value),
    [2],
  )
})

test('Strimzi names: hyphens become underscores, -total is a counter, tag keys are lower-cased labels', () => {
  const series = strimziSeries({
    domain: 'kafka.connect',
    type: 'connect-coordinator-metrics',
    tags: [['client-id', 'connect-1']],
    attribute: 'join-total',
    value: 4,
  })
  assert.deepEqual(series && { name: series.name, type: series.type, labels: series.labels }, {
    name: 'kafka_connect_coordinator_join_total',
    type: 'counter',
    labels: [['clientid', 'connect-1']],
  })
})

test('an attribute no Strimzi rule matches is not rendered (as the exporter drops it)', () => {
  const text = renderPrometheus([
    {
      domain: 'kafka.connect',
      type: 'connect-coordinator-metrics',
      tags: [['client-id', 'c']],
      attribute: 'join-time-max',
      value: 1,
    },
  ])
  assert.equal(text, '')
})

test('label values are escaped and infinite values are written as +Inf', () => {
  const text = renderPrometheus([
    {
      domain: 'kafka.connect',
      type: 'connector-metrics',
      tags: [['connector', 'a"b\\c']],
      attribute: 'status',
      value: 'running',
    },
    {
      domain: 'kafka.connect',
      type: 'connect-worker-rebalance-metrics',
      tags: [],
      attribute: 'time-since-last-rebalance-ms',
      value: Number.POSITIVE_INFINITY,
    },
  ])
  assert.match(text, /^kafka_connect_connector_status\{connector="a\\"b\\\\c",status="running"\} 1$/m)
  assert.match(text, /^kafka_connect_worker_rebalance_time_since_last_rebalance_ms \+Inf$/m)
})
