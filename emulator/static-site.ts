// Serves the web client in dev, with the `config.json` the deployed stack would write next to it.
// Only files inside the site folder are served: no `..`, no dotfiles, no symlink that leads out of
// it, no directories; each with its content type and the page's security headers.
import { realpath, readFile, stat } from 'node:fs/promises'
import { extname, join, sep } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
}

export interface StaticSite {
  /** The site folder, as the real path (symlinks resolved) that every served file must lie under. */
  readonly root: string
  /** Served as `/config.json`: what the page needs to find the API. */
  readonly config: () => Record<string, unknown>
  /** Sent with every file (src/page-security-headers.ts). */
  readonly headers: Readonly<Record<string, string>>
}

export async function openStaticSite(dir: string, config: StaticSite['config'], headers: StaticSite['headers']): Promise<StaticSite> {
  return { root: await realpath(dir), config, headers }
}

/** `decodedPath`: the request path, percent-decoded once (request-target.ts). */
export async function serveStatic(site: StaticSite, decodedPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume()
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
    return void res.end('Method not allowed')
  }
  if (decodedPath === '/config.json') return send(req, res, 200, { 'content-type': contentTypes['.json'], 'cache-control': 'no-store' }, JSON.stringify(site.config()))
  const file = await fileOf(site, decodedPath === '/' ? '/index.html' : decodedPath)
  if (!file) return send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found')
  const body = await readFile(file)
  send(req, res, 200, { 'content-type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...site.headers }, body)
}

/** The file a path names, or undefined when it names nothing the site may serve. */
async function fileOf(site: StaticSite, path: string): Promise<string | undefined> {
  const segments = path.split('/').filter((segment) => segment !== '')
  // `.` and `..` start with a dot too: no traversal, no `.git`, no `.env`.
  if (segments.length === 0 || segments.some((segment) => segment.startsWith('.') || segment.includes('\\'))) return undefined
  try {
    const real = await realpath(join(site.root, ...segments))
    if (!real.startsWith(site.root + sep)) return undefined
    return (await stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) })
  res.end(req.method === 'HEAD' ? undefined : body)
}
