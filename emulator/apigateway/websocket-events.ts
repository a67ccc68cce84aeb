// Lambda proxy events in the shape API Gateway sends them (apigw-websocket-spec.md §3): the current,
// trimmed form (§3.2), no headers or query on MESSAGE, four fixed headers on DISCONNECT.
import { newGatewayId } from './aws-ids.ts'

export interface ConnectionInfo {
  readonly connectionId: string
  readonly connectedAt: number
  readonly sourceIp: string
  readonly userAgent: string | undefined
  readonly domainName: string
  /** `{...context, principalId}` from the authorizer, stringified (§6.9), or undefined without one. */
  readonly authorizer: Readonly<Record<string, unknown>> | undefined
}

export interface ApiInfo {
  readonly apiId: string
  readonly stage: string
  /** The stage's variables; events carry them only when there are some (§3.3, INF). */
  readonly stageVariables?: Readonly<Record<string, string>>
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => String(n).padStart(2, '0')

/** CLF time, UTC: `20/Jan/2024:11:55:08 +0000` (§3.1). */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs)
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
}

function requestContext(
  api: ApiInfo,
  conn: ConnectionInfo,
  routeKey: string,
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT',
  requestId: string,
  now: number,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  // §3.1: a CONNECT event's request time is the handshake's, observed as connectedAt + 1 ms, however
  // long an authorizer took before it (the authorizer's event has the same value).
  const epoch = eventType === 'CONNECT' ? conn.connectedAt + 1 : now
  return {
    routeKey,
    ...(conn.authorizer ? { authorizer: conn.authorizer } : {}),
    ...extra,
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(epoch),
    messageDirection: 'IN',
    stage: api.stage,
    connectedAt: conn.connectedAt,
    requestTimeEpoch: epoch,
    identity: conn.userAgent === undefined ? { sourceIp: conn.sourceIp } : { userAgent: conn.userAgent, sourceIp: conn.sourceIp },
    requestId,
    domainName: conn.domainName,
    connectionId: conn.connectionId,
    apiId: api.apiId,
  }
}

export interface HandshakeRequest {
  /** Headers as the client sent them (raw case), hop-by-hop ones included. */
  readonly rawHeaders: readonly string[]
  readonly query: URLSearchParams
  readonly traceId: string
}

/** Headers the gateway sets itself, whatever the client sent under those names (any case). */
const gatewayHeaders = new Set(['host', 'x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto'])

/** Headers of a CONNECT event (§3.4): the client's, minus Connection/Upgrade, plus the X-Forwarded-* set. */
export function connectHeaders(req: HandshakeRequest, conn: ConnectionInfo, hopByHop: boolean): Record<string, string[]> {
  const headers: Record<string, string[]> = {}
  const forwardedFor: string[] = []
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]
    const lower = name.toLowerCase()
    if (lower === 'x-forwarded-for') forwardedFor.push(req.rawHeaders[i + 1])
    if (gatewayHeaders.has(lower)) continue
    if (!hopByHop && (lower === 'connection' || lower === 'upgrade')) continue
    ;(headers[name] ??= []).push(req.rawHeaders[i + 1])
  }
  headers.Host = [conn.domainName]
  headers['X-Amzn-Trace-Id'] = [req.traceId]
  // A proxy in front of the client may have set X-Forwarded-For: the gateway appends the address the
  // connection came from, as proxies do (INF); identity.sourceIp stays that address.
  headers['X-Forwarded-For'] = [[...forwardedFor, conn.sourceIp].join(', ')]
  headers['X-Forwarded-Port'] = ['443']
  headers['X-Forwarded-Proto'] = ['https']
  return headers
}

function single(multi: Record<string, readonly string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]]))
}

interface QueryParts {
  queryStringParameters?: Record<string, string>
  multiValueQueryStringParameters?: Record<string, string[]>
}

function queryParts(query: URLSearchParams): QueryParts {
  if ([...query.keys()].length === 0) return {}
  const multi: Record<string, string[]> = {}
  for (const [k, v] of query) (multi[k] ??= []).push(v)
  return { queryStringParameters: single(multi), multiValueQueryStringParameters: multi }
}

/** §3.3 (INF): `stageVariables` appears when the stage defines any, as in REST proxy events. */
function stageVariables(api: ApiInfo): { stageVariables?: Record<string, string> } {
  return api.stageVariables && Object.keys(api.stageVariables).length > 0 ? { stageVariables: { ...api.stageVariables } } : {}
}

export function connectEvent(api: ApiInfo, conn: ConnectionInfo, req: HandshakeRequest, requestId: string, now: number, integrationLatency?: number) {
  const multiValueHeaders = connectHeaders(req, conn, false)
  const authorizer = conn.authorizer && integrationLatency !== undefined ? { ...conn.authorizer, integrationLatency } : conn.authorizer
  return {
    headers: single(multiValueHeaders),
    multiValueHeaders,
    ...queryParts(req.query),
    ...stageVariables(api),
    requestContext: requestContext(api, { ...conn, authorizer }, '$connect', 'CONNECT', requestId, now, {}),
    isBase64Encoded: false,
  }
}

/** The REQUEST authorizer's input (§6.2): CONNECT's fields plus hop-by-hop headers, `type`, `methodArn`. */
export function authorizerEvent(api: ApiInfo, conn: ConnectionInfo, req: HandshakeRequest, methodArn: string, requestId: string, now: number) {
  const multiValueHeaders = connectHeaders(req, conn, true)
  multiValueHeaders['content-length'] = ['0']
  return {
    type: 'REQUEST',
    methodArn,
    headers: single(multiValueHeaders),
    multiValueHeaders,
    ...queryParts(req.query),
    stageVariables: { ...api.stageVariables },
    requestContext: requestContext(api, { ...conn, authorizer: undefined }, '$connect', 'CONNECT', requestId, now, {}),
  }
}

export function messageEvent(api: ApiInfo, conn: ConnectionInfo, routeKey: string, body: string, requestId: string, now: number) {
  return {
    requestContext: requestContext(api, conn, routeKey, 'MESSAGE', requestId, now, { messageId: newGatewayId() }),
    ...stageVariables(api),
    body,
    isBase64Encoded: false,
  }
}

export function disconnectEvent(api: ApiInfo, conn: ConnectionInfo, statusCode: number, reason: string, requestId: string, now: number) {
  const multiValueHeaders = { Host: [conn.domainName], 'x-api-key': [''], 'X-Forwarded-For': [''], 'x-restapi': [''] }
  return {
    headers: single(multiValueHeaders),
    multiValueHeaders,
    ...stageVariables(api),
    requestContext: requestContext(api, conn, '$disconnect', 'DISCONNECT', requestId, now, {
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    }),
    isBase64Encoded: false,
  }
}
