// @ts-check
/** The plugins page: every plugin the worker loaded (connectors, converters, transforms, predicates...). */
import { api } from '../api.js'
import { h, render } from '../dom.js'

/** @type {import('../app.js').Page} */
export async function pluginsPage(main) {
  /** @type {Array<{class: string, type: string, version?: string}>} */
  const plugins = await api.allPlugins()
  render(
    main,
    h('h1', {}, 'Plugins'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Class'), h('th', {}, 'Type'), h('th', {}, 'Version'), h('th', {}, ''))),
      h(
        'tbody',
        {},
        plugins.map((p) =>
          h(
            'tr',
            {},
            h('td', {}, p.class),
            h('td', {}, p.type),
            h('td', {}, p.version ?? ''),
            h(
              'td',
              {},
              p.type === 'source' || p.type === 'sink'
                ? h('a', { href: `#/create?plugin=${encodeURIComponent(p.class)}` }, 'Create')
                : '',
            ),
          ),
        ),
      ),
    ),
  )
}
