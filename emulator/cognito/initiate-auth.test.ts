import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { userPool } from '../../src/user-pool.ts'
import { CognitoError } from './cognito-error.ts'
import { operationDeps, operations } from './cognito-operations.ts'
import { loadOrCreatePoolKeys } from './pool-keys.ts'
import { declaredLifetimes, TokenMinter } from './token-minter.ts'
import { UserStore } from './user-store.ts'
import { SealedState } from './sealed-state.ts'
import { UserPoolTriggers } from './user-pool-triggers.ts'

/** The operations of an in-memory pool with the chat's declaration, called directly (no HTTP). */
async function pool() {
  const keys = await loadOrCreatePoolKeys('us-east-1', undefined)
  const deps = operationDeps({
    // This test is about USER_PASSWORD_AUTH, which the chat's own client does not allow.
    settings: { userPoolId: keys.userPoolId, clientId: keys.clientId, pool: { ...userPool, client: { ...userPool.client, authFlows: ['USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH'] } }, autoConfirm: true, deliverCode: () => {} },
    users: await UserStore.open(undefined, userPool.signInCaseSensitive),
    sealed: new SealedState(keys.refreshKey),
    tokens: new TokenMinter(keys, 'http://127.0.0.1:1/pool', declaredLifetimes(userPool.client.tokenValidity)),
    triggers: new UserPoolTriggers({}, undefined, { region: 'us-east-1', userPoolId: keys.userPoolId, clientId: keys.clientId }),
    now: () => 1_000_000,
  })
  const { clientId } = deps.settings
  const signUp = (username: string) =>
    operations.SignUp(deps, { ClientId: clientId, Username: username, Password: 'Pw-right-7x-chat', UserAttributes: [{ Name: 'email', Value: `${username}@example.test` }] })
  const signIn = (username: string, password: string) =>
    operations.InitiateAuth(deps, { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }).then(
      () => 'signed in',
      (error: unknown) => (error instanceof CognitoError ? `${error.type}: ${error.message}` : Promise.reject(error)),
    )
  return { deps, signUp, signIn }
}

test('a flood of names that are no user gets one answer and leaves no count behind', async () => {
  const { deps, signUp, signIn } = await pool()
  await signUp('alice')
  for (let i = 0; i < 12; i++) assert.equal(await signIn(`nobody-${randomUUID()}`, 'Pw-wrong-7x-chat'), 'NotAuthorizedException: Incorrect username or password.')
  // The same name over and over never locks either: there is no one to lock.
  for (let i = 0; i < 8; i++) assert.equal(await signIn('nobody', 'Pw-wrong-7x-chat'), 'NotAuthorizedException: Incorrect username or password.')
  assert.equal(deps.signInAttempts.size, 0)
  assert.equal(await signIn('alice', 'Pw-wrong-7x-chat'), 'NotAuthorizedException: Incorrect username or password.')
  assert.equal(deps.signInAttempts.size, 1)
})

test('the count belongs to the user, whether they sign in by username or by email alias', async () => {
  const { signUp, signIn } = await pool()
  await signUp('bob')
  for (const name of ['bob', 'BOB', 'bob@example.test', 'Bob@Example.test', 'bob']) {
    assert.equal(await signIn(name, 'Pw-wrong-7x-chat'), 'NotAuthorizedException: Incorrect username or password.', name)
  }
  assert.equal(await signIn('bob@example.test', 'Pw-right-7x-chat'), 'NotAuthorizedException: Password attempts exceeded')
})
