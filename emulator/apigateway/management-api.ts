// The `@connections` management API (ApiGatewayManagementApi 2018-11-29, spec §7), on the wire
// protocol the real SDK speaks, so `@aws-sdk/client-apigatewaymanagementapi` works unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gatewayIdPattern, newHttpRequestId } from './aws-ids.ts'
import { awsError, sendAwsError } from './aws-error-response.ts'
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

/** One `@connections` call, whichever way it arrived (HTTP, or a sandbox's fast path): what to answer. */
export interface ManagementCall {
  readonly method: string
  readonly connectionId: string
  readonly authorization: string | undefined
  /** The request body (POST), at most `maxPostBytes` of it, and its full size. */
  readonly body: Buffer
  readonly bodySize: number
}

export interface ManagementAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | number>>
  readonly body: string
}

/** Over HTTP: reads the body (bounded), answers through the one call path. */
export function handleManagementRequest(deps: ManagementApiDeps, req: IncomingMessage, res: ServerResponse, connectionId: string): void {
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size <= maxPostBytes) chunks.push(chunk)
  })
  req.on('end', async () => {
    const answer = await managementCall(deps, {
      method: req.method ?? '',
      connectionId,
      authorization: req.headers.authorization,
      body: Buffer.concat(chunks, Math.min(size, maxPostBytes)),
      bodySize: size,
    })
    res.writeHead(answer.status, answer.headers)
    res.end(answer.body)
  })
}

export async function managementCall(deps: ManagementApiDeps, call: ManagementCall): Promise<ManagementAnswer> {
  // §7.3 ForbiddenException for unsigned calls; any SigV4 signature is accepted offline.
  if (!/^AWS4-HMAC-SHA256 /.test(call.authorization ?? '')) return awsError(403, 'ForbiddenException', 'Missing Authentication Token')
  if (!gatewayIdPattern.test(call.connectionId)) return awsError(400, 'BadRequestException', `Invalid connectionId: ${call.connectionId}`)
  switch (call.method) {
    case 'POST':
      return post(deps, call)
    case 'GET':
      return get(deps, call.connectionId)
    case 'DELETE':
      return remove(deps, call.connectionId)
    default:
      return awsError(403, 'ForbiddenException', 'Missing Authentication Token')
  }
}

async function post(deps: ManagementApiDeps, call: ManagementCall): Promise<ManagementAnswer> {
  const delay = deps.postDelayMs(call.connectionId)
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
  if (call.bodySize > maxPostBytes) return awsError(413, 'PayloadTooLargeException', `Request payload size (${call.bodySize} bytes) exceeds ${maxPostBytes} bytes`)
  const connection = deps.connections.open(call.connectionId)
  if (!connection) return awsError(410, 'GoneException', undefined)
  const delivery = deps.deliver(connection, call.body)
  if (delivery === 'gone') return awsError(410, 'GoneException', undefined)
  // §7.3: "the client-side WebSocket buffer is full"; the gateway has closed that client.
  if (delivery === 'overflow') return awsError(429, 'LimitExceededException', 'Client buffer is full')
  return { status: 200, headers: { 'x-amzn-RequestId': newHttpRequestId(), 'content-length': 0 }, body: '' }
}

function get(deps: ManagementApiDeps, connectionId: string): ManagementAnswer {
  const connection = deps.connections.open(connectionId)
  if (!connection) return awsError(410, 'GoneException', undefined)
  const { info } = connection
  // §7.6: ISO-8601 with milliseconds; userAgent omitted when the client sent none.
  const body = JSON.stringify({
    connectedAt: new Date(info.connectedAt).toISOString(),
    identity: info.userAgent === undefined ? { sourceIp: info.sourceIp } : { sourceIp: info.sourceIp, userAgent: info.userAgent },
    lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
  })
  return { status: 200, headers: { 'x-amzn-RequestId': newHttpRequestId(), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body }
}

function remove(deps: ManagementApiDeps, connectionId: string): ManagementAnswer {
  const connection = deps.connections.open(connectionId)
  // §7.7: a second DELETE on the same id is Gone.
  if (!connection || connection.closeCause) return awsError(410, 'GoneException', undefined)
  deps.deleteConnection(connection)
  return { status: 204, headers: { 'x-amzn-RequestId': newHttpRequestId() }, body: '' }
}

/**
 * A sandbox's `@connections` call on the fast path (lambda/fast-path.ts): the request its HTTP
 * request would have been, answered as over HTTP, header names lower-cased as Node's client reports them.
 */
export async function fastManagementCall(
  deps: ManagementApiDeps,
  request: { readonly method: string; readonly path: string; readonly headers: Readonly<Record<string, string>>; readonly body: string | Uint8Array | undefined },
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const path = request.path.split('?')[0]
  const connectionId = managementTarget(deps.stage, path)
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body)
  const authorization = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1]
  const answer =
    connectionId === undefined
      ? awsError(403, 'ForbiddenException', 'Forbidden')
      : await managementCall(deps, { method: request.method, connectionId, authorization, body: body.subarray(0, maxPostBytes), bodySize: body.length })
  return {
    status: answer.status,
    headers: Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), String(value)])),
    body: answer.body,
  }
}
