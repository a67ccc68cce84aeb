// CORS for the local Cognito, answered only for origins on an allowlist: the emulator's own origin
// (on a loopback or unspecified host also the same port on localhost, 127.0.0.1 and [::1], the names
// a developer opens the page by) plus the configured `allowedOrigins` (e.g. a page served by a dev
// server). Cognito's public endpoint answers any origin; a developer's local pool does not, so a page
// from elsewhere cannot drive it: a response without Access-Control-Allow-Origin is one the browser
// withholds from the page. The allowed origin is echoed (never `*`) with `Vary: Origin`; the
// preflight answers a fixed list of headers, never the list the request asked for (Fetch standard,
// CORS protocol: the preflight's Access-Control-Allow-Headers is checked by the browser, not echoed).
import type { IncomingMessage, ServerResponse } from 'node:http'

/** What the SDK (`@aws-sdk/client-cognito-identity-provider` in a browser) and the page send. */
const allowedHeaders = [
  'content-type',
  'x-amz-target',
  'x-amz-user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'cache-control',
].join(', ')

const exposedHeaders = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date'

export class CorsPolicy {
  private readonly origins: ReadonlySet<string>

  /** `endpoint`: the emulator's HTTP origin; `allowedOrigins`: more, each `scheme://host[:port]`. Throws on one that is not. */
  constructor(endpoint: string, allowedOrigins: readonly string[] = []) {
    this.origins = new Set([...ownOrigins(endpoint), ...allowedOrigins.map(originOf)])
  }

  /** The CORS headers of any answer to a request from `origin`: the echo only for an allowed one; `Vary` always, as the answer depends on it. */
  headersFor(origin: string | undefined): Record<string, string> {
    if (origin === undefined || !this.origins.has(origin)) return { vary: 'Origin' }
    return { vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-expose-headers': exposedHeaders }
  }

  /** The browser's preflight before a cross-origin `POST /` with `X-Amz-Target`: 403 without CORS headers for a foreign origin. */
  answerPreflight(req: IncomingMessage, res: ServerResponse): void {
    req.resume()
    const cors = this.headersFor(req.headers.origin)
    if (cors['access-control-allow-origin'] === undefined) {
      res.writeHead(403, { ...cors, 'content-length': '0' })
      return void res.end()
    }
    res.writeHead(200, {
      ...cors,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': allowedHeaders,
      'access-control-max-age': '86400',
      'content-length': '0',
    })
    res.end()
  }
}

/** A loopback or unspecified host is reachable as localhost, 127.0.0.1 and [::1] alike. */
function ownOrigins(endpoint: string): string[] {
  const url = new URL(endpoint)
  const host = url.hostname
  const local = host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '0.0.0.0' || host === '[::]'
  if (!local) return [url.origin]
  const port = url.port ? `:${url.port}` : ''
  return [url.origin, ...['localhost', '127.0.0.1', '[::1]'].map((name) => `${url.protocol}//${name}${port}`)]
}

/** The serialized origin of `value` (as browsers send it in `Origin`), or an error naming the setting. */
function originOf(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  const plain = url && (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password
  if (!url || !plain) throw new Error(`allowedOrigins: ${JSON.stringify(value)} is not an origin such as http://localhost:5173`)
  return url.origin
}
