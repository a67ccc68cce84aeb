// A chat emulator with the real Cognito SDK client pointed at its local pool, and the calls the page
// makes, for tests of the pool itself. Users sign up with the email src/user-pool.ts requires unless a
// test says otherwise.
import assert from 'node:assert/strict'
import {
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AttributeType,
  type CognitoIdentityProviderServiceException,
} from '@aws-sdk/client-cognito-identity-provider'
import type { DeclaredOptions } from '../emulator/start-emulator.ts'
import { startChatEmulator } from './chat-emulator.ts'
import { cognitoClient, emailOf, passwordOf, srpSignIn } from './users.ts'

export async function cognitoFixture(t: { after: (fn: () => unknown) => void }, overrides: Partial<DeclaredOptions> = {}) {
  const emu = await startChatEmulator(overrides)
  const client = cognitoClient(emu)
  t.after(async () => {
    client.destroy()
    await emu.close()
  })
  const { clientId } = emu.cognito
  const signUp = (username: string, password = passwordOf(username), attributes: AttributeType[] = [{ Name: 'email', Value: emailOf(username) }]) =>
    client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: attributes }))
  // As the page signs in: USER_SRP_AUTH (the chat's client allows no other sign-in flow).
  const signIn = (username: string, password = passwordOf(username)) => srpSignIn(client, emu, username, password)
  const refresh = (token: string) => client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }))
  const confirm = (username: string, code: string, forceAliasCreation?: boolean) =>
    client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, ForceAliasCreation: forceAliasCreation }))
  return { emu, client, clientId, signUp, signIn, refresh, confirm }
}

/** The typed exception the SDK threw, as name, message and HTTP status. */
export async function failure(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => assert.fail('the call should have failed'),
    (e: unknown) => e,
  )) as CognitoIdentityProviderServiceException
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode, fault: error.$fault }
}

export const clientError = (name: string, message: string) => ({ name, message, status: 400, fault: 'client' })
