import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RouteThrottle, TokenBucket } from './token-bucket.ts'

function clock() {
  let now = 0
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

test('spec §9: a full bucket lets burstLimit requests through at once, then throttles', () => {
  const c = clock()
  const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, c.now)
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false])
})

test('spec §9: the bucket refills at rateLimit tokens per second, never beyond burstLimit', () => {
  const c = clock()
  const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 2 }, c.now)
  bucket.take()
  bucket.take()
  c.advance(99)
  assert.equal(bucket.take(), false, 'less than one token after 99 ms at 10/s')
  c.advance(1)
  assert.equal(bucket.take(), true, 'one token after 100 ms')
  c.advance(60_000)
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take()], [true, true, false])
})

test('spec §9 (INF): each route key has its own bucket; no settings means no throttling', () => {
  const c = clock()
  const throttle = new RouteThrottle({ rateLimit: 1, burstLimit: 1 }, c.now)
  assert.deepEqual([throttle.allows('a'), throttle.allows('a'), throttle.allows('b')], [true, false, true])
  const open = new RouteThrottle(undefined)
  assert.ok(Array.from({ length: 100 }, () => open.allows('a')).every(Boolean))
})
