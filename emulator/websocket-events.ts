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
  return {
    routeKey,
    ...(conn.authorizer ? { authorizer: conn.authorizer } : {}),
    ...extra,
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(now),
    messageDirection: 'IN',
    stage: api.stage,
    connectedAt: conn.connectedAt,
    requestTimeEpoch: now,
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

/** Headers of a CONNECT event (§3.4): the client's, minus Connection/Upgrade, plus the X-Forwarded-* set. */
export function connectHeaders(req: HandshakeRequest, conn: ConnectionInfo, hopByHop: boolean): Record<string, string[]> {
  const headers: Record<string, string[]> = {}
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]
    const lower = name.toLowerCase()
    if (lower === 'host') continue
    if (!hopByHop && (lower === 'connection' || lower === 'upgrade')) continue
    ;(headers[name] ??= []).push(req.rawHeaders[i + 1])
  }
  headers.Host = [conn.domainName]
  headers['X-Amzn-Trace-Id'] = [req.traceId]
  headers['X-Forwarded-For'] = [conn.sourceIp]
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

export function connectEvent(api: ApiInfo, conn: ConnectionInfo, req: HandshakeRequest, requestId: string, now: number, integrationLatency?: number) {
  const multiValueHeaders = connectHeaders(req, conn, false)
  const authorizer = conn.authorizer && integrationLatency !== undefined ? { ...conn.authorizer, integrationLatency } : conn.authorizer
  return {
    headers: single(multiValueHeaders),
    multiValueHeaders,
    ...queryParts(req.query),
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
    stageVariables: {},
    requestContext: requestContext(api, { ...conn, authorizer: undefined }, '$connect', 'CONNECT', requestId, now, {}),
  }
}

export function messageEvent(api: ApiInfo, conn: ConnectionInfo, routeKey: string, body: string, requestId: string, now: number) {
  return {
    requestContext: requestContext(api, conn, routeKey, 'MESSAGE', requestId, now, { messageId: newGatewayId() }),
    body,
    isBase64Encoded: false,
  }
}

export function disconnectEvent(api: ApiInfo, conn: ConnectionInfo, statusCode: number, reason: string, requestId: string, now: number) {
  const multiValueHeaders = { Host: [conn.domainName], 'x-api-key': [''], 'X-Forwarded-For': [''], 'x-restapi': [''] }
  return {
    headers: single(multiValueHeaders),
    multiValueHeaders,
    requestContext: requestContext(api, conn, '$disconnect', 'DISCONNECT', requestId, now, {
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    }),
    isBase64Encoded: false,
  }
}
