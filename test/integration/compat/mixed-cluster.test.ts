/**
 * A mixed cluster: a Java Connect worker and a tsconnect worker in one group, on the same internal topics. Each runs
 * the share of connectors and tasks the leader assigned to it (whichever of the two leads), both answer the same
 * statuses, and when the Java worker leaves, tsconnect takes its share over without losing or repeating a line.
 */
import assert from 'node:assert/strict'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { createAdmin } from '../../../src/kafka/clients.ts'
import { type CompatWorker, javaConnect, tsconnect } from '../../support/compat.ts'
import { testDir } from '../../support/connect-process.ts'
import { http, until } from '../../support/herder-cluster.ts'
import { testClientProperties, uniqueName } from '../../support/kafka.ts'

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
}

const running: CompatWorker[] = []
after(async () => {
  await Promise.allSettled(running.map((w) => w.stop()))
})

function fileLines(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : []
}

async function statuses(w: CompatWorker, names: readonly string[]): Promise<Status[] | undefined> {
  const all: Status[] = []
  for (const name of names) {
    const r = await http(`${w.url}/connectors/${name}/status`)
    if (r.status !== 200) return undefined
    all.push(r.body as Status)
  }
  return all
}

/** The worker ids running each connector and task, once everything runs (as `w` reports it). */
async function placement(w: CompatWorker, names: readonly string[]): Promise<string[]> {
  return until('every connector and task RUNNING', 60_000, async () => {
    const all = await statuses(w, names)
    if (all === undefined) return undefined
    const units = all.flatMap((s) => [s.connector, ...s.tasks])
    const ok = all.every((s) => s.tasks.length > 0) && units.every((u) => u.state === 'RUNNING')
    return ok ? units.map((u) => u.worker_id) : undefined
  })
}

describe('a Java Connect worker and a tsconnect worker in one group', () => {
  test('share the connectors and tasks, agree on statuses, and hand over without losing a line', async () => {
    const group = uniqueName('mixed')
    const dir = testDir()
    const input = join(dir, `${group}-in.txt`)
    const outs = [join(dir, `${group}-a.txt`), join(dir, `${group}-b.txt`)]
    const topic = `${group}-lines`
    const admin = createAdmin(testClientProperties())
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
    await admin.close()
    writeFileSync(input, '')
    let written = 0
    const write = (n: number) => {
      const lines = Array.from({ length: n }, () => `line-${++written}`)
      appendFileSync(input, `${lines.join('\n')}\n`)
    }
    const all = () => Array.from({ length: written }, (_, i) => `line-${i + 1}`)

    const [java, ours] = await Promise.all([javaConnect.start(group), tsconnect.start(group)])
    running.push(java, ours)
    const ids = new Map([
      [new URL(java.url).host, 'Java'],
      [new URL(ours.url).host, 'tsconnect'],
    ])
    const names = ['source', 'sink-a', 'sink-b'].map((n) => `${n}-${group}`)
    const [source, sinkA, sinkB] = names as [string, string, string]
    // Created through both workers: each forwards to the leader, whichever runtime it is.
    const created = [
      await http(`${java.url}/connectors`, 'POST', {
        name: source,
        config: { 'connector.class': 'FileStreamSource', file: input, topic },
      }),
      await http(`${ours.url}/connectors`, 'POST', {
        name: sinkA,
        config: { 'connector.class': 'FileStreamSink', file: outs[0], topics: topic },
      }),
      await http(`${java.url}/connectors`, 'POST', {
        name: sinkB,
        config: { 'connector.class': 'FileStreamSink', file: outs[1], topics: topic },
      }),
    ]
    for (const r of created) assert.equal(r.status, 201, JSON.stringify(r.body))

    // Six units (three connectors, three tasks) over two workers: both run some.
    const placed = await until('work on both workers', 60_000, async () => {
      const p = await placement(ours, names)
      return new Set(p).size === 2 ? p : undefined
    })
    console.log(`# mixed cluster: ${placed.map((id) => ids.get(id) ?? id).join(', ')} (source, its task, sink-a, ...)`)
    for (const id of placed) assert.ok(ids.has(id), `${id} is one of the two workers`)
    // Both answer the same statuses.
    await until('the same statuses on both workers', 20_000, async () => {
      const [a, b] = [await statuses(java, names), await statuses(ours, names)]
      return a !== undefined && JSON.stringify(a) === JSON.stringify(b) ? true : undefined
    })

    write(20)
    for (const out of outs) {
      await until(`every line in ${out}`, 60_000, async () => {
        const seen = new Set(fileLines(out))
        return all().every((l) => seen.has(l)) ? true : undefined
      })
    }

    // The Java worker leaves: tsconnect runs everything and carries on from the committed offsets.
    await java.stop()
    running.splice(running.indexOf(java), 1)
    write(20)
    const oursId = new URL(ours.url).host
    await until('everything on tsconnect', 60_000, async () => {
      const p = await placement(ours, names)
      return p.every((id) => id === oursId) ? true : undefined
    })
    for (const out of outs) {
      await until(`every line in ${out}`, 60_000, async () => {
        const seen = new Set(fileLines(out))
        return all().every((l) => seen.has(l)) ? true : undefined
      })
    }
    const repeated = outs.map((out) => fileLines(out).length - new Set(fileLines(out)).size)
    console.log(`# mixed cluster: ${written} lines; repeated after the Java worker left: ${repeated.join(', ')}`)
    assert.deepEqual(repeated, [0, 0])
  })
})
