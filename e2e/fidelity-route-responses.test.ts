// What a message route's return value does (spec §4.5, §4.6).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startFixture, type Fixture } from './fixtures/fidelity/fixture-emulator.ts'
import type { TestClient } from './ws-client.ts'

/** Sends a message and waits until its invocation has finished (and any answer has been sent). */
async function sendAndWait(fx: Fixture, client: TestClient, routeKey: string, frame: unknown): Promise<void> {
  const before = fx.invocations.filter((e) => e.routeKey === routeKey).length
  client.send(frame)
  await fx.waitFor(() => fx.invocations.filter((e) => e.routeKey === routeKey).length > before)
}

/** Frames sent after a finished invocation arrive before the answer to a later message (one TCP stream). */
async function framesUntilSentinel(client: TestClient): Promise<string[]> {
  client.send({ action: 'echo', sentinel: true })
  await client.next((f) => f.sentinel === true)
  return client.frames.slice(0, -1)
}

test('spec §4.6: a two-way route sends the handler\'s body back as one text frame, as is', async (t) => {
  const fx = await startFixture(t)
  const { client } = await fx.connect()
  client.send({ action: 'respond', result: { statusCode: 200, body: 'plain text, not JSON' } })
  assert.equal(await client.next(), 'plain text, not JSON')
})

test('spec §4.6: a body returned with statusCode 500 still arrives as a normal message, and the socket stays open', async (t) => {
  const fx = await startFixture(t)
  const { client } = await fx.connect()
  client.send({ action: 'respond', result: { statusCode: 500, body: '{"type":"error","code":"NOPE"}' } })
  assert.deepEqual(await client.next(), { type: 'error', code: 'NOPE' })
  client.send({ action: 'echo', n: 2 })
  assert.deepEqual(await client.next(), { action: 'echo', n: 2 })
  assert.equal(client.closeEvent, undefined)
})

test('spec §4.6 (UNK, chosen): a two-way result without a string body sends nothing', async (t) => {
  const fx = await startFixture(t)
  const { client } = await fx.connect()
  for (const result of [{ statusCode: 200 }, 'a bare string', null, { statusCode: 200, body: 42 }]) {
    await sendAndWait(fx, client, 'respond', { action: 'respond', result })
  }
  assert.deepEqual(await framesUntilSentinel(client), [])
})

test('spec §4.5: a one-way route sends nothing back, whatever the handler returns', async (t) => {
  const fx = await startFixture(t)
  const { client } = await fx.connect()
  await sendAndWait(fx, client, 'respond-one-way', { action: 'respond-one-way', result: { statusCode: 200, body: 'must not arrive' } })
  await sendAndWait(fx, client, 'respond-one-way', { action: 'respond-one-way', result: { statusCode: 500, body: 'nor this' } })
  assert.deepEqual(await framesUntilSentinel(client), [])
})
