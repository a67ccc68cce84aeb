// RevokeToken, as Cognito answers it: the revoked sign-in's refresh token stops working; the user's
// other sign-ins do not; what is not a refresh token of the pool is refused; with a data folder, the
// revocation survives a restart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider'
import { clientError, cognitoFixture as fixture, failure } from './cognito-fixture.ts'

test('a revoked refresh token is refused; another sign-in of the same user still refreshes', async (t) => {
  const { client, clientId, signUp, signIn, refresh } = await fixture(t)
  await signUp('rv-ann')
  const first = (await signIn('rv-ann')).AuthenticationResult!
  const second = (await signIn('rv-ann')).AuthenticationResult!
  assert.ok((await refresh(first.RefreshToken!)).AuthenticationResult?.IdToken)
  assert.deepEqual(await client.send(new RevokeTokenCommand({ ClientId: clientId, Token: first.RefreshToken! })).then((r) => r.$metadata.httpStatusCode), 200)
  assert.deepEqual(await failure(refresh(first.RefreshToken!)), clientError('NotAuthorizedException', 'Refresh Token has been revoked'))
  assert.ok((await refresh(second.RefreshToken!)).AuthenticationResult?.IdToken)
  // Revoking twice is no error.
  await client.send(new RevokeTokenCommand({ ClientId: clientId, Token: first.RefreshToken! }))
  assert.deepEqual(await failure(client.send(new RevokeTokenCommand({ ClientId: clientId, Token: first.AccessToken! }))), {
    ...clientError('UnsupportedTokenTypeException', 'The token provided is not a refresh token issued by this user pool.'),
  })
  assert.deepEqual((await failure(client.send(new RevokeTokenCommand({ ClientId: 'someoneelse', Token: second.RefreshToken! })))).name, 'ResourceNotFoundException')
})

test('with a data folder, a revocation survives a restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dynamowave-revoke-'))
  t.after(() => rm(dataDir, { recursive: true, force: true }))
  let token: string
  {
    const { client, clientId, signUp, signIn, emu } = await fixture({ after: () => {} }, { dataDir })
    await signUp('rv-bob')
    token = (await signIn('rv-bob')).AuthenticationResult!.RefreshToken!
    await client.send(new RevokeTokenCommand({ ClientId: clientId, Token: token }))
    client.destroy()
    await emu.close()
  }
  const { refresh } = await fixture(t, { dataDir })
  assert.deepEqual(await failure(refresh(token)), clientError('NotAuthorizedException', 'Refresh Token has been revoked'))
})
