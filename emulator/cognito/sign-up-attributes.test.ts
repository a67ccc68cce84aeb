import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
import { userPool } from '../../src/user-pool.ts'
import { CognitoError } from './cognito-error.ts'
import { checkUsername, signUpAttributes } from './sign-up-attributes.ts'

const invalidParameter = (message: string) => (error: unknown) => {
  assert.ok(error instanceof CognitoError)
  assert.deepEqual([error.type, error.message], ['InvalidParameterException', message])
  return true
}
const noRequirements: UserPoolDeclaration = { ...userPool, requiredAttributes: [], signInAliases: { username: true, email: false } }

test('the attributes of a sign-up, by name', () => {
  assert.deepEqual(
    signUpAttributes([{ Name: 'email', Value: 'a@example.test' }, { Name: 'name', Value: 'A' }], userPool),
    { email: 'a@example.test', name: 'A' },
  )
  assert.deepEqual(signUpAttributes(undefined, noRequirements), {})
})

test('every missing required attribute is named, one line each, as Cognito does', () => {
  const pool = { ...userPool, requiredAttributes: ['email', 'given_name'] } as const satisfies UserPoolDeclaration
  assert.throws(() => signUpAttributes([], pool), invalidParameter('Attributes did not conform to the schema: email: The attribute is required\ngiven_name: The attribute is required\n'))
  assert.throws(() => signUpAttributes([{ Name: 'email', Value: '' }, { Name: 'given_name', Value: 'G' }], pool), invalidParameter('Attributes did not conform to the schema: email: The attribute is required\n'))
})

test('attributes outside the schema, malformed lists and malformed emails are refused', () => {
  assert.throws(
    () => signUpAttributes([{ Name: 'custom:tier', Value: 'gold' }, { Name: 'email_verified', Value: 'true' }], noRequirements),
    invalidParameter('Attributes did not conform to the schema: custom:tier: Attribute does not exist in the schema.\nemail_verified: Attribute does not exist in the schema.\n'),
  )
  assert.throws(() => signUpAttributes({ email: 'a@example.test' }, noRequirements), invalidParameter('UserAttributes must be a list of { Name, Value }'))
  assert.throws(() => signUpAttributes([{ Name: 'email' }], noRequirements), invalidParameter('UserAttributes must be a list of { Name, Value }'))
  for (const email of ['plain', 'two@@example.test', 'space in@example.test', '@example.test', 'a@']) {
    assert.throws(() => signUpAttributes([{ Name: 'email', Value: email }], noRequirements), invalidParameter('Invalid email address format.'), email)
  }
})

test('an email-shaped username is refused only where email is a sign-in alias', () => {
  assert.throws(() => checkUsername('eve@example.test', userPool), invalidParameter('Username cannot be of email format, since user pool is configured for email alias.'))
  assert.doesNotThrow(() => checkUsername('eve', userPool))
  assert.doesNotThrow(() => checkUsername('eve@example.test', noRequirements))
})
