// Issue 9, "ready means ready": the port is bound a moment before Cognito and the gateway exist (their
// URLs need the port); whatever arrives in that moment waits, and gets the answer it would get later.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { startChatEmulator } from './chat-emulator.ts'
import { httpRequest, rawRequest } from './raw-http.ts'

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The first moment the port takes connections: retried until it does (there is no event to wait on). */
async function firstConnection(port: number, deadline: number): Promise<void> {
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (connected) return
    if (Date.now() > deadline) throw new Error(`port ${port} never opened`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

const probes = [
  httpRequest('GET', '/prod'),
  httpRequest('GET', '/prod', { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' }),
  httpRequest('POST', '/', { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Type': 'application/x-amz-json-1.1' }, '{"ClientId":"nope","AuthFlow":"USER_PASSWORD_AUTH"}'),
]

const answer = async (port: number) =>
  Promise.all(probes.map(async (probe) => {
    const { status, body } = await rawRequest(port, probe, { timeoutMs: 30_000 })
    return { status, body }
  }))

test('requests in the first moment after the port opens get the same answers as requests a while later', async (t) => {
  const port = await freePort()
  const starting = startChatEmulator({ port })
  t.after(async () => (await starting).close())
  await firstConnection(port, Date.now() + 30_000)
  const early = answer(port)
  await starting
  const late = await answer(port)
  assert.deepEqual(await early, late)
  assert.deepEqual(late.map((a) => a.status), [426, 401, 400])
  assert.match(late[2].body, /ResourceNotFoundException/)
})
