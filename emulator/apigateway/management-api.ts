// The `@connections` management API (ApiGatewayManagementApi 2018-11-29, spec §7), on the wire
// protocol the real SDK speaks, so `@aws-sdk/client-apigatewaymanagementapi` works unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gatewayIdPattern, newHttpRequestId } from './aws-ids.ts'
import { sendAwsError } from './aws-error-response.ts'
import type { LiveConnection, LiveConnections } from './live-connections.ts'
import type { Delivery } from './websocket-gateway.ts'

/** §9: Data max 131072 bytes. */
export const maxPostBytes = 131072

export interface ManagementApiDeps {
  readonly stage: string
  readonly connections: LiveConnections
  /** The gateway's one outbound path (§7.8: a text message in frames of at most 32 KB). */
  readonly deliver: (connection: LiveConnection, data: Buffer) => Delivery
  /** Fault switch: how long a post to this connection waits before it is delivered. */
  readonly postDelayMs: (connectionId: string) => number
  /** DeleteConnection: close with 1000 and fire `$disconnect` (§7.7). */
  readonly deleteConnection: (connection: LiveConnection) => void
}

/** The connection id addressed by a path, or undefined when the path is not `@connections`. */
export function managementTarget(stage: string, rawPath: string): string | undefined {
  // §7.2: SDKs send `@` literally, curl examples send `%40`; ids arrive URL-encoded. Decode once.
  const match = /^\/([^/]+)\/(?:@|%40)connections\/([^/?]+)$/i.exec(rawPath)
  if (!match || match[1] !== stage) return undefined
  try {
    return decodeURIComponent(match[2])
  } catch {
    return ''
  }
}

/** §7.3: an `@connections` path outside this stage (e.g. without the stage) is Forbidden, not Not Found. */
export function rejectForeignManagementPath(rawPath: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (!/\/(?:@|%40)connections(?:\/|$)/i.test(rawPath)) return false
  req.resume()
  sendAwsError(res, 403, 'ForbiddenException', 'Forbidden')
  return true
}

export function handleManagementRequest(deps: ManagementApiDeps, req: IncomingMessage, res: ServerResponse, connectionId: string): void {
  // §7.3 ForbiddenException for unsigned calls; any SigV4 signature is accepted offline.
  if (!/^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '')) {
    req.resume()
    return sendAwsError(res, 403, 'ForbiddenException', 'Missing Authentication Token')
  }
  if (!gatewayIdPattern.test(connectionId)) {
    req.resume()
    return sendAwsError(res, 400, 'BadRequestException', `Invalid connectionId: ${connectionId}`)
  }
  switch (req.method) {
    case 'POST':
      return post(deps, req, res, connectionId)
    case 'GET':
      req.resume()
      return get(deps, res, connectionId)
    case 'DELETE':
      req.resume()
      return remove(deps, res, connectionId)
    default:
      req.resume()
      return sendAwsError(res, 403, 'ForbiddenException', 'Missing Authentication Token')
  }
}

function post(deps: ManagementApiDeps, req: IncomingMessage, res: ServerResponse, connectionId: string): void {
  const chunks: Buffer[] = []
  let size = 0
  let tooLarge = false
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > maxPostBytes) tooLarge = true
    else chunks.push(chunk)
  })
  req.on('end', async () => {
    const delay = deps.postDelayMs(connectionId)
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    if (tooLarge) return sendAwsError(res, 413, 'PayloadTooLargeException', `Request payload size (${size} bytes) exceeds ${maxPostBytes} bytes`)
    const connection = deps.connections.open(connectionId)
    if (!connection) return sendAwsError(res, 410, 'GoneException', undefined)
    const delivery = deps.deliver(connection, Buffer.concat(chunks, size))
    if (delivery === 'gone') return sendAwsError(res, 410, 'GoneException', undefined)
    // §7.3: "the client-side WebSocket buffer is full"; the gateway has closed that client.
    if (delivery === 'overflow') return sendAwsError(res, 429, 'LimitExceededException', 'Client buffer is full')
    res.writeHead(200, { 'x-amzn-RequestId': newHttpRequestId(), 'content-length': 0 })
    res.end()
  })
}

function get(deps: ManagementApiDeps, res: ServerResponse, connectionId: string): void {
  const connection = deps.connections.open(connectionId)
  if (!connection) return sendAwsError(res, 410, 'GoneException', undefined)
  const { info } = connection
  // §7.6: ISO-8601 with milliseconds; userAgent omitted when the client sent none.
  const body = JSON.stringify({
    connectedAt: new Date(info.connectedAt).toISOString(),
    identity: info.userAgent === undefined ? { sourceIp: info.sourceIp } : { sourceIp: info.sourceIp, userAgent: info.userAgent },
    lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
  })
  res.writeHead(200, { 'x-amzn-RequestId': newHttpRequestId(), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function remove(deps: ManagementApiDeps, res: ServerResponse, connectionId: string): void {
  const connection = deps.connections.open(connectionId)
  // §7.7: a second DELETE on the same id is Gone.
  if (!connection || connection.closeCause) return sendAwsError(res, 410, 'GoneException', undefined)
  deps.deleteConnection(connection)
  res.writeHead(204, { 'x-amzn-RequestId': newHttpRequestId() })
  res.end()
}
