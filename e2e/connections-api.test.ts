// Contract: the real @aws-sdk/client-apigatewaymanagementapi against the emulator's @connections API.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { connectAs } from './users.ts'

async function setUp(t: { after: (fn: () => unknown) => void }) {
  const emu = await startChatEmulator()
  t.after(() => emu.close())
  const client = new ApiGatewayManagementApiClient({
    endpoint: emu.callbackUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
  t.after(() => client.destroy())
  return { emu, client }
}

async function connected(emu: ChatEmulator, name: string, t: { after: (fn: () => unknown) => void }) {
  const before = emu.invocations.length
  const socket = await connectAs(emu, name)
  t.after(() => socket.close())
  const entry = emu.invocations.slice(before).find((e) => e.routeKey === '$connect')
  assert.ok(entry, 'the $connect invocation is logged')
  return { socket, connectionId: entry.connectionId }
}

test('PostToConnection delivers the data as a text frame', async (t) => {
  const { emu, client } = await setUp(t)
  const { socket, connectionId } = await connected(emu, 'alice', t)
  await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: '{"type":"hello"}' }))
  assert.deepEqual(await socket.next(), { type: 'hello' })
})

test('GetConnection returns connectedAt and lastActiveAt as dates and the caller identity', async (t) => {
  const { emu, client } = await setUp(t)
  const before = Date.now()
  const { connectionId } = await connected(emu, 'alice', t)
  const out = await client.send(new GetConnectionCommand({ ConnectionId: connectionId }))
  assert.ok(out.ConnectedAt instanceof Date && out.LastActiveAt instanceof Date)
  assert.ok(out.ConnectedAt.getTime() >= before - 1000 && out.ConnectedAt.getTime() <= Date.now())
  assert.ok(out.LastActiveAt.getTime() >= out.ConnectedAt.getTime())
  assert.equal(out.Identity?.SourceIp, '127.0.0.1')
})

test('DeleteConnection closes the socket with 1000 and fires $disconnect', async (t) => {
  const { emu, client } = await setUp(t)
  const { socket, connectionId } = await connected(emu, 'alice', t)
  await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
  assert.equal((await socket.closed()).code, 1000)
  await emu.waitFor((e) => e.routeKey === '$disconnect' && e.connectionId === connectionId)
})

test('an unknown connection id is a typed GoneException', async (t) => {
  const { client } = await setUp(t)
  await assert.rejects(client.send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: 'x' })), GoneException)
  await assert.rejects(client.send(new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' })), GoneException)
  await assert.rejects(client.send(new DeleteConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' })), GoneException)
})

test('a closed connection is a typed GoneException, and stays gone', async (t) => {
  const { emu, client } = await setUp(t)
  const { socket, connectionId } = await connected(emu, 'alice', t)
  await socket.close()
  await emu.waitFor((e) => e.routeKey === '$disconnect' && e.connectionId === connectionId)
  await assert.rejects(client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x' })), GoneException)
})
