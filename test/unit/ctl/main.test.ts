import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { substituteEnv } from '../../../src/ctl/commands/apply.ts'
import { main } from '../../../src/ctl/main.ts'
import { CommandFailed } from '../../../src/ctl/usage.ts'
import { VERBS } from '../../../src/ctl/verbs.ts'
import { reached } from '../../../src/ctl/wait.ts'

/** A `${env:NAME}` reference, as connector files hold them. */
const ref = (name: string) => `\${env:${name}}`

const dir = mkdtempSync(join(tmpdir(), 'tsconnect-ctl-unit-'))
let files = 0

/** Runs the command in process with its own contexts file; answers the exit code and output. */
async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { TSCONNECT_CONFIG: join(dir, `contexts-${++files}.json`), ...env },
    readStdin: async () => '',
  })
  return { code, stdout, stderr }
}

describe('the tsconnect command line', () => {
  test('an unknown verb exits 2 and points to --help', async () => {
    const r = await run(['frobnicate'])
    assert.equal(r.code, 2)
    assert.equal(r.stderr, "error: unknown verb 'frobnicate'\nRun 'tsconnect --help' for the verbs.\n")
  })

  test('help without a verb lists the verbs, exit 0; global flags without a verb are a usage error', async () => {
    for (const args of [[], ['help'], ['--help']]) {
      const r = await run(args)
      assert.equal(r.code, 0, args.join(' '))
      assert.match(r.stdout, /^ {2}apply +Create or update connectors/m)
    }
    assert.equal((await run(['--context', 'x'])).code, 2)
  })

  test('an unknown flag exits 2 with the verb’s usage', async () => {
    const r = await run(['get', 'connectors', '--bogus'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /^error: Unknown option '--bogus'/)
    assert.match(r.stderr, /^Usage: tsconnect get connectors/m)
  })

  test('-o on a verb that prints no data exits 2', async () => {
    assert.equal((await run(['pause', 'a', '-o', 'json'])).code, 2)
  })

  test('a wait for a state that is not a target state exits 2 before any request', async () => {
    const r = await run(['resume', 'a', '--wait', 'FAILED', '--cluster', 'http://127.0.0.1:1'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /--wait takes RUNNING, PAUSED, STOPPED/)
  })

  test('an unreachable cluster exits 1 with one line naming it', async () => {
    const r = await run(['info', '--cluster', 'http://127.0.0.1:1'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'error: cannot reach http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n')
  })

  test('every verb’s --help shows its usage and an example', async () => {
    for (const verb of VERBS) {
      const r = await run([verb.name, '--help'])
      assert.equal(r.code, 0, verb.name)
      assert.match(r.stdout, /^Usage: tsconnect /m, verb.name)
      assert.match(r.stdout, /^Examples:\n {2}\S/m, verb.name)
    }
    assert.equal((await run(['help', 'apply'])).stdout, (await run(['apply', '-h'])).stdout)
  })

  test('contexts are saved readable by the owner only and listed without their secrets', async () => {
    const env = { TSCONNECT_CONFIG: join(dir, 'saved.json') }
    const set = await run(
      ['config', 'set-context', 'prod', '--cluster', 'https://c:8443', '--username', 'ops', '--password', 'pw-123'],
      env,
    )
    assert.equal(set.code, 0, set.stderr)
    await run(['config', 'set-context', 'ci', '--cluster', 'http://c:8083', '--token', 'tok-456'], env)
    assert.equal(statSync(env.TSCONNECT_CONFIG).mode & 0o777, 0o600)
    const outputs = [
      set.stdout,
      (await run(['config', 'get-contexts'], env)).stdout,
      (await run(['config', 'get-contexts', '-o', 'json'], env)).stdout,
      (await run(['config', 'get-contexts', '-o', 'yaml'], env)).stdout,
    ].join('\n')
    assert.doesNotMatch(outputs, /pw-123|tok-456/)
    assert.match(outputs, /basic \(user ops\)/)
    assert.match(outputs, /bearer/)
    assert.equal((await run(['config', 'current-context'], env)).stdout, 'prod\n')
    await run(['config', 'use-context', 'ci'], env)
    assert.equal(JSON.parse(readFileSync(env.TSCONNECT_CONFIG, 'utf8')).currentContext, 'ci')
    assert.equal((await run(['config', 'use-context', 'nope'], env)).code, 1)
  })

  test('a contexts file that is not one is an error, and is left as it was', async () => {
    const path = join(dir, 'broken.json')
    writeFileSync(path, 'not json')
    const r = await run(['config', 'get-contexts'], { TSCONNECT_CONFIG: path })
    assert.equal(r.code, 1)
    assert.match(r.stderr, /is not valid/)
    assert.equal(readFileSync(path, 'utf8'), 'not json')
  })

  test('apply stops before any request when an env variable it references is not set', async () => {
    const file = join(dir, 'needs-env.json')
    writeFileSync(file, JSON.stringify({ name: 'x', 'connector.class': 'FileStreamSink', file: ref('NOT_SET_1') }))
    const r = await run(['apply', '-f', file, '--cluster', 'http://127.0.0.1:1'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, `error: ${file}: environment variable not set: NOT_SET_1\n`)
  })
})

describe('environment variable references in connector files', () => {
  test('replaces every reference in values and keeps the rest of the value', () => {
    const config = { url: `jdbc://${ref('HOST')}:${ref('PORT')}/db`, other: '$' + '{file:/x:y}' }
    assert.deepEqual(substituteEnv(config, { HOST: 'h', PORT: '5432' }, 'f'), {
      url: 'jdbc://h:5432/db',
      other: '$' + '{file:/x:y}',
    })
  })

  test('names every missing variable at once', () => {
    assert.throws(
      () => substituteEnv({ a: ref('A'), b: ref('B') }, {}, 'f.json'),
      (e: unknown) => {
        return e instanceof CommandFailed && e.message === 'f.json: environment variables not set: A, B'
      },
    )
  })
})

describe('--wait', () => {
  const status = (connector: string, tasks: string[]) => ({
    name: 'c',
    type: 'source' as const,
    connector: { state: connector, worker_id: 'w' },
    tasks: tasks.map((state, id) => ({ id, state, worker_id: 'w' })),
  })

  test('RUNNING needs the connector and every task running, and at least one task', () => {
    assert.equal(reached(status('RUNNING', ['RUNNING', 'RUNNING']), 'RUNNING'), true)
    assert.equal(reached(status('RUNNING', ['RUNNING', 'FAILED']), 'RUNNING'), false)
    assert.equal(reached(status('RUNNING', []), 'RUNNING'), false)
  })

  test('STOPPED needs the tasks gone', () => {
    assert.equal(reached(status('STOPPED', []), 'STOPPED'), true)
    assert.equal(reached(status('STOPPED', ['PAUSED']), 'STOPPED'), false)
  })
})

describe('shell completion', () => {
  test('the bash script is valid bash and completes every verb', async () => {
    const r = await run(['completion', 'bash'])
    assert.equal(r.code, 0)
    execFileSync('bash', ['-n'], { input: r.stdout })
    assert.match(r.stdout, /^complete -F _tsconnect tsconnect$/m)
    for (const verb of VERBS.filter((v) => !v.name.startsWith('__')))
      assert.match(r.stdout, new RegExp(`\\b${verb.name}\\b`))
  })

  test('the zsh script loads bash completion first', async () => {
    const r = await run(['completion', 'zsh'])
    assert.match(r.stdout, /^autoload -U \+X bashcompinit && bashcompinit$/m)
    assert.match(r.stdout, /^complete -F _tsconnect tsconnect$/m)
  })

  test('context names complete from the contexts file; an unreachable cluster completes nothing, silently', async () => {
    const env = { TSCONNECT_CONFIG: join(dir, 'complete.json') }
    await run(['config', 'set-context', 'alpha', '--cluster', 'http://127.0.0.1:1'], env)
    assert.equal((await run(['__complete', 'contexts'], env)).stdout, 'alpha\n')
    const connectors = await run(['__complete', 'connectors'], env)
    assert.deepEqual([connectors.code, connectors.stdout, connectors.stderr], [0, '', ''])
  })
})
