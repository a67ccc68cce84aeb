import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { PasswordPolicyDeclaration } from '../../src/user-pool-declaration.ts'
import { userPool } from '../../src/user-pool.ts'
import { CognitoError } from './cognito-error.ts'
import { checkPassword, passwordProblem } from './password-policy.ts'

const everything: PasswordPolicyDeclaration = { minLength: 8, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidityDays: 7 }
const nothing: PasswordPolicyDeclaration = { minLength: 6, requireLowercase: false, requireUppercase: false, requireDigits: false, requireSymbols: false, tempPasswordValidityDays: 7 }

test('the first rule a password breaks is named in Cognito’s words, length first', () => {
  assert.deepEqual(
    ['Aa1-', 'AAAA-111', 'aaaa-111', 'Aaaa-aaa', 'Aaaa1111', 'Aaaa-111'].map((password) => passwordProblem(password, everything)),
    [
      'Password not long enough',
      'Password must have lowercase characters',
      'Password must have uppercase characters',
      'Password must have numeric characters',
      'Password must have symbol characters',
      undefined,
    ],
  )
})

test('only the rules the policy switches on apply', () => {
  assert.equal(passwordProblem('abcdef', nothing), undefined)
  assert.equal(passwordProblem('abcde', nothing), 'Password not long enough')
  assert.equal(passwordProblem('ABCDEF', { ...nothing, requireLowercase: true }), 'Password must have lowercase characters')
  assert.equal(passwordProblem('abcdef', { ...nothing, requireDigits: true }), 'Password must have numeric characters')
})

test('length counts characters, not UTF-16 units; only Cognito’s symbols count as symbols', () => {
  assert.equal(passwordProblem('Aa1-😀😀😀', everything), 'Password not long enough')
  assert.equal(passwordProblem('Aa1-😀😀😀😀', everything), undefined)
  for (const symbol of '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-') assert.equal(passwordProblem(`Aaaa111${symbol}`, everything), undefined, symbol)
  for (const notOne of ['§', '€', ' ', 'é']) assert.equal(passwordProblem(`Aaaa111${notOne}`, everything), 'Password must have symbol characters', notOne)
})

test('the chat’s declared policy wants 12 characters of every class', () => {
  assert.equal(passwordProblem('Aa1-aaaaaaa', userPool.passwordPolicy), 'Password not long enough')
  assert.equal(passwordProblem('Aa1-aaaaaaaa', userPool.passwordPolicy), undefined)
})

test('checkPassword throws InvalidPasswordException with Cognito’s message', () => {
  assert.throws(
    () => checkPassword('short', everything),
    (error: unknown) => error instanceof CognitoError && error.type === 'InvalidPasswordException' && error.message === 'Password did not conform with policy: Password not long enough',
  )
  assert.doesNotThrow(() => checkPassword('Aaaa-111', everything))
})
