// API Gateway's WebSocket side: the handshake (identity → authorizer → $connect → 101), route
// selection for each message, error frames, timers, and $disconnect (spec §1, §2, §4, §5, §8).
import { STATUS_CODES, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { performance } from 'node:perf_hooks'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ApiDeclaration, RouteDeclaration } from '../src/api-declaration.ts'
import { AuthorizerFlow } from './authorizer-flow.ts'
import { newGatewayId, newTraceId } from './aws-ids.ts'
import { errorFrame, ForbiddenRoute, type GatewayErrorMessage } from './error-frames.ts'
import type { FunctionHost, InvokeOutcome } from './function-host.ts'
import type { InvocationLogger } from './invocation-log.ts'
import type { CloseCause, LiveConnection, LiveConnections } from './live-connections.ts'
import { compileRouteSelector } from './route-selection.ts'
import { connectEvent, disconnectEvent, messageEvent, type ApiInfo, type ConnectionInfo, type HandshakeRequest } from './websocket-events.ts'

export interface GatewayLimits {
  /** §9: 10 minutes without data frames in either direction. */
  readonly idleTimeoutMs: number
  /** §9: 2 hours. */
  readonly maxConnectionMs: number
  /** §9: inbound message payload, 128 KB. */
  readonly maxMessageBytes: number
}

export const awsLimits: GatewayLimits = {
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionMs: 2 * 60 * 60 * 1000,
  maxMessageBytes: 128 * 1024,
}

export interface GatewayDeps {
  readonly api: ApiDeclaration
  readonly apiInfo: ApiInfo
  readonly functions: ReadonlyMap<string, FunctionHost>
  readonly connections: LiveConnections
  readonly limits: GatewayLimits
  readonly log: InvocationLogger | undefined
}

/** §8: what `$disconnect` reports when the gateway itself ends the connection. */
export const closeCauses = {
  deleted: { code: 1000, reason: 'Connection Closed Normally' },
  idle: { code: 1001, reason: 'Going away' },
  maxDuration: { code: 1001, reason: 'Going away' },
  shutdown: { code: 1001, reason: 'Going away' },
} as const satisfies Record<string, CloseCause>

export class WebSocketGateway {
  private readonly wss: WebSocketServer
  private readonly routes: Map<string, RouteDeclaration>
  private readonly selector
  /** In-flight `$disconnect` invocations and not-yet-closed sockets, for close() to wait on. */
  private readonly disconnects = new Set<Promise<void>>()
  private readonly sockets = new Set<Promise<void>>()
  /** Subprotocol that `$connect` chose, per handshake request (§1.6). */
  private readonly protocols = new WeakMap<IncomingMessage, string>()
  /** §6.1: the `$connect` authorizer, when the API declares one. */
  private readonly authorizer: AuthorizerFlow | undefined

  constructor(private readonly deps: GatewayDeps) {
    this.routes = new Map(deps.api.routes.map((r) => [r.routeKey, r]))
    this.authorizer = authorizerFlowOf(deps)
    this.selector = compileRouteSelector(deps.api.routeSelectionExpression, this.routes.keys())
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: deps.limits.maxMessageBytes,
      // §1.5 / §10.4: AWS negotiates permessage-deflate. Small frames stay uncompressed (threshold).
      perMessageDeflate: { threshold: 1024 },
      handleProtocols: (_offered, req) => this.protocols.get(req) ?? false,
    })
  }

  /** Handles an upgrade request on the stage path. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): Promise<void> {
    const now = Date.now()
    const info: ConnectionInfo = {
      connectionId: newGatewayId(),
      connectedAt: now,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: req.headers['user-agent'],
      // §3.1 / §11: domainName is the Host the client used, without scheme or port.
      domainName: (req.headers.host ?? 'localhost').replace(/:\d+$/, ''),
      authorizer: undefined,
    }
    const handshake: HandshakeRequest = { rawHeaders: req.rawHeaders, query, traceId: newTraceId(now) }
    let clientGone = false
    socket.once('close', () => (clientGone = true))
    socket.on('error', () => {})
    // --- authorizer (spec §6, emulator/authorizer-flow.ts) ---
    // Identity sources, then the authorizer and its policy, before $connect; a rejection ends the
    // handshake with 401/403/500. Its context rides on every later event of the connection (§6.9).
    const authorized = this.authorizer ? await this.authorizer.authorize(info, handshake) : undefined
    if (authorized?.kind === 'reject') return rejectHandshake(socket, authorized.status)
    const connection = this.deps.connections.add(authorized ? { ...info, authorizer: authorized.authorizer } : info)
    // --- end authorizer ---

    const status = await this.runConnect(connection, handshake, req, authorized)
    if (status !== undefined || clientGone) {
      this.deps.connections.remove(connection)
      // §1.3 / §4.1: a rejected $connect fails the handshake with that status; no $disconnect follows (§8).
      if (status !== undefined) rejectHandshake(socket, status)
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(connection, ws))
  }

  /** Runs `$connect`; undefined means accepted, a number is the HTTP status to reject with. */
  private async runConnect(
    connection: LiveConnection,
    handshake: HandshakeRequest,
    req: IncomingMessage,
    authorized?: { readonly requestId: string; readonly integrationLatency: number },
  ): Promise<number | undefined> {
    const route = this.routes.get('$connect')
    // §1.4: $connect is optional.
    if (!route) return undefined
    // One handshake, one request id: the authorizer's, when there is one. §6.9: CONNECT also gets integrationLatency.
    const requestId = authorized?.requestId ?? newGatewayId()
    const event = connectEvent(this.deps.apiInfo, connection.info, handshake, requestId, Date.now(), authorized?.integrationLatency)
    const outcome = await this.invoke(route, event, connection.info.connectionId, requestId, (o) => connectStatus(o).toString())
    const status = connectStatus(outcome)
    if (status >= 200 && status < 300) {
      const protocol = outcome.kind === 'ok' ? subprotocolOf(outcome.payload) : undefined
      if (protocol !== undefined) this.protocols.set(req, protocol)
      return undefined
    }
    return status
  }

  private opened(connection: LiveConnection, ws: WebSocket): void {
    connection.socket = ws
    const { limits } = this.deps
    connection.idleTimer = setTimeout(() => this.closeBy(connection, closeCauses.idle), limits.idleTimeoutMs)
    connection.maxTimer = setTimeout(() => this.closeBy(connection, closeCauses.maxDuration), limits.maxConnectionMs)
    ws.on('message', (data: Buffer, isBinary) => {
      // §1.8: binary frames are not supported; the connection closes with 1003.
      if (isBinary) return this.closeBy(connection, { code: 1003, reason: 'Binary frames are not supported' })
      this.touched(connection)
      void this.onMessage(connection, data.toString('utf8'))
    })
    ws.on('error', () => {})
    const closed = new Promise<void>((resolve) => {
      ws.on('close', (code, reason) => {
        this.sockets.delete(closed)
        this.closed(connection, code, reason.toString())
        resolve()
      })
    })
    this.sockets.add(closed)
  }

  /** Data frames in either direction reset the idle timer; pings do not (§9, §10.2). */
  touched(connection: LiveConnection): void {
    connection.lastActiveAt = Date.now()
    connection.idleTimer?.refresh()
  }

  /** The gateway ends a connection itself (DeleteConnection, timers, limits, shutdown). */
  closeBy(connection: LiveConnection, cause: CloseCause): void {
    if (connection.closeCause || !connection.socket) return
    connection.closeCause = cause
    connection.socket.close(cause.code, cause.reason)
    // A peer that never answers the close handshake must not keep the connection alive.
    setTimeout(() => connection.socket?.terminate(), 1000).unref()
  }

  private async onMessage(connection: LiveConnection, body: string): Promise<void> {
    const { connectionId } = connection.info
    const requestId = newGatewayId()
    const routeKey = this.selector.select(body)
    // §2.8: nothing matches and there is no $default: a Forbidden frame, the socket stays open.
    if (routeKey === ForbiddenRoute) return this.sendFrame(connection, errorFrame('Forbidden', connectionId, requestId))
    const route = this.routes.get(routeKey)!
    const event = messageEvent(this.deps.apiInfo, connection.info, routeKey, body, requestId, Date.now())
    const outcome = await this.invoke(route, event, connectionId, requestId, (o) => o.kind)
    const gatewayError = messageError(outcome)
    if (gatewayError) return this.sendFrame(connection, errorFrame(gatewayError, connectionId, requestId))
    // §4.5–4.6: only a two-way route sends the result's body back; one-way routes send nothing.
    if (route.twoWay && outcome.kind === 'ok') {
      const body = bodyOf(outcome.payload)
      if (body !== undefined) this.sendFrame(connection, body)
    }
  }

  private sendFrame(connection: LiveConnection, frame: string): void {
    if (connection.socket?.readyState === 1) connection.socket.send(frame)
  }

  private closed(connection: LiveConnection, code: number, reason: string): void {
    this.deps.connections.remove(connection)
    const cause = connection.closeCause ?? clientCloseCause(code, reason)
    const route = this.routes.get('$disconnect')
    if (!route) return
    const requestId = newGatewayId()
    const event = disconnectEvent(this.deps.apiInfo, connection.info, cause.code, cause.reason, requestId, Date.now())
    // §4.7: best effort, the result is ignored; tracked so close() can wait for it.
    const done = this.invoke(route, event, connection.info.connectionId, requestId, (o) => o.kind).then(() => {
      this.disconnects.delete(done)
    })
    this.disconnects.add(done)
  }

  private async invoke(
    route: RouteDeclaration,
    event: unknown,
    connectionId: string,
    requestId: string,
    status: (outcome: InvokeOutcome) => string,
  ): Promise<InvokeOutcome> {
    const host = this.deps.functions.get(route.function)
    if (!host) throw new Error(`Route ${route.routeKey} names undeclared function ${route.function}`)
    const started = performance.now()
    const outcome = await host.invoke(event, requestId)
    this.deps.log?.({
      time: new Date().toISOString(),
      routeKey: route.routeKey,
      function: route.function,
      connectionId,
      requestId,
      status: status(outcome),
      durationMs: performance.now() - started,
      ...(outcome.kind === 'error' ? { error: `${outcome.error.errorType}: ${outcome.error.errorMessage}` } : {}),
    })
    return outcome
  }

  /** Closes every socket as a shutdown would (1001), then waits for their `$disconnect`s. */
  async close(): Promise<void> {
    for (const connection of this.deps.connections.all()) this.closeBy(connection, closeCauses.shutdown)
    await Promise.all(this.sockets)
    await Promise.all(this.disconnects)
    this.wss.close()
  }
}

function authorizerFlowOf(deps: GatewayDeps): AuthorizerFlow | undefined {
  const declaration = deps.api.authorizer
  if (!declaration) return undefined
  const host = deps.functions.get(declaration.function)
  if (!host) throw new Error(`The authorizer names undeclared function ${declaration.function}`)
  return new AuthorizerFlow({ declaration, host, apiInfo: deps.apiInfo, log: deps.log })
}

/** §8: what `$disconnect` reports for a close the client started. */
function clientCloseCause(code: number, reason: string): CloseCause {
  if (code === 1005) return { code, reason: 'Client-side close frame status not set' }
  return { code, reason }
}

/** §4.1–4.3: 2xx accepts; another number rejects with it; a crash or a result with no status is 502. */
function connectStatus(outcome: InvokeOutcome): number {
  switch (outcome.kind) {
    case 'ok': {
      const statusCode = (outcome.payload as { statusCode?: unknown } | null | undefined)?.statusCode
      return typeof statusCode === 'number' && Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599 ? statusCode : 502
    }
    case 'timeout':
      return 504
    case 'throttled':
      return 429
    case 'error':
      return 502
  }
}

/** §5.2–5.3: errors on a message route become an error frame; the socket stays open. */
function messageError(outcome: InvokeOutcome): GatewayErrorMessage | undefined {
  switch (outcome.kind) {
    case 'ok':
      return undefined
    case 'timeout':
      return 'Endpoint request timed out'
    case 'throttled':
    case 'error':
      return 'Internal server error'
  }
}

function bodyOf(payload: unknown): string | undefined {
  const body = (payload as { body?: unknown } | null | undefined)?.body
  return typeof body === 'string' ? body : undefined
}

/** §1.6–1.7: only `Sec-WebSocket-Protocol` from the $connect result reaches the client. */
function subprotocolOf(payload: unknown): string | undefined {
  const headers = (payload as { headers?: Record<string, unknown> } | null | undefined)?.headers
  if (!headers || typeof headers !== 'object') return undefined
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'sec-websocket-protocol' && typeof value === 'string') return value
  }
  return undefined
}

/** Ends a handshake with an HTTP status and a JSON message body, as API Gateway does (§5.6). */
export function rejectHandshake(socket: Duplex, status: number, message?: string): void {
  if (socket.destroyed) return
  const text = message ?? defaultMessage(status)
  const body = JSON.stringify({ message: text })
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  )
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Unauthorized'
  if (status === 403) return 'Forbidden'
  if (status === 429) return 'Too Many Requests'
  if (status === 502) return 'Internal server error'
  if (status === 504) return 'Endpoint request timed out'
  return STATUS_CODES[status] ?? 'Error'
}
