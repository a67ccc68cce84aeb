// Which part of the emulator an HTTP request is for, decided from its parsed target (request-target.ts):
// the local Cognito (its JSON API and JWKS), the `@connections` API under the stage path, the
// emulator's usage report (`/_emulator/usage`, usage/usage-http.ts), the stage
// path itself (426, it wants an upgrade), the web page, or nothing (404). What cannot be parsed is 400.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LocalCognito } from './cognito/local-cognito.ts'
import { handleManagementRequest, managementTarget, rejectForeignManagementPath, type ManagementApiDeps } from './apigateway/management-api.ts'
import { parseRequestTarget } from './request-target.ts'
import { serveStatic, type StaticSite } from './static-site.ts'
import { routeUsage } from './usage/usage-http.ts'
import type { UsageMeter } from './usage/usage-meter.ts'

export interface HttpSurface {
  readonly stage: string
  readonly cognito: LocalCognito
  readonly management: ManagementApiDeps
  readonly site: StaticSite | undefined
  readonly usage: UsageMeter
}

export function sendJson(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ message })
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

export async function routeRequest(surface: HttpSurface, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = parseRequestTarget(req.url)
  if (!target) {
    req.resume()
    return sendJson(res, 400, 'Bad Request', { connection: 'close' })
  }
  const { path } = target
  const toCognito = surface.cognito.route(req, path)
  if (toCognito) return toCognito(res)
  const connectionId = managementTarget(surface.stage, path)
  if (connectionId !== undefined) return handleManagementRequest(surface.management, req, res, connectionId)
  if (rejectForeignManagementPath(path, req, res)) return
  const toUsage = routeUsage(surface.usage, path, target.query, req, res)
  if (toUsage) return toUsage
  req.resume()
  // §1.2: a plain request to the WebSocket endpoint asks for an upgrade.
  if (isStagePath(surface.stage, path)) return sendJson(res, 426, 'Upgrade Required')
  if (surface.site) return serveStatic(surface.site, target.decodedPath, req, res)
  sendJson(res, 404, 'Not Found')
}

/** §1.1: the stage is the first (and only) path segment of the WebSocket URL. */
export function isStagePath(stage: string, path: string): boolean {
  return path === `/${stage}` || path === `/${stage}/`
}
