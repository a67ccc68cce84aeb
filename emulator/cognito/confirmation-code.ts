// Sign-up confirmation codes: six digits, as Cognito emails them, valid for 24 hours and not
// configurable (a Cognito maintainer, amazon-cognito-identity-js#380). A guess is compared in
// constant time, and wrong guesses are limited: Cognito answers LimitExceededException "Attempt limit
// exceeded, please try after some time." (its text, e.g. aws-sdk-android#627) and keeps its figures
// private (amazon-cognito-identity-js#548). Chosen here: five wrong codes lock the user's
// confirmation for 15 minutes, right code or not; 15 minutes without an attempt, or a right code,
// reset the count.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { CognitoError } from './cognito-error.ts'
import type { LockoutPolicy } from './failed-attempts.ts'

export const confirmationCodeMs = 24 * 3600 * 1000

const fifteenMinutes = 15 * 60_000

export const codeAttemptLockout: LockoutPolicy = { freeFailures: 5, lockoutMs: () => fifteenMinutes, quietResetMs: fifteenMinutes }

export function newConfirmationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

/**
 * Whether `given` is `expected`, in time that depends on neither where they first differ nor the
 * code's length: both are compared as HMACs under a key of this call (32 bytes each, the equal
 * lengths `timingSafeEqual` needs).
 */
export function codesMatch(given: string, expected: string): boolean {
  const key = randomBytes(32)
  const mac = (code: string) => createHmac('sha256', key).update(code, 'utf8').digest()
  return timingSafeEqual(mac(given), mac(expected))
}

export const codeAttemptsExceeded = () => new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.')
