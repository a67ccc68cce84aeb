import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
import { userPool } from '../../src/user-pool.ts'
import { checkUserPool, defaultUserPool } from './user-pool-rules.ts'

const problemsOf = (pool: UserPoolDeclaration): string[] => {
  try {
    checkUserPool(pool)
    return []
  } catch (error) {
    return (error as Error).message.split('\n- ').slice(1)
  }
}

test('the chat’s declaration and the default pool can be deployed', () => {
  assert.deepEqual(problemsOf(userPool), [])
  assert.deepEqual(problemsOf(defaultUserPool), [])
})

test('password lengths and temporary password lifetimes outside Cognito’s ranges are refused', () => {
  const withPolicy = (changes: Partial<UserPoolDeclaration['passwordPolicy']>) => problemsOf({ ...userPool, passwordPolicy: { ...userPool.passwordPolicy, ...changes } })
  assert.deepEqual(withPolicy({ minLength: 6 }), [])
  assert.deepEqual(withPolicy({ minLength: 99 }), [])
  for (const minLength of [5, 100, 8.5]) assert.deepEqual(withPolicy({ minLength }), ['passwordPolicy.minLength must be a whole number from 6 to 99'], String(minLength))
  assert.deepEqual(withPolicy({ tempPasswordValidityDays: 366 }), ['passwordPolicy.tempPasswordValidityDays must be a whole number from 0 to 365'])
})

test('token lifetimes outside what an app client allows are refused', () => {
  const withValidity = (changes: Partial<UserPoolDeclaration['client']['tokenValidity']>) =>
    problemsOf({ ...userPool, client: { ...userPool.client, tokenValidity: { ...userPool.client.tokenValidity, ...changes } } })
  assert.deepEqual(withValidity({ idTokenMinutes: 5, accessTokenMinutes: 1440, refreshTokenDays: 3650 }), [])
  assert.deepEqual(withValidity({ idTokenMinutes: 4 }), ['client.tokenValidity.idTokenMinutes must be a whole number from 5 to 1440'])
  assert.deepEqual(withValidity({ accessTokenMinutes: 1441 }), ['client.tokenValidity.accessTokenMinutes must be a whole number from 5 to 1440'])
  assert.deepEqual(withValidity({ refreshTokenDays: 3651 }), ['client.tokenValidity.refreshTokenDays must be a whole number from 1 to 3650'])
})

test('unknown or repeated required attributes, an unknown MFA mode and sign-in without usernames are refused', () => {
  const bad = {
    ...userPool,
    requiredAttributes: ['email', 'given_name', 'email', 'custom:tier'],
    mfa: 'SOMETIMES',
    signInAliases: { username: false, email: true },
  } as unknown as UserPoolDeclaration
  assert.deepEqual(problemsOf(bad), [
    'signInAliases.username must be true: the local Cognito signs in by username (with an optional email alias)',
    'requiredAttributes: email is listed twice',
    'requiredAttributes: custom:tier is not a standard attribute',
    'mfa must be OFF, OPTIONAL or REQUIRED, not "SOMETIMES"',
  ])
})

test('custom attributes, groups and triggers Cognito would refuse are refused', () => {
  assert.deepEqual(
    problemsOf({
      ...userPool,
      customAttributes: {
        'a-name-much-longer-than-twenty': { type: 'String', mutable: true },
        tier: { type: 'Text' as 'String', mutable: true },
        size: { type: 'String', mutable: true, min: 5, max: 3000 },
        rank: { type: 'Number', mutable: true, min: 10, max: 1 },
      },
      groups: { '': {}, ok: { precedence: -1 } },
      triggers: { preAuthentication: 'fn' } as never,
    }),
    [
      'customAttributes.a-name-much-longer-than-twenty: a name is 1 to 20 letters, digits or punctuation',
      'customAttributes.tier.type must be String or Number',
      'customAttributes.size.max must be a whole number from 0 to 2048',
      'customAttributes.rank: min is above max',
      'groups.: a name is 1 to 128 letters, digits or punctuation',
      'groups.ok.precedence must be a whole number from 0 to 2147483647',
      'triggers.preAuthentication: only preSignUp, postConfirmation and preTokenGeneration are emulated',
    ],
  )
})
