// @ts-check
/**
 * The cluster page: the workers that run something, with what each runs, from the statuses every worker writes
 * to the status topic (one GET /connectors?expand=status).
 */
import { api } from '../api.js'
import { h, render, stateBadge } from '../dom.js'

/**
 * The work of each worker, from the connectors' statuses.
 * @param {Record<string, any>} answer
 * @returns {Map<string, Array<{ id: string, state: string, task: boolean }>>}
 */
export function workByWorker(answer) {
  /** @type {Map<string, Array<{ id: string, state: string, task: boolean }>>} */
  const workers = new Map()
  const add = (/** @type {string} */ worker, /** @type {string} */ id, /** @type {string} */ state, task = false) =>
    workers.set(worker, [...(workers.get(worker) ?? []), { id, state, task }])
  for (const [name, value] of Object.entries(answer)) {
    const status = value.status
    if (!status) continue
    if (status.connector?.worker_id) add(status.connector.worker_id, name, status.connector.state)
    for (const t of status.tasks ?? []) if (t.worker_id) add(t.worker_id, `${name}-${t.id}`, t.state, true)
  }
  return new Map([...workers].sort(([a], [b]) => a.localeCompare(b)))
}

/** @type {import('../app.js').Page} */
export async function clusterPage(main) {
  const box = h('div', {})
  async function refresh() {
    const [root, answer] = await Promise.all([api.root(), api.connectors()])
    const workers = workByWorker(answer)
    render(
      box,
      h(
        'p',
        {},
        `Kafka cluster ${root.kafka_cluster_id} · Connect ${root.version} (${root.commit}) · ${workers.size} worker(s) running work · this page served by ${location.host}`,
      ),
      h(
        'div',
        { class: 'cards' },
        [...workers].map(([worker, work]) =>
          h(
            'section',
            { class: 'card', 'aria-label': `Worker ${worker}` },
            h('h2', {}, worker),
            h(
              'p',
              { class: 'muted' },
              `${work.filter((w) => !w.task).length} connectors, ${work.filter((w) => w.task).length} tasks`,
            ),
            h(
              'ul',
              {},
              work.slice(0, 50).map((w) => h('li', {}, `${w.id} `, stateBadge(w.state))),
            ),
            work.length > 50 ? h('p', { class: 'muted' }, `and ${work.length - 50} more`) : null,
          ),
        ),
      ),
    )
  }
  render(main, h('h1', {}, 'Cluster'), box)
  await refresh()
  return refresh
}
