// Issue 10, "every frame gets a protocol answer" (src/protocol.md): frames of any shape, for every
// action, with every field of any JSON type, are answered with a reply or an error frame with a
// code: never API Gateway's "Internal server error" (a handler that threw). Randomized (fast-check),
// seeded and replayable.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { actions } from '../../src/protocol.ts'
import { startTarget, type PublicTarget } from './target.ts'
import { ok, seen } from '../product-client.ts'
import { connectAs } from '../users.ts'
import type { TestClient } from '../ws-client.ts'

let emu: PublicTarget
let client: TestClient
before(async () => {
  emu = await startTarget()
  client = await connectAs(emu, 'ans-ann')
  await ok(client, { action: 'joinroom', room: 'ans-room' })
})
after(async () => {
  await client.close()
  await emu.close()
})

const fields = ['room', 'text', 'data', 'clientMessageId', 'before', 'after', 'limit', 'cursor', 'id', 'userId', 'ref']
/** Values a field may hold: of every JSON type, and near-valid ones (a real room, a message id, a cursor). */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('ans-room', 'lobby', 'dm:a:b', '01JABCDEFGHJKMNPQRSTVWXYZ0', '2026-01-01T00:00:00.000Z#ans-room', '', ' ', 'x'.repeat(5000), '\u0000', '\ud800'),
  fc.constantFrom(0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER, 101),
)
const frame = fc.record(
  { action: fc.oneof(fc.constantFrom(...actions), fc.jsonValue({ maxDepth: 1 })), ...Object.fromEntries(fields.map((f) => [f, value])) },
  { requiredKeys: ['action'] },
)

let refs = 0

test('random frames for every action are answered with a reply or an error code, never an internal error', { timeout: 600_000 }, async () => {
  const numRuns = Number(process.env.ANSWERS_RUNS ?? 80)
  await fc.assert(
    fc.asyncProperty(frame, async (f) => {
      const ref = `a${++refs}`
      const mark = client.frames.length
      // A well-formed ref, so the answer can be found (a malformed one is tested in product-errors).
      client.send({ ...f, ref })
      const answer = await seen(client, (r) => r.ref === ref || (r.type === undefined && typeof r.message === 'string'), { since: mark, timeoutMs: 10_000 })
      assert.notEqual(answer.message, 'Internal server error', JSON.stringify(f).slice(0, 300))
      if (answer.type === 'error') assert.equal(typeof answer.code, 'string')
      if (answer.code === 'RATE_LIMITED') await new Promise((resolve) => setTimeout(resolve, answer.details.retryAfterMs))
    }),
    { numRuns, seed: Number(process.env.ANSWERS_SEED ?? 20261202), endOnFailure: true, includeErrorInReport: true },
  )
})
