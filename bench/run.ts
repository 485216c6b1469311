/**
 * `npm run bench -- <scenario> [--records N] [--runs N] [--java] [--bootstrap host:port]`: runs one benchmark, prints a table and
 * writes JSON into results/. Without --bootstrap a private broker is started with the performance JVM profile.
 * `npm run bench` alone lists the scenarios.
 */
import { parseArgs } from 'node:util'
import {
  checkTargets,
  killChildrenOnSignal,
  printTable,
  runScenario,
  type Scenario,
  saveResults,
} from './lib/harness.ts'
import { connectSink, connectSource } from './scenarios/connect-throughput.ts'
import { consume } from './scenarios/consume.ts'
import { failover } from './scenarios/failover.ts'
import { footprint } from './scenarios/footprint.ts'
import { jdbcSink, jdbcSource } from './scenarios/jdbc.ts'
import { messaging } from './scenarios/messaging.ts'
import { postgresCdc } from './scenarios/postgres-cdc.ts'
import { produce } from './scenarios/produce.ts'
import { rebalance } from './scenarios/rebalance.ts'
import { scale } from './scenarios/scale.ts'
import { storageSinks } from './scenarios/storage-sinks.ts'
import { ui } from './scenarios/ui.ts'
import { workerMetrics, workerSink, workerSource, workerSourceEos, workerSourceMemory } from './scenarios/worker.ts'

const scenarios: Scenario[] = [
  produce,
  consume,
  workerSource,
  workerSink,
  workerSourceMemory,
  footprint,
  workerSourceEos,
  workerMetrics,
  connectSource,
  connectSink,
  failover,
  rebalance,
  scale,
  ui,
  storageSinks,
  messaging,
  jdbcSource,
  jdbcSink,
  postgresCdc,
]

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    records: { type: 'string' },
    bootstrap: { type: 'string' },
    runs: { type: 'string' },
    java: { type: 'boolean' },
    runtime: { type: 'string' },
    quick: { type: 'boolean' },
    connectors: { type: 'string' },
    tasks: { type: 'string' },
    'keep-dir': { type: 'boolean' },
    'java-plugins': { type: 'boolean' },
  },
})
const scenario = scenarios.find((s) => s.name === positionals[0])
if (!scenario) {
  console.log(
    'npm run bench -- <scenario> [--records N] [--bootstrap host:port] [--runtime tsconnect|java] [--java-plugins] [--quick] [--keep-dir]\n\nscenarios:',
  )
  for (const s of scenarios) console.log(`  ${s.name.padEnd(20)} ${s.description}`)
  process.exitCode = positionals[0] ? 2 : 0
} else {
  killChildrenOnSignal()
  const rows = await runScenario(scenario, values)
  console.log(`\n${scenario.name}: ${scenario.description}\n`)
  if (scenario.print) scenario.print(rows)
  else printTable(rows, scenario.baselines ?? /^Java /)
  if (scenario.targets) for (const line of checkTargets(rows, scenario.targets)) console.log(line)
  console.log(`\nresults: ${saveResults(scenario.name, rows, { options: values, node: process.version })}`)
}
