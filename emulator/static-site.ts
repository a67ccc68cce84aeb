// Serves the web client in dev, with the `config.json` the deployed stack would write next to it.
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { ServerResponse } from 'node:http'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

export interface StaticSite {
  readonly dir: string
  /** Served as `/config.json`: what the page needs to find the API. */
  readonly config: () => Record<string, unknown>
}

export async function serveStatic(site: StaticSite, path: string, res: ServerResponse): Promise<void> {
  if (path === '/config.json') {
    const body = JSON.stringify(site.config())
    res.writeHead(200, { 'content-type': contentTypes['.json'], 'cache-control': 'no-store' })
    return void res.end(body)
  }
  const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path))
  const file = join(site.dir, relative)
  if (!file.startsWith(site.dir + sep)) return notFound(res)
  try {
    const body = await readFile(file)
    res.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      // The page renders user text as text; this keeps any slip from running script.
      'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss: http: https:; img-src 'self' data:; style-src 'self'",
      'x-content-type-options': 'nosniff',
    })
    res.end(body)
  } catch {
    notFound(res)
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' })
  res.end('Not found')
}
