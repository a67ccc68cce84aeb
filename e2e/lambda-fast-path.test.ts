// The sandbox's fast path (emulator/lambda/fast-path.ts): the real SDK clients inside a handler reach
// DynamoDB and `@connections` over message ports instead of loopback HTTP, and a handler cannot tell
// the difference: the same typed errors, statuses and messages arrive either way, also for a client
// built from the event's `domainName` as the AWS tutorials build it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'

interface Outcome {
  readonly name: string
  readonly status?: number
  readonly fault?: string
  readonly message?: string
  readonly typed?: boolean
}

async function sdkOutcomes(t: Parameters<typeof startFixture>[0], fastPath: boolean) {
  const fx = await startFixture(t, { fastPath })
  const { client } = await fx.connect()
  client.send({ action: 'sdk-errors' })
  // The handler posts "hello" to its own connection before it answers.
  const answer = await client.next((frame) => typeof frame === 'object' && frame !== null && 'results' in frame, 10_000)
  assert.ok(client.frames.includes('hello'), 'the post to itself arrived')
  return answer as unknown as { results: Record<string, Outcome>; sockets: number }
}

test('fast path: GoneException, PayloadTooLargeException and ConditionalCheckFailedException arrive typed, exactly as over HTTP', async (t) => {
  const fast = await sdkOutcomes(t, true)
  const http = await sdkOutcomes(t, false)
  assert.deepEqual(fast.results, http.results)
  const { gone, tooLarge, post, get, put, conditionFailed } = fast.results
  assert.deepEqual(gone, { name: 'GoneException', status: 410, fault: 'client', message: 'UnknownError', typed: true })
  assert.equal(tooLarge.name, 'PayloadTooLargeException')
  assert.equal(tooLarge.status, 413)
  assert.equal(tooLarge.typed, true)
  assert.deepEqual(post, { name: 'ok', status: 200 })
  assert.deepEqual(get, { name: 'ok', status: 200 })
  assert.deepEqual(put, { name: 'ok', status: 200 })
  assert.deepEqual(conditionFailed, { name: 'ConditionalCheckFailedException', status: 400, fault: 'client', message: 'The conditional request failed', typed: true })
  // The fast path opened no connection; over HTTP the same calls did.
  assert.equal(fast.sockets, 0)
  assert.ok(http.sockets > 0)
})
