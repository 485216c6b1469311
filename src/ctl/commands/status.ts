/**
 * `info` (the worker answering: version, commit, Kafka cluster) and `status` (connectors with each task, where it
 * runs and why it failed), once or with --watch until Ctrl-C: redrawn in place on a terminal, printed again on
 * each change otherwise.
 */
import type { ConnectorStateInfo } from '../../herder/herder.ts'
import { connectorStatus, REGEXP_FLAG, selectConnectors, traceHead } from '../connectors.ts'
import type { Cell } from '../output.ts'
import { UsageError } from '../usage.ts'
import type { Invocation, Verb } from '../verb.ts'
import { stringFlag } from '../verb.ts'

/** The `info` verb. */
export const infoVerb: Verb = {
  name: 'info',
  summary: 'Show the worker’s version, commit and Kafka cluster id',
  usage: ['info'],
  flags: {},
  reads: true,
  examples: ['tsconnect info', 'tsconnect info --context prod -o json'],
  async run(inv) {
    if (inv.args.length > 0) throw new UsageError('info takes no arguments')
    const root = await inv.client().get<{ version: string; commit: string; kafka_cluster_id: string }>('/')
    if (inv.format !== 'table') inv.out.document({ url: inv.client().url, ...root }, inv.format)
    else {
      inv.out.fields([
        ['URL', inv.client().url],
        ['Version', root.version],
        ['Commit', root.commit],
        ['Kafka Cluster ID', root.kafka_cluster_id],
      ])
    }
    return 0
  },
}

async function statuses(inv: Invocation, args: string[]): Promise<ConnectorStateInfo[]> {
  if (args.length === 0) {
    const expanded = await inv.client().get<Record<string, { status: ConnectorStateInfo }>>('/connectors?expand=status')
    return Object.values(expanded)
      .map((e) => e.status)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }
  const names = await selectConnectors(inv, args, 'status')
  return Promise.all(names.map((n) => connectorStatus(inv.client(), n)))
}

function rows(inv: Invocation, all: ConnectorStateInfo[]): Cell[][] {
  return all.flatMap((s) => [
    [s.name, inv.out.state(s.connector.state), s.connector.worker_id, traceHead(s.connector.trace)],
    ...s.tasks.map((t) => [`  ${s.name}/${t.id}`, inv.out.state(t.state), t.worker_id, traceHead(t.trace)]),
  ])
}

/** The `status` verb. */
export const statusVerb: Verb = {
  name: 'status',
  summary: 'Show connectors and their tasks: state, worker, failure; --watch to follow',
  usage: ['status [NAME...] [-e] [--watch [--interval MS]]'],
  flags: {
    ...REGEXP_FLAG,
    watch: { type: 'boolean', short: 'w', description: 'keep showing the status until Ctrl-C' },
    interval: { type: 'string', value: 'MS', description: 'how often --watch reads the status (2000)' },
  },
  reads: true,
  examples: ['tsconnect status', 'tsconnect status my-sink --watch', 'tsconnect status -o json'],
  async run(inv) {
    const interval = Number(stringFlag(inv.flags, 'interval') ?? '2000')
    if (!Number.isInteger(interval) || interval < 100) throw new UsageError('--interval takes milliseconds (>= 100)')
    const watch = inv.flags.watch === true
    let shown = ''
    for (;;) {
      const all = await statuses(inv, inv.args)
      const key = JSON.stringify(all)
      if (key !== shown) {
        shown = key
        if (watch && inv.out.tty) inv.out.stream.write('\x1b[H\x1b[2J')
        if (inv.format !== 'table') inv.out.document(all, inv.format)
        else {
          if (watch)
            inv.out.line(
              inv.out.style('dim', `${new Date(inv.clock.now()).toISOString()}  every ${interval} ms, Ctrl-C to stop`),
            )
          inv.out.table(['CONNECTOR/TASK', 'STATE', 'WORKER', 'ERROR'], rows(inv, all))
        }
      }
      if (!watch) return 0
      try {
        await inv.clock.sleep(interval, inv.signal)
      } catch {
        return 0
      }
    }
  },
}
