/**
 * The verbs that change what runs: `restart` (a connector, its tasks, or all / only the failed ones in one call,
 * KIP-745), `pause`, `resume`, `stop` (KIP-875), and `delete` of connectors or of a stopped connector's offsets.
 */
import type { Message } from '../../herder/herder.ts'
import { connectorPath, REGEXP_FLAG, selectConnectors, withoutNoun } from '../connectors.ts'
import { UsageError } from '../usage.ts'
import type { Invocation, Verb } from '../verb.ts'
import { stringFlag } from '../verb.ts'
import { WAIT_FLAGS, waitFor, waitState } from '../wait.ts'

/** The `restart` verb. */
export const restartVerb: Verb = {
  name: 'restart',
  summary: 'Restart connectors (with all or only their failed tasks) or one task',
  usage: ['restart connector NAME... [-e] [--tasks all|failed] [--wait STATE]', 'restart task NAME/ID'],
  flags: {
    ...REGEXP_FLAG,
    tasks: {
      type: 'string',
      short: 't',
      value: 'all|failed',
      description: 'restart the tasks too: all, or failed ones',
    },
    ...WAIT_FLAGS,
  },
  examples: [
    'tsconnect restart connector my-sink --tasks failed --wait RUNNING',
    'tsconnect restart connector ".*" -e --tasks failed',
    'tsconnect restart task my-sink/0',
  ],
  async run(inv) {
    const [what, ...args] = inv.args
    if (what === 'task' || what === 'tasks') return restartTasks(inv, args)
    if (what !== 'connector' && what !== 'connectors') throw new UsageError('restart takes connector or task')
    const tasks = stringFlag(inv.flags, 'tasks')
    if (tasks !== undefined && tasks !== 'all' && tasks !== 'failed')
      throw new UsageError('--tasks takes all or failed')
    const state = waitState(inv)
    const names = await selectConnectors(inv, args, 'restart connector')
    const query = tasks === undefined ? '' : `?includeTasks=true&onlyFailed=${tasks === 'failed'}`
    for (const name of names) {
      await inv.client().request('POST', connectorPath(name, `/restart${query}`))
      inv.out.line(
        `connector ${name} restarted${tasks === undefined ? '' : ` with ${tasks === 'all' ? 'all' : 'its failed'} tasks`}`,
      )
    }
    if (state !== undefined) await waitFor(inv, names, state)
    return 0
  },
}

async function restartTasks(inv: Invocation, args: string[]): Promise<number> {
  if (args.length === 0) throw new UsageError('restart task takes NAME/ID, e.g. my-sink/0')
  for (const arg of args) {
    const match = /^(.+)\/(\d+)$/.exec(arg)
    if (match === null) throw new UsageError(`'${arg}' is not NAME/ID, e.g. my-sink/0`)
    const [, name = '', id = ''] = match
    await inv.client().request('POST', connectorPath(name, `/tasks/${id}/restart`))
    inv.out.line(`task ${name}/${id} restarted`)
  }
  return 0
}

/** pause, resume and stop: one PUT each, then optionally a wait for the state they lead to. */
function stateVerb(name: 'pause' | 'resume' | 'stop', summary: string, reaches: string): Verb {
  return {
    name,
    summary,
    usage: [`${name} [connector] NAME... [-e] [--wait ${reaches}]`],
    flags: { ...REGEXP_FLAG, ...WAIT_FLAGS },
    examples: [`tsconnect ${name} connector my-source --wait ${reaches}`, `tsconnect ${name} "orders-.*" -e`],
    async run(inv) {
      const state = waitState(inv)
      const names = await selectConnectors(inv, withoutNoun(inv.args, ['connector', 'connectors'], name), name)
      for (const connector of names) {
        await inv.client().request('PUT', connectorPath(connector, `/${name}`))
        inv.out.line(`connector ${connector} ${name === 'stop' ? 'stopped' : `${name}d`}`)
      }
      if (state !== undefined) await waitFor(inv, names, state)
      return 0
    },
  }
}

/** The `pause` verb. */
export const pauseVerb = stateVerb('pause', 'Pause connectors and their tasks', 'PAUSED')
/** The `resume` verb. */
export const resumeVerb = stateVerb('resume', 'Resume paused or stopped connectors', 'RUNNING')
/** The `stop` verb. */
export const stopVerb = stateVerb('stop', 'Stop connectors (no tasks run; offsets can then be changed)', 'STOPPED')

/** The `delete` verb. */
export const deleteVerb: Verb = {
  name: 'delete',
  summary: 'Delete connectors, or reset a stopped connector’s offsets',
  usage: ['delete connector NAME... [-e]', 'delete offsets NAME'],
  flags: { ...REGEXP_FLAG },
  examples: ['tsconnect delete connector my-sink', 'tsconnect stop my-source && tsconnect delete offsets my-source'],
  async run(inv) {
    const [what, ...args] = inv.args
    if (what === 'offsets') {
      for (const name of await selectConnectors(inv, args, 'delete offsets')) {
        const answer = await inv.client().request<Message>('DELETE', connectorPath(name, '/offsets'))
        inv.out.line(`connector ${name}: ${answer?.message ?? 'offsets deleted'}`)
      }
      return 0
    }
    if (what !== 'connector' && what !== 'connectors') throw new UsageError('delete takes connector or offsets')
    for (const name of await selectConnectors(inv, args, 'delete connector')) {
      await inv.client().request('DELETE', connectorPath(name))
      inv.out.line(`connector ${name} deleted`)
    }
    return 0
  },
}
