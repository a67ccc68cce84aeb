// API Gateway's WebSocket side: the handshake (identity → authorizer → $connect → 101), route
// selection for each message, error frames, timers, and $disconnect (spec §1, §2, §4, §5, §8).
// Every frame the gateway sends goes through `deliver`, which bounds what a connection may have
// waiting unsent.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { performance } from 'node:perf_hooks'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ApiDeclaration, RouteDeclaration } from '../../src/api-declaration.ts'
import { AuthorizerFlow } from './authorizer-flow.ts'
import { newGatewayId, newTraceId } from './aws-ids.ts'
import { errorFrame, ForbiddenRoute, type GatewayErrorMessage } from './error-frames.ts'
import type { FunctionPool, InvokeOutcome } from '../lambda/function-pool.ts'
import type { InvocationLogger } from '../lambda/invocation-log.ts'
import type { Faults } from '../faults.ts'
import type { CloseCause, LiveConnection, LiveConnections } from './live-connections.ts'
import type { NoticeLogger } from '../notices.ts'
import { compileRouteSelector } from './route-selection.ts'
import { closeCauses, violationCause } from './close-causes.ts'
import { handshakeResponse } from './handshake-rejection.ts'
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
  /**
   * Chosen (AWS keeps its buffer size to itself): bytes a connection may have waiting unsent before
   * it counts as a client that stopped reading and is closed (close-causes.ts `slowConsumer`).
   */
  readonly maxBufferedBytes: number
}

export const awsLimits: GatewayLimits = {
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionMs: 2 * 60 * 60 * 1000,
  maxMessageBytes: 128 * 1024,
  maxFrameBytes,
  integrationTimeoutMs: 29_000,
  maxBufferedBytes: 1024 * 1024,
}

export interface GatewayDeps {
  readonly api: ApiDeclaration
  readonly apiInfo: ApiInfo
  readonly functions: ReadonlyMap<string, FunctionPool>
  readonly connections: LiveConnections
  readonly limits: GatewayLimits
  readonly log: InvocationLogger | undefined
  readonly notice: NoticeLogger
  /** A bug in the gateway (never client input): logged with its stack. */
  readonly internalError: (where: string, error: unknown) => void
  /** The stage's default route throttling (§9); undefined turns throttling off. */
  readonly throttle: ThrottleSettings | undefined
  readonly faults: Faults
  /** Told of every billable message and connection (usage/usage-ledger.ts). */
  readonly usage?: GatewayUsage
}

/** What API Gateway bills: messages each way (by their payload bytes) and connection time. */
export interface GatewayUsage {
  inbound(bytes: number): void
  outbound(bytes: number): void
  connected(connectionId: string): void
  disconnected(connectionId: string): void
}

/** What `deliver` did with a frame. */
export type Delivery = 'sent' | 'gone' | 'overflow'

/** A handshake the authorizer and `$connect` have let through, waiting for its 101. */
interface Admitted {
  readonly connection: LiveConnection
  readonly protocol: string | undefined
  opened: boolean
}

type Verdict = { readonly admitted: Admitted } | { readonly status: number }

export class WebSocketGateway {
  private readonly wss: WebSocketServer
  private readonly routes: Map<string, RouteDeclaration>
  private readonly selector
  private readonly throttle: RouteThrottle
  /** In-flight `$disconnect` invocations and not-yet-closed sockets, for close() to wait on. */
  private readonly disconnects = new Set<Promise<void>>()
  private readonly sockets = new Set<Promise<void>>()
  /** Handshakes in the authorizer or `$connect`. */
  private readonly handshakes = new Set<Promise<void>>()
  /** What the authorizer and `$connect` decided, per handshake request, for the 101 that follows. */
  private readonly admitted = new WeakMap<IncomingMessage, Admitted>()
  /** §6.1: the `$connect` authorizer, when the API declares one. */
  private readonly authorizer: AuthorizerFlow | undefined
  private closing = false

  constructor(private readonly deps: GatewayDeps) {
    this.routes = new Map(deps.api.routes.map((r) => [r.routeKey, r]))
    this.authorizer = authorizerFlowOf(deps)
    this.selector = compileRouteSelector(deps.api.routeSelectionExpression, this.routes.keys())
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: deps.limits.maxMessageBytes,
      // §1.5 / §10.4: AWS negotiates permessage-deflate. Small frames stay uncompressed (threshold).
      perMessageDeflate: { threshold: 1024 },
      // Pongs go out through `deliver` like every other frame, so a ping flood from a client that
      // does not read its pongs meets the same buffer limit (§10.2: AWS answers pings, INF).
      autoPong: false,
      // ws checks the handshake itself (method, Upgrade, key, version, subprotocol and extension
      // syntax) before it asks here, so nothing runs for a malformed one.
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, status?: number, body?: string, headers?: Record<string, string>) => void) => {
        const handshake = this.admit(info.req)
          .catch((error: unknown) => {
            this.deps.internalError('running a handshake', error)
            return { status: 500 }
          })
          .then((verdict) => {
            if ('status' in verdict) return done(false, verdict.status, ...handshakeResponse(verdict.status))
            this.admitted.set(info.req, verdict.admitted)
            // ws writes the 101 and hands over the socket synchronously, unless the client has gone.
            done(true)
            if (!verdict.admitted.opened) this.vanished(verdict.admitted.connection)
          })
          .finally(() => this.handshakes.delete(handshake))
        this.handshakes.add(handshake)
      },
      handleProtocols: (_offered, req) => this.admitted.get(req)?.protocol ?? false,
    })
    this.throttle = new RouteThrottle(deps.throttle)
  }

  /** Handles an upgrade request on the stage path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const admitted = this.admitted.get(req)!
      admitted.opened = true
      this.opened(admitted.connection, ws, socket)
    })
  }

  /** Identity sources, the authorizer, then `$connect` (§1.3, §5.6, §6). */
  private async admit(req: IncomingMessage): Promise<Verdict> {
    if (this.closing) return { status: 503 }
    // §5.6 / §9: over the stage's rate for $connect, the handshake gets 429 before anything runs.
    if (!this.throttle.allows('$connect')) return { status: 429 }
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
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '')
    const handshake: HandshakeRequest = { rawHeaders: req.rawHeaders, query, traceId: newTraceId(now) }
    // Identity sources, then the authorizer and its policy, before $connect; a rejection ends the
    // handshake with 401/403/500. Its context rides on every later event of the connection (§6.9).
    const authorized = this.authorizer ? await this.authorizer.authorize(info, handshake) : undefined
    if (authorized?.kind === 'reject') return { status: authorized.status }
    const connection = this.deps.connections.add(authorized ? { ...info, authorizer: authorized.authorizer } : info)
    const result = await this.runConnect(connection, handshake, authorized)
    if (typeof result === 'number') {
      // §1.3 / §4.1: a rejected $connect fails the handshake with that status; no $disconnect follows (§8).
      this.deps.connections.remove(connection)
      return { status: result }
    }
    return { admitted: { connection, protocol: result.protocol, opened: false } }
  }

  /** Runs `$connect`; a number is the HTTP status to reject with. */
  private async runConnect(
    connection: LiveConnection,
    handshake: HandshakeRequest,
    authorized?: { readonly requestId: string; readonly integrationLatency: number },
  ): Promise<number | { readonly protocol: string | undefined }> {
    const route = this.routes.get('$connect')
    // §1.4: $connect is optional.
    if (!route) return { protocol: undefined }
    // One handshake, one request id: the authorizer's, when there is one. §6.9: CONNECT also gets integrationLatency.
    const requestId = authorized?.requestId ?? newGatewayId()
    const event = connectEvent(this.deps.apiInfo, connection.info, handshake, requestId, Date.now(), authorized?.integrationLatency)
    const outcome = await this.invoke(route, event, connection.info.connectionId, requestId, (o) => connectStatus(o).toString())
    const status = connectStatus(outcome)
    if (status >= 200 && status < 300) return { protocol: outcome.kind === 'ok' ? subprotocolOf(outcome.payload) : undefined }
    return status
  }

  /**
   * `$connect` accepted the connection but its client left before the 101: the handler has already
   * registered it, so `$disconnect` tells it (chosen; the spec only says a *rejected* `$connect` gets none).
   */
  private vanished(connection: LiveConnection): void {
    connection.closeCause = closeCauses.vanished
    this.closed(connection, closeCauses.vanished.code, '')
  }

  private opened(connection: LiveConnection, ws: WebSocket, raw: Duplex): void {
    connection.socket = ws
    this.deps.usage?.connected(connection.info.connectionId)
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
      this.deps.usage?.inbound(data.length)
      this.touched(connection)
      this.onMessage(connection, data.toString('utf8')).catch((error: unknown) => this.deps.internalError('routing a message', error))
    })
    ws.on('ping', (data: Buffer) => {
      if (connection.closeCause) return
      if (this.overflows(connection, data.length)) return
      ws.pong(data)
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
    // A handshake that was already past $connect when shutdown began ends like every other socket.
    if (this.closing) this.closeBy(connection, closeCauses.shutdown)
  }

  /** Data frames in either direction reset the idle timer; pings do not (§9, §10.2). */
  touched(connection: LiveConnection): void {
    connection.lastActiveAt = Date.now()
    connection.idleTimer?.refresh()
  }

  /**
   * The one way a frame reaches a client (route responses, error frames, `@connections` posts): a
   * data frame counts as activity (§9), is fragmented past 32 KB (§1.9), and may not push what the
   * connection has waiting unsent past `maxBufferedBytes`; a connection that would is closed.
   */
  deliver(connection: LiveConnection, frame: string | Buffer): Delivery {
    const socket = connection.socket
    if (socket?.readyState !== 1 || connection.closeCause) return 'gone'
    const bytes = typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame
    if (this.overflows(connection, bytes.length)) return 'overflow'
    sendTextMessage(socket, bytes)
    this.deps.usage?.outbound(bytes.length)
    this.touched(connection)
    return 'sent'
  }

  /** Closes the connection (and says so) when `bytes` more would pass its unsent-bytes limit. */
  private overflows(connection: LiveConnection, bytes: number): boolean {
    const buffered = connection.socket!.bufferedAmount
    const limitBytes = this.deps.limits.maxBufferedBytes
    if (buffered + bytes <= limitBytes) return false
    this.closeBy(connection, closeCauses.slowConsumer)
    this.deps.notice({ kind: 'slow-consumer', connectionId: connection.info.connectionId, bufferedBytes: buffered, limitBytes })
    // Its queue goes now: the close frame would wait behind everything the client never read.
    connection.socket!.terminate()
    return true
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
      if (body !== undefined) this.deliver(connection, body)
    }
  }

  /** §5.1: API Gateway's error frame; the socket stays open. */
  private sendError(connection: LiveConnection, message: GatewayErrorMessage, requestId: string): void {
    this.deliver(connection, errorFrame(message, connection.info.connectionId, requestId))
  }

  private closed(connection: LiveConnection, code: number, reason: string): void {
    this.deps.connections.remove(connection)
    this.deps.usage?.disconnected(connection.info.connectionId)
    const cause = connection.closeCause ?? clientCloseCause(code, reason)
    const route = this.routes.get('$disconnect')
    // §4.7/§8: best effort on AWS; the fault switch drops it on purpose.
    if (!route || this.deps.faults.dropsDisconnect(connection.info.connectionId)) return
    const requestId = newGatewayId()
    const event = disconnectEvent(this.deps.apiInfo, connection.info, cause.code, cause.reason, requestId, Date.now())
    // §4.7: best effort, the result is ignored; tracked so close() can wait for it.
    const done = this.invoke(route, event, connection.info.connectionId, requestId, (o) => o.kind)
      .then(
        () => undefined,
        (error: unknown) => this.deps.internalError('running $disconnect', error),
      )
      .finally(() => this.disconnects.delete(done))
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
    const fault = this.deps.faults.invocationFault({ function: route.function, routeKey: route.routeKey, connectionId }, event)
    const started = performance.now()
    this.inFlight++
    const outcome = await host.invoke(event, requestId, this.deps.limits.integrationTimeoutMs, fault).finally(() => this.settledOne())
    this.deps.log?.({
      time: new Date().toISOString(),
      routeKey: route.routeKey,
      function: route.function,
      connectionId,
      requestId,
      status: status(outcome),
      durationMs: performance.now() - started,
      ...(outcome.kind === 'error' ? { error: `${outcome.error.errorType}: ${outcome.error.errorMessage}` } : {}),
      ...('report' in outcome && outcome.report && { report: outcome.report }),
    })
    return outcome
  }

  private inFlight = 0
  private readonly settledWaiters = new Set<() => void>()

  private settledOne(): void {
    this.inFlight--
    if (this.inFlight > 0) return
    for (const resolve of this.settledWaiters) resolve()
    this.settledWaiters.clear()
  }

  /**
   * Resolves once no route invocation (`$disconnect`s and handshakes included) runs, and what the
   * last ones answered has been sent: for tests.
   */
  async settled(): Promise<void> {
    while (this.inFlight > 0 || this.disconnects.size > 0 || this.handshakes.size > 0) {
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.settledWaiters.add(resolve))
      else await Promise.all([...this.handshakes, ...this.disconnects])
      // What a finished invocation answers goes out a few ticks later (and may start others).
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
  }

  /**
   * Closes every socket as a shutdown would (1001), then waits for their `$disconnect`s, at most
   * `graceMs`: a `$disconnect` handler that hangs must not hold the shutdown.
   */
  async close(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.closing = true
    for (const connection of this.deps.connections.all()) this.closeBy(connection, closeCauses.shutdown)
    // Handshakes still in $connect open and close after this started; wait for those too.
    const drained = (async () => {
      while (this.handshakes.size + this.sockets.size + this.disconnects.size > 0) {
        await Promise.all([...this.handshakes, ...this.sockets, ...this.disconnects])
      }
    })()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))
    await Promise.race([drained, late])
    clearTimeout(timer)
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
