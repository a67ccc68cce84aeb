// The bill over HTTP, on the emulator's own port: `GET /_emulator/usage` (JSON, since start, or
// `?since=<mark>`), and `POST /_emulator/usage/marks`, which answers `{"mark":"m1"}`.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { UnknownMarkError, type UsageMeter } from './usage-meter.ts'

export const usagePath = '/_emulator/usage'
export const marksPath = '/_emulator/usage/marks'

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers })
  res.end(text)
}

/** Answers the request when its path is one of the usage paths; false otherwise. */
export function routeUsage(meter: UsageMeter, path: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> | false {
  if (path !== usagePath && path !== marksPath) return false
  req.resume()
  return (async () => {
    if (path === marksPath) {
      if (req.method !== 'POST') return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: `${marksPath} takes POST` }, { allow: 'POST' })
      return send(res, 201, { mark: await meter.mark() })
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: `${usagePath} takes GET` }, { allow: 'GET, HEAD' })
    const since = query.get('since') ?? undefined
    try {
      return send(res, 200, await meter.report(since))
    } catch (error) {
      if (error instanceof UnknownMarkError) return send(res, 404, { code: error.code, message: error.message })
      throw error
    }
  })()
}
