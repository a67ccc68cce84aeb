import { test } from 'node:test'
import assert from 'node:assert/strict'
import { codeAttemptLockout } from './confirmation-code.ts'
import { FailedAttempts } from './failed-attempts.ts'
import { signInLockout } from './initiate-auth.ts'

function clock() {
  let now = 1_000_000
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

/** Fails `n` attempts for `key`, each allowed (asserted). */
function failTimes(attempts: FailedAttempts, key: string, n: number) {
  for (let i = 0; i < n; i++) assert.equal(attempts.begin(key), true, `attempt ${i + 1}`)
}

test("sign-in lockout figures are Cognito's: 2^(n-5) seconds from the fifth failure, at most 15 minutes", () => {
  assert.equal(signInLockout.freeFailures, 5)
  assert.deepEqual(
    [5, 6, 7, 10, 14, 15, 16, 40].map((n) => signInLockout.lockoutMs(n)),
    [1000, 2000, 4000, 32_000, 512_000, 900_000, 900_000, 900_000],
  )
  assert.equal(signInLockout.quietResetMs, 900_000)
  assert.deepEqual([codeAttemptLockout.freeFailures, codeAttemptLockout.lockoutMs(5), codeAttemptLockout.lockoutMs(9), codeAttemptLockout.quietResetMs], [5, 900_000, 900_000, 900_000])
})

test('four failures leave the user free; the fifth locks for a second; attempts during it are refused and do not lengthen it', () => {
  const c = clock()
  const attempts = new FailedAttempts(signInLockout, c.now)
  failTimes(attempts, 'u', 5)
  for (let i = 0; i < 10; i++) assert.equal(attempts.begin('u'), false)
  c.advance(999)
  assert.equal(attempts.begin('u'), false)
  c.advance(1)
  // The sixth failure: two seconds.
  assert.equal(attempts.begin('u'), true)
  c.advance(1999)
  assert.equal(attempts.begin('u'), false)
  c.advance(1)
  assert.equal(attempts.begin('u'), true)
})

test('a success resets the count; so do 15 minutes without an attempt, refused ones included', () => {
  const c = clock()
  const attempts = new FailedAttempts(signInLockout, c.now)
  failTimes(attempts, 'u', 4)
  attempts.succeeded('u')
  // A fresh count: four more failures are still free.
  failTimes(attempts, 'u', 4)
  // 15 quiet minutes, less a millisecond, do not reset: the fifth failure in a row locks.
  c.advance(900_000 - 1)
  failTimes(attempts, 'u', 1)
  c.advance(500)
  assert.equal(attempts.begin('u'), false)
  // 15 minutes after the failure, but not after the refused attempt: the count goes on (n=6, 2 s).
  c.advance(900_000 - 500)
  failTimes(attempts, 'u', 1)
  assert.equal(attempts.begin('u'), false)
  // 15 minutes with no attempt at all: from zero again, four free failures and a fifth that locks.
  c.advance(900_000)
  failTimes(attempts, 'u', 5)
  assert.equal(attempts.begin('u'), false)
})

test('users are counted apart, and only users that failed are remembered', () => {
  const attempts = new FailedAttempts(signInLockout, clock().now)
  failTimes(attempts, 'a', 5)
  assert.equal(attempts.begin('a'), false)
  failTimes(attempts, 'b', 4)
  assert.equal(attempts.size, 2)
  attempts.succeeded('b')
  assert.equal(attempts.size, 1)
})

test('an attempt counts as failed until it succeeds, so parallel guesses stop at the limit', () => {
  const attempts = new FailedAttempts(signInLockout, clock().now)
  // Ten guesses started together, none finished: only five get to check a password.
  const started = Array.from({ length: 10 }, () => attempts.begin('u'))
  assert.deepEqual(started, [true, true, true, true, true, false, false, false, false, false])
})
