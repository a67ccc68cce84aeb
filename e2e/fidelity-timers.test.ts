// The idle timeout and the maximum connection duration (spec §8, §9, §10.2), shrunk to milliseconds.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as pause } from 'node:timers/promises'
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'

type Disconnect = { requestContext: { disconnectStatusCode: number; disconnectReason: string } }

/** Keeps doing `activity` every `everyMs` for `forMs` (pacing activity, not waiting for an event). */
async function keepBusy(forMs: number, everyMs: number, activity: () => Promise<unknown>): Promise<void> {
  const until = Date.now() + forMs
  while (Date.now() < until) {
    await activity()
    await pause(everyMs)
  }
}

test('spec §9/§8: an idle connection is closed with 1001 "Going away", and $disconnect reports 1001 "Going away"', async (t) => {
  const fx = await startFixture(t, { limits: { idleTimeoutMs: 300 } })
  const { client, connectionId } = await fx.connect()
  assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' })
  const disconnect = await fx.report<Disconnect>(`DISCONNECT#${connectionId}`)
  assert.equal(disconnect.requestContext.disconnectStatusCode, 1001)
  assert.equal(disconnect.requestContext.disconnectReason, 'Going away')
})

test('spec §10.2: pings do not reset the idle timer (they are answered with pongs)', async (t) => {
  const fx = await startFixture(t, { limits: { idleTimeoutMs: 600 } })
  const { client } = await fx.connect()
  let pongs = 0
  client.socket.on('pong', () => pongs++)
  const pinger = setInterval(() => client.socket.ping(), 50)
  t.after(() => clearInterval(pinger))
  assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' })
  assert.ok(pongs > 0, 'the gateway answered pings')
})

test('spec §9: messages from the client reset the idle timer', async (t) => {
  const fx = await startFixture(t, { limits: { idleTimeoutMs: 1000 } })
  const { client } = await fx.connect()
  let sent = 0
  // A one-way route that returns nothing: only the inbound frames count as activity here.
  await keepBusy(2500, 100, () => {
    const n = ++sent
    client.send({ action: 'respond-one-way', result: null })
    return fx.waitFor((e) => e.routeKey === 'respond-one-way' && fx.invocations.filter((i) => i.routeKey === 'respond-one-way').length >= n)
  })
  assert.equal(client.closeEvent, undefined, 'still open after 2.5 idle timeouts of traffic')
  assert.equal(client.frames.length, 0)
  assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' })
})

test('spec §9: posts to the connection reset the idle timer', async (t) => {
  const fx = await startFixture(t, { limits: { idleTimeoutMs: 1000 } })
  const { client, connectionId } = await fx.connect()
  await keepBusy(2500, 100, () => fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'keep-alive' })))
  assert.equal(client.closeEvent, undefined, 'still open after 2.5 idle timeouts of posts')
  assert.ok(client.frames.length >= 10)
  assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' })
})

test('spec §9/§8: the maximum duration closes even a busy connection with 1001, and $disconnect reports it', async (t) => {
  const fx = await startFixture(t, { limits: { maxConnectionMs: 800 } })
  const { client, connectionId } = await fx.connect()
  const chatter = setInterval(() => client.socket.readyState === 1 && client.send({ action: 'echo' }), 50)
  t.after(() => clearInterval(chatter))
  assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' })
  assert.ok(client.frames.length > 0, 'the connection was in use until the end')
  const disconnect = await fx.report<Disconnect>(`DISCONNECT#${connectionId}`)
  assert.deepEqual([disconnect.requestContext.disconnectStatusCode, disconnect.requestContext.disconnectReason], [1001, 'Going away'])
})
