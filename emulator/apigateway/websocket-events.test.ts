import { test } from 'node:test'
import assert from 'node:assert/strict'
import { gatewayIdPattern, newGatewayId } from './aws-ids.ts'
import { connectEvent, disconnectEvent, messageEvent, requestTime, type ConnectionInfo } from './websocket-events.ts'

const api = { apiId: 'abcd123456', stage: 'prod' }
const conn: ConnectionInfo = {
  connectionId: 'TXzPWdnOjoECGjA=',
  connectedAt: 1708326702789,
  sourceIp: '192.0.2.10',
  userAgent: 'test-agent',
  domainName: 'localhost',
  authorizer: undefined,
}

test('spec §3.6: gateway ids are 16 URL-safe base64 characters ending in one "="', () => {
  for (let i = 0; i < 200; i++) assert.match(newGatewayId(), gatewayIdPattern)
})

test('spec §3.1: requestTime is CLF in UTC', () => {
  assert.equal(requestTime(Date.UTC(2024, 0, 20, 11, 55, 8)), '20/Jan/2024:11:55:08 +0000')
  assert.equal(requestTime(Date.UTC(2024, 11, 3, 1, 2, 3)), '03/Dec/2024:01:02:03 +0000')
})

test('spec §3.3/§3.4: CONNECT carries client headers without hop-by-hop ones, the X-Forwarded set and the query', () => {
  const event = connectEvent(
    api,
    conn,
    {
      rawHeaders: ['Host', 'localhost:3001', 'Connection', 'Upgrade', 'Upgrade', 'websocket', 'Origin', 'http://x', 'X-Custom', 'a', 'x-custom', 'b'],
      query: new URLSearchParams('a=1&a=2&b=3'),
      traceId: 'Root=1-00000000-000000000000000000000000',
    },
    'req-id',
    conn.connectedAt + 1,
  )
  assert.deepEqual(event.headers, {
    Origin: 'http://x',
    'X-Custom': 'a',
    'x-custom': 'b',
    Host: 'localhost',
    'X-Amzn-Trace-Id': 'Root=1-00000000-000000000000000000000000',
    'X-Forwarded-For': '192.0.2.10',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  })
  assert.deepEqual(event.queryStringParameters, { a: '2', b: '3' })
  assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'], b: ['3'] })
  assert.equal('body' in event, false)
  assert.deepEqual(event.requestContext, {
    routeKey: '$connect',
    eventType: 'CONNECT',
    extendedRequestId: 'req-id',
    requestTime: requestTime(conn.connectedAt + 1),
    messageDirection: 'IN',
    stage: 'prod',
    connectedAt: conn.connectedAt,
    requestTimeEpoch: conn.connectedAt + 1,
    identity: { userAgent: 'test-agent', sourceIp: '192.0.2.10' },
    requestId: 'req-id',
    domainName: 'localhost',
    connectionId: conn.connectionId,
    apiId: 'abcd123456',
  })
  assert.equal(event.isBase64Encoded, false)
})

test('spec §3.3: without a query string the query keys are absent', () => {
  const event = connectEvent(api, conn, { rawHeaders: [], query: new URLSearchParams(), traceId: 't' }, 'r', 1)
  assert.equal('queryStringParameters' in event, false)
  assert.equal('multiValueQueryStringParameters' in event, false)
})

test('spec §3.3: MESSAGE has the body, a messageId, and no headers or query', () => {
  const event = messageEvent(api, { ...conn, userAgent: undefined }, 'sendmessage', '{"a":1}', 'r', 5)
  assert.equal(event.body, '{"a":1}')
  assert.equal('headers' in event, false)
  assert.match(event.requestContext.messageId as string, gatewayIdPattern)
  assert.equal(event.requestContext.eventType, 'MESSAGE')
  assert.deepEqual(event.requestContext.identity, { sourceIp: '192.0.2.10' })
})

test('spec §3.3/§8: DISCONNECT has the four fixed headers and the close status and reason', () => {
  const event = disconnectEvent(api, conn, 1001, 'Going away', 'r', 9)
  assert.deepEqual(event.headers, { Host: 'localhost', 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' })
  assert.deepEqual(event.multiValueHeaders, { Host: ['localhost'], 'x-api-key': [''], 'X-Forwarded-For': [''], 'x-restapi': [''] })
  assert.equal(event.requestContext.disconnectStatusCode, 1001)
  assert.equal(event.requestContext.disconnectReason, 'Going away')
  assert.equal(event.requestContext.routeKey, '$disconnect')
})

test('spec §6.9: the authorizer context rides on every event of the connection', () => {
  const authorizer = { userId: 'u1', principalId: 'u1' }
  const withAuth = { ...conn, authorizer }
  assert.deepEqual(messageEvent(api, withAuth, 'x', '', 'r', 1).requestContext.authorizer, authorizer)
  assert.deepEqual(disconnectEvent(api, withAuth, 1000, '', 'r', 1).requestContext.authorizer, authorizer)
})
