// `@connections` edge cases (spec §3.6, §7.2–§7.7, §12.4–12.5), through the real
// @aws-sdk/client-apigatewaymanagementapi and, for the wire details, plain HTTP.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { startFixture, type Fixture } from './fixtures/fidelity/fixture-emulator.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** Offline any SigV4 signature is accepted; only its presence is checked. */
const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00' }

async function failure(call: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number; requestId?: string } }> {
  return call.then(
    () => assert.fail('the call should have failed'),
    (error: unknown) => error as Error & { $metadata: { httpStatusCode?: number; requestId?: string } },
  )
}

/** Waits until the clock has moved past `time`, so a later timestamp is strictly later. */
async function clockPast(time: number): Promise<void> {
  while (Date.now() <= time) await new Promise((resolve) => setImmediate(resolve))
}

function origin(fx: Fixture): string {
  return new URL(fx.emulator.callbackUrl).origin
}

test('spec §7.4: PostToConnection and GetConnection from inside $connect are GoneException (410); the handshake still succeeds', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect('?selfpost=1')
  const seen = await fx.report(`SELFPOST#${connectionId}`)
  assert.deepEqual(seen, { post: { name: 'GoneException', status: 410 }, get: { name: 'GoneException', status: 410 } })
  await fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'now it works' }))
  assert.equal(await client.next(), 'now it works')
})

test('spec §7.7: DeleteConnection closes with 1000, $disconnect reports 1000 "Connection Closed Normally", and a second DELETE is Gone', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  await fx.management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
  // At once, before the close handshake has finished: the id is already gone.
  const again = await failure(fx.management.send(new DeleteConnectionCommand({ ConnectionId: connectionId })))
  assert.ok(again instanceof GoneException)
  assert.equal((await client.closed()).code, 1000)
  const disconnect = await fx.report<{ requestContext: Record<string, unknown> }>(`DISCONNECT#${connectionId}`)
  assert.deepEqual([disconnect.requestContext.disconnectStatusCode, disconnect.requestContext.disconnectReason], [1000, 'Connection Closed Normally'])
  assert.ok((await failure(fx.management.send(new DeleteConnectionCommand({ ConnectionId: connectionId })))) instanceof GoneException)
})

test('spec §7.3/§12.5: a malformed connection id is a 400 BadRequestException for every method', async (t) => {
  const fx = await startFixture(t)
  for (const command of [
    new PostToConnectionCommand({ ConnectionId: 'cjy8i76bx002884le6n17d49b', Data: 'x' }),
    new GetConnectionCommand({ ConnectionId: 'cjy8i76bx002884le6n17d49b' }),
    new DeleteConnectionCommand({ ConnectionId: 'cjy8i76bx002884le6n17d49b' }),
  ]) {
    const error = await failure(fx.management.send(command as never))
    assert.equal(error.name, 'BadRequestException')
    assert.equal(error.$metadata.httpStatusCode, 400)
    assert.equal(error.message, 'Invalid connectionId: cjy8i76bx002884le6n17d49b')
  }
})

test('spec §7.2: "@" sent literally or as %40, and the id raw or URL-encoded, all reach the connection', async (t) => {
  const fx = await startFixture(t)
  const { connectionId } = await fx.connect()
  const encoded = encodeURIComponent(connectionId)
  assert.notEqual(encoded, connectionId, 'the id has an "=" to encode')
  for (const path of [`@connections/${connectionId}`, `@connections/${encoded}`, `%40connections/${encoded}`, `%40connections/${connectionId}`]) {
    const res = await fetch(`${fx.emulator.callbackUrl}/${path}`, { headers: signed })
    assert.equal(res.status, 200, path)
    assert.deepEqual(Object.keys(await res.json()), ['connectedAt', 'identity', 'lastActiveAt'])
  }
  // Decoded once only: a double-encoded id is not an id.
  const twice = await fetch(`${fx.emulator.callbackUrl}/@connections/${encodeURIComponent(encoded)}`, { headers: signed })
  assert.equal(twice.status, 400)
  assert.equal(twice.headers.get('x-amzn-errortype'), 'BadRequestException')
})

test('spec §7.3: a request without a SigV4 signature, or for a path outside the stage, is a 403 ForbiddenException', async (t) => {
  const fx = await startFixture(t)
  const { connectionId } = await fx.connect()
  const unsigned = await fetch(`${fx.emulator.callbackUrl}/@connections/${encodeURIComponent(connectionId)}`)
  assert.equal(unsigned.status, 403)
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'ForbiddenException')
  assert.deepEqual(await unsigned.json(), { message: 'Missing Authentication Token' })
  for (const wrong of [`/nostage/@connections/${encodeURIComponent(connectionId)}`, `/@connections/${encodeURIComponent(connectionId)}`]) {
    const res = await fetch(`${origin(fx)}${wrong}`, { headers: signed })
    assert.deepEqual([res.status, res.headers.get('x-amzn-errortype'), await res.json()], [403, 'ForbiddenException', { message: 'Forbidden' }], wrong)
  }
})

test('spec §3.6/§7.3: every @connections answer, success or error, carries a UUID x-amzn-RequestId', async (t) => {
  const fx = await startFixture(t)
  const { connectionId } = await fx.connect()
  const ids = [
    (await fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x' }))).$metadata.requestId,
    (await fx.management.send(new GetConnectionCommand({ ConnectionId: connectionId }))).$metadata.requestId,
    (await failure(fx.management.send(new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' })))).$metadata.requestId,
    (await failure(fx.management.send(new GetConnectionCommand({ ConnectionId: 'bad' })))).$metadata.requestId,
    (await fx.management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }))).$metadata.requestId,
  ]
  for (const id of ids) assert.match(id ?? '', uuid)
  assert.equal(new Set(ids).size, ids.length)
})

test('spec §7.6 (UNK, chosen): lastActiveAt moves on a client message and on a post; connectedAt never does', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  const get = () => fx.management.send(new GetConnectionCommand({ ConnectionId: connectionId }))
  const first = await get()
  assert.equal(first.LastActiveAt?.getTime(), first.ConnectedAt?.getTime())

  await clockPast(first.LastActiveAt!.getTime())
  client.send({ action: 'respond-one-way', result: null })
  await fx.waitFor((e) => e.routeKey === 'respond-one-way')
  const afterMessage = await get()
  assert.ok(afterMessage.LastActiveAt!.getTime() > first.LastActiveAt!.getTime(), 'a client message counts')

  await clockPast(afterMessage.LastActiveAt!.getTime())
  await fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'hi' }))
  const afterPost = await get()
  assert.ok(afterPost.LastActiveAt!.getTime() > afterMessage.LastActiveAt!.getTime(), 'a post counts')
  assert.equal(afterPost.ConnectedAt?.getTime(), first.ConnectedAt?.getTime())
})

test('spec §7.6: GetConnection omits identity.userAgent when the client sent none, and carries it when it did', async (t) => {
  const fx = await startFixture(t)
  const anonymous = await fx.connect()
  const named = await fx.connect('', { headers: { 'User-Agent': 'fidelity-test/1.0' } })
  const identity = async (connectionId: string) => (await fx.management.send(new GetConnectionCommand({ ConnectionId: connectionId }))).Identity
  assert.deepEqual(await identity(anonymous.connectionId), { SourceIp: '127.0.0.1' })
  assert.deepEqual(await identity(named.connectionId), { SourceIp: '127.0.0.1', UserAgent: 'fidelity-test/1.0' })
})

test('spec §7.5: a client that reconnects gets a new id; the old one stays Gone', async (t) => {
  const fx = await startFixture(t)
  const first = await fx.connect()
  await first.client.close()
  await fx.waitFor((e) => e.routeKey === '$disconnect' && e.connectionId === first.connectionId)
  const second = await fx.connect()
  assert.notEqual(second.connectionId, first.connectionId)
  assert.ok((await failure(fx.management.send(new PostToConnectionCommand({ ConnectionId: first.connectionId, Data: 'x' })))) instanceof GoneException)
  await fx.management.send(new PostToConnectionCommand({ ConnectionId: second.connectionId, Data: 'x' }))
  assert.equal(await second.client.next(), 'x')
})

test('spec §12.1/A.3: on the wire, DeleteConnection answers 204 and Gone is a 410 with x-amzn-ErrorType and an empty body', async (t) => {
  const fx = await startFixture(t)
  const { connectionId } = await fx.connect()
  const url = `${fx.emulator.callbackUrl}/@connections/${encodeURIComponent(connectionId)}`
  const deleted = await fetch(url, { method: 'DELETE', headers: signed })
  assert.deepEqual([deleted.status, await deleted.text()], [204, ''])
  assert.match(deleted.headers.get('x-amzn-requestid') ?? '', uuid)
  const gone = await fetch(url, { method: 'POST', headers: signed, body: 'x' })
  assert.deepEqual([gone.status, gone.headers.get('x-amzn-errortype'), await gone.text()], [410, 'GoneException', ''])
  assert.match(gone.headers.get('x-amzn-requestid') ?? '', uuid)
})
