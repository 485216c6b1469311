/**
 * The web UI (src/ui/): static files served at /ui/ from memory, behind the REST API's own authentication, and GET /
 * for a browser (one that asks for HTML and not for JSON) redirected there. The files are plain ES modules, HTML and
 * CSS, read once at start: nothing is fetched from anywhere else at run time.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

/** One file of the UI, ready to send. */
interface Asset {
  readonly body: Buffer
  readonly type: string
  readonly etag: string
}

/** Where the UI's files are: src/ui beside src/rest, or dist/ui beside dist/rest (npm run build copies them). */
function uiFolder(): string | undefined {
  const folder = fileURLToPath(new URL('../../ui/', import.meta.url))
  return existsSync(folder) ? folder : undefined
}

function readAssets(folder: string): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry)
      if (statSync(path).isDirectory()) walk(path)
      else {
        const type = TYPES[extname(entry)]
        if (type === undefined) continue
        const body = readFileSync(path)
        const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`
        assets.set(relative(folder, path).split(sep).join('/'), { body, type, etag })
      }
    }
  }
  walk(folder)
  return assets
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset | undefined): FastifyReply {
  if (asset === undefined) return reply.code(404).send({ error_code: 404, message: 'HTTP 404 Not Found' })
  reply.header('cache-control', 'no-cache').header('etag', asset.etag)
  // Pages are served from this worker only: no framing by other sites, no scripts from elsewhere.
  reply
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'self'; style-src 'self'; img-src 'self' data:")
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send()
  return reply.type(asset.type).send(asset.body)
}

/** Whether a GET / comes from a browser: it asks for HTML and not for JSON (curl and Connect clients do not). */
export function wantsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false
  return accept.includes('text/html') && !accept.includes('application/json')
}

/**
 * Registers /ui/ (the router ignores the trailing slash, so /ui too: index.html names its files by absolute path)
 * and its files; nothing when the UI's files are not installed.
 */
export function uiRoutes(app: FastifyInstance): void {
  const folder = uiFolder()
  if (folder === undefined) return
  const assets = readAssets(folder)
  app.get('/ui/', async (request, reply) => send(request, reply, assets.get('index.html')))
  app.get('/ui/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*']
    return send(request, reply, assets.get(path))
  })
}
