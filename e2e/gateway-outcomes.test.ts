// How the gateway treats handler outcomes (spec §4.1, §4.2, §5.2), on a fixture API.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startEmulator } from '../emulator/start-emulator.ts'
import { api } from './fixtures/foundation/api.ts'
import { projectRoot } from './chat-emulator.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'

async function fixture(t: { after: (fn: () => unknown) => void }) {
  const emu = await startEmulator({ api, tables: {}, root: projectRoot, functionOutput: 'ignore' })
  t.after(() => emu.close())
  return emu
}

test('spec §4.1: a $connect that returns 403 rejects the handshake with 403', async (t) => {
  const emu = await fixture(t)
  const rejected = await TestClient.connect(`${emu.url}?status=403`).then(
    () => assert.fail('the handshake should have been rejected'),
    (error: unknown) => error,
  )
  assert.ok(rejected instanceof HandshakeRejected)
  assert.equal(rejected.status, 403)
  assert.equal(emu.connectionCount(), 0)
})

test('spec §5.2: a handler that throws gets "Internal server error" and the socket stays open', async (t) => {
  const emu = await fixture(t)
  const client = await TestClient.connect(emu.url)
  t.after(() => client.close())
  client.send({ action: 'boom' })
  const frame = await client.next()
  assert.deepEqual(Object.keys(frame), ['message', 'connectionId', 'requestId'])
  assert.equal(frame.message, 'Internal server error')
  client.send({ action: 'echo', n: 1 })
  assert.deepEqual(await client.next(), { action: 'echo', n: 1 })
})

test('spec §2.8: with no matching route and no $default the client gets a Forbidden frame', async (t) => {
  const emu = await fixture(t)
  const client = await TestClient.connect(emu.url)
  t.after(() => client.close())
  client.send({ action: 'nothing-here' })
  assert.equal((await client.next()).message, 'Forbidden')
  assert.match(client.frames[0], /^\{"message": "Forbidden", "connectionId":"[A-Za-z0-9_-]{15}=", "requestId":"[A-Za-z0-9_-]{15}="\}$/)
})
