/**
 * `--wait STATE`: polls connector statuses until each connector and all its tasks are in the state, showing
 * progress: a line redrawn in place on a terminal (a spinner, the elapsed time, what is not there yet), or a line
 * per change otherwise (logs, CI). Gives up after --wait-timeout with the last status, exit code 1.
 */
import type { ConnectorStateInfo } from '../herder/herder.ts'
import { taskSummary, traceHead } from './connectors.ts'
import { CommandFailed, UsageError } from './usage.ts'
import type { Flag, Invocation } from './verb.ts'
import { stringFlag } from './verb.ts'

/** The states a connector can be waited for (the target states, as statuses show them). */
export const WAIT_STATES = ['RUNNING', 'PAUSED', 'STOPPED'] as const

/** The flags of waiting verbs. */
export const WAIT_FLAGS: Record<string, Flag> = {
  wait: { type: 'string', value: 'STATE', description: 'wait until the connectors and their tasks are STATE' },
  'wait-timeout': { type: 'string', value: 'MS', description: 'how long --wait waits before failing (120000)' },
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const POLL_MS = 500

/** The state --wait names, if given. @throws UsageError for another state */
export function waitState(inv: Invocation): string | undefined {
  const state = stringFlag(inv.flags, 'wait')?.toUpperCase()
  if (state !== undefined && !(WAIT_STATES as readonly string[]).includes(state)) {
    throw new UsageError(`--wait takes ${WAIT_STATES.join(', ')}`)
  }
  return state
}

/** Whether the connector and all its tasks are in `state` (STOPPED connectors have no tasks). */
export function reached(status: ConnectorStateInfo, state: string): boolean {
  if (status.connector.state !== state) return false
  if (state === 'STOPPED') return status.tasks.length === 0
  return status.tasks.length > 0 && status.tasks.every((t) => t.state === state)
}

function describe(name: string, status: ConnectorStateInfo | undefined): string {
  if (status === undefined) return `${name}: not created yet`
  return `${name}: connector ${status.connector.state}, tasks ${taskSummary(status)}`
}

/**
 * Waits until every named connector is in `state`.
 * @throws CommandFailed after the timeout, with each connector's last status and failure
 */
export async function waitFor(inv: Invocation, names: string[], state: string): Promise<void> {
  const timeoutMs = Number(stringFlag(inv.flags, 'wait-timeout') ?? '120000')
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError('--wait-timeout takes milliseconds')
  const { clock, err } = inv
  const started = clock.now()
  const client = inv.client()
  const last = new Map<string, ConnectorStateInfo | undefined>()
  let shown = ''
  let frame = 0
  for (;;) {
    for (const name of names) {
      if (last.get(name) !== undefined && reached(last.get(name) as ConnectorStateInfo, state)) continue
      last.set(name, await client.find<ConnectorStateInfo>(`/connectors/${encodeURIComponent(name)}/status`))
    }
    const pending = names.filter((n) => {
      const s = last.get(n)
      return s === undefined || !reached(s, state)
    })
    const elapsed = ((clock.now() - started) / 1000).toFixed(1)
    const progress = `${names.length - pending.length}/${names.length} ${state}`
    if (pending.length === 0) {
      if (err.tty) err.stream.write('\r\x1b[2K')
      err.line(`${err.style('green', '✔')} ${progress} after ${elapsed}s`)
      return
    }
    const waitingFor = pending.map((n) => describe(n, last.get(n))).join('; ')
    if (err.tty) {
      const line = `${SPINNER[frame++ % SPINNER.length]} waiting for ${state}: ${progress} (${elapsed}s) ${waitingFor}`
      const width = err.stream.columns ?? 100
      err.stream.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`)
    } else if (waitingFor !== shown) {
      err.line(`waiting for ${state}: ${progress}; ${waitingFor}`)
      shown = waitingFor
    }
    if (clock.now() - started >= timeoutMs) {
      if (err.tty) err.stream.write('\r\x1b[2K')
      const details = pending.flatMap((n) => {
        const s = last.get(n)
        const failures = [s?.connector, ...(s?.tasks ?? [])].filter((x) => x?.trace).map((x) => traceHead(x?.trace))
        return [describe(n, s), ...failures.map((f) => `  ${f}`)]
      })
      throw new CommandFailed(`not ${state} after ${timeoutMs} ms: ${progress}`, details)
    }
    await clock.sleep(POLL_MS, inv.signal)
  }
}
