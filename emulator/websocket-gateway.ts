// API Gateway's WebSocket side: the handshake (identity → authorizer → $connect → 101), route
// selection for each message, error frames, timers, and $disconnect (spec §1, §2, §4, §5, §8).
import type { IncomingMessage } from 'node:http'
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
import { closeCauses, violationCause } from './close-causes.ts'
import { rejectHandshake } from './handshake-rejection.ts'
import { InboundFrameLimits } from './inbound-frame-limits.ts'
import { bodyOf, connectStatus, messageError, subprotocolOf } from './integration-response.ts'
import { maxFrameBytes, sendTextMessage } from './outbound-frames.ts'
import { RouteThrottle, type ThrottleSettings } from './token-bucket.ts'
import { connectEvent, disconnectEvent, messageEvent, type ApiInfo, type ConnectionInfo, type HandshakeRequest } from './websocket-events.ts'

export interface GatewayLimits {
  /** §9: 10 minutes without data frames in either direction. */
  readonly idleTimeoutMs: number
  /** §9: 2 hours. */
  readonly maxConnectionMs: number
  /** §9: inbound message payload, 128 KB. */
  readonly maxMessageBytes: number
  /** §1.9: inbound frame payload, 32 KB. */
  readonly maxFrameBytes: number
  /** §4.8: how long API Gateway waits for an integration, 29 s at most. */
  readonly integrationTimeoutMs: number
}

export const awsLimits: GatewayLimits = {
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionMs: 2 * 60 * 60 * 1000,
  maxMessageBytes: 128 * 1024,
  maxFrameBytes,
  integrationTimeoutMs: 29_000,
}

export interface GatewayDeps {
  readonly api: ApiDeclaration
  readonly apiInfo: ApiInfo
  readonly functions: ReadonlyMap<string, FunctionHost>
  readonly connections: LiveConnections
  readonly limits: GatewayLimits
  readonly log: InvocationLogger | undefined
  /** The stage's default route throttling (§9); undefined turns throttling off. */
  readonly throttle: ThrottleSettings | undefined
}

export class WebSocketGateway {
  private readonly wss: WebSocketServer
  private readonly routes: Map<string, RouteDeclaration>
  private readonly selector
  private readonly throttle: RouteThrottle
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
    this.throttle = new RouteThrottle(deps.throttle)
  }

  /** Handles an upgrade request on the stage path. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): Promise<void> {
    // §5.6 / §9: over the stage's rate for $connect, the handshake gets 429 before anything runs.
    if (!this.throttle.allows('$connect')) return rejectHandshake(socket, 429)
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
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(connection, ws, socket))
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

  private opened(connection: LiveConnection, ws: WebSocket, raw: Duplex): void {
    connection.socket = ws
    const { limits } = this.deps
    // §9: idle and maximum-duration timers, each ending the connection with 1001 "Going away" (§8).
    connection.idleTimer = setTimeout(() => this.closeBy(connection, closeCauses.idle), limits.idleTimeoutMs)
    connection.maxTimer = setTimeout(() => this.closeBy(connection, closeCauses.maxDuration), limits.maxConnectionMs)
    // §1.8–1.9: frame limits are checked on the raw bytes, ahead of ws's own reading of them.
    const inspector = new InboundFrameLimits(limits, (violation) => this.closeBy(connection, violationCause(violation)))
    raw.prependListener('data', (chunk: Buffer) => inspector.push(chunk))
    ws.on('message', (data: Buffer, isBinary) => {
      // Whatever arrives after the gateway decided to close (e.g. the oversized frame itself) is dropped.
      if (connection.closeCause) return
      if (isBinary) return this.closeBy(connection, closeCauses.binary)
      this.touched(connection)
      void this.onMessage(connection, data.toString('utf8'))
    })
    ws.on('error', (error: Error & { code?: string }) => {
      // ws's own maxPayload check (a permessage-deflate message inflating past 128 KB) closes with 1009.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') connection.closeCause ??= closeCauses.tooBig
    })
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
    const requestId = newGatewayId()
    const routeKey = this.selector.select(body)
    // §2.8: nothing matches and there is no $default: a Forbidden frame, the socket stays open.
    if (routeKey === ForbiddenRoute) return this.sendError(connection, 'Forbidden', requestId)
    const route = this.routes.get(routeKey)!
    // §9: each route has the stage's token bucket; over it, the integration is not called (INF: the
    // frame carries REST's THROTTLED gateway-response text, "Too Many Requests").
    if (!this.throttle.allows(routeKey)) return this.sendError(connection, 'Too Many Requests', requestId)
    const event = messageEvent(this.deps.apiInfo, connection.info, routeKey, body, requestId, Date.now())
    const outcome = await this.invoke(route, event, connection.info.connectionId, requestId, (o) => o.kind)
    const gatewayError = messageError(outcome)
    if (gatewayError) return this.sendError(connection, gatewayError, requestId)
    // §4.5–4.6: only a two-way route sends the result's body back (whatever its statusCode);
    // one-way routes send nothing.
    if (route.twoWay && outcome.kind === 'ok') {
      const body = bodyOf(outcome.payload)
      if (body !== undefined) this.sendFrame(connection, body)
    }
  }

  /** §5.1: API Gateway's error frame; the socket stays open. */
  private sendError(connection: LiveConnection, message: GatewayErrorMessage, requestId: string): void {
    this.sendFrame(connection, errorFrame(message, connection.info.connectionId, requestId))
  }

  /** A data frame to the client: counts as activity (§9) and is fragmented past 32 KB (§1.9). */
  private sendFrame(connection: LiveConnection, frame: string | Buffer): void {
    if (connection.socket?.readyState !== 1 || connection.closeCause) return
    sendTextMessage(connection.socket, frame)
    this.touched(connection)
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
    const outcome = await host.invoke(event, requestId, this.deps.limits.integrationTimeoutMs)
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
