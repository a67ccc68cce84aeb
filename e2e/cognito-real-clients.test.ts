// Real Cognito client libraries, unchanged but for the endpoint, against the local Cognito: Cognito's
// own amazon-cognito-identity-js and AWS Amplify v6 (aws-amplify/auth) each sign up, confirm with the
// emailed code (handed over by `onCode`), sign in with SRP (their default), refresh, and sign out;
// a wrong password through SRP is refused by both, and a verified email signs in as its user.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js'
import { Amplify } from 'aws-amplify'
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth'
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito'
import { decodeJwt } from 'jose'
import type { CodeDelivery } from '../emulator/cognito/code-delivery.ts'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { emailOf, passwordOf } from './users.ts'

let emu: ChatEmulator
const codes = new Map<string, string>()
before(async () => {
  emu = await startChatEmulator({ cognito: { autoConfirm: false, onCode: (d: CodeDelivery) => void codes.set(d.username, d.code) } })
})
after(() => emu.close())

const codeFor = (username: string) => {
  const code = codes.get(username)
  assert.ok(code, `no code was sent to ${username}`)
  return code
}

// amazon-cognito-identity-js: callbacks, wrapped.
function pool(): CognitoUserPool {
  return new CognitoUserPool({ UserPoolId: emu.cognito.userPoolId, ClientId: emu.cognito.clientId, endpoint: `${emu.cognito.endpoint}/` })
}
const signUpWith = (username: string) =>
  new Promise<void>((resolve, reject) =>
    pool().signUp(username, passwordOf(username), [new CognitoUserAttribute({ Name: 'email', Value: emailOf(username) })], [], (err) => (err ? reject(err) : resolve())),
  )
const confirmWith = (user: CognitoUser, code: string) => new Promise<void>((resolve, reject) => user.confirmRegistration(code, true, (err) => (err ? reject(err) : resolve())))
const authenticate = (user: CognitoUser, username: string, password: string) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), { onSuccess: resolve, onFailure: reject }),
  )

test('amazon-cognito-identity-js: sign up, confirm, SRP sign-in, refresh, sign out (the refresh token revoked)', async () => {
  await signUpWith('cij-ann')
  const user = new CognitoUser({ Username: 'cij-ann', Pool: pool() })
  await confirmWith(user, codeFor('cij-ann'))
  const session = await authenticate(user, 'cij-ann', passwordOf('cij-ann'))
  const id = decodeJwt(session.getIdToken().getJwtToken())
  assert.equal(id['cognito:username'], 'cij-ann')
  assert.equal(id.iss, emu.cognito.issuer)

  const refreshed = await new Promise<CognitoUserSession>((resolve, reject) => user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))))
  assert.equal(decodeJwt(refreshed.getIdToken().getJwtToken()).origin_jti, id.origin_jti, 'the same sign-in')

  await new Promise<void>((resolve) => user.signOut(() => resolve()))
  const afterSignOut = await new Promise<unknown>((resolve) => user.refreshSession(session.getRefreshToken(), (err) => resolve(err)))
  assert.equal((afterSignOut as { code?: string; name?: string }).name ?? (afterSignOut as { code?: string }).code, 'NotAuthorizedException')
  assert.match(String((afterSignOut as Error).message), /Refresh Token has been revoked/)
})

test('amazon-cognito-identity-js: a wrong password through SRP is refused; the verified email signs in as its user', async () => {
  await signUpWith('cij-ben')
  await confirmWith(new CognitoUser({ Username: 'cij-ben', Pool: pool() }), codeFor('cij-ben'))
  const refused = await authenticate(new CognitoUser({ Username: 'cij-ben', Pool: pool() }), 'cij-ben', 'Pw-wrong-7x-chat').then(
    () => assert.fail('signed in with a wrong password'),
    (error: Error & { code?: string }) => error,
  )
  assert.equal(refused.code ?? refused.name, 'NotAuthorizedException')
  assert.equal(refused.message, 'Incorrect username or password.')

  const byEmail = await authenticate(new CognitoUser({ Username: emailOf('cij-ben'), Pool: pool() }), emailOf('cij-ben'), passwordOf('cij-ben'))
  assert.equal(decodeJwt(byEmail.getIdToken().getJwtToken())['cognito:username'], 'cij-ben')
})

// Amplify v6 keeps one configuration per process: configured once, with in-memory token storage.
function configureAmplify() {
  const memory = new Map<string, string>()
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (key, value) => void memory.set(key, value),
    getItem: async (key) => memory.get(key) ?? null,
    removeItem: async (key) => void memory.delete(key),
    clear: async () => memory.clear(),
  })
  Amplify.configure({ Auth: { Cognito: { userPoolId: emu.cognito.userPoolId, userPoolClientId: emu.cognito.clientId, userPoolEndpoint: emu.cognito.endpoint } } })
}

test('Amplify v6: signUp, confirmSignUp, signIn (SRP), fetchAuthSession with a forced refresh, signOut; a wrong password is refused', async () => {
  configureAmplify()
  const username = 'amp-cyd'
  const signedUp = await signUp({ username, password: passwordOf(username), options: { userAttributes: { email: emailOf(username) } } })
  assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP')
  const confirmed = await confirmSignUp({ username, confirmationCode: codeFor(username) })
  assert.equal(confirmed.isSignUpComplete, true)

  const wrong = await signIn({ username, password: 'Pw-wrong-7x-chat' }).then(
    () => assert.fail('signed in with a wrong password'),
    (error: Error) => error,
  )
  assert.equal(wrong.name, 'NotAuthorizedException')

  const signedIn = await signIn({ username, password: passwordOf(username) })
  assert.equal(signedIn.isSignedIn, true)
  const session = await fetchAuthSession()
  assert.equal(session.tokens?.idToken?.payload['cognito:username'], username)
  const refreshed = await fetchAuthSession({ forceRefresh: true })
  assert.notEqual(refreshed.tokens?.accessToken.toString(), session.tokens?.accessToken.toString(), 'new tokens')
  assert.equal(refreshed.tokens?.idToken?.payload.origin_jti, session.tokens?.idToken?.payload.origin_jti)

  await signOut()
  assert.equal((await fetchAuthSession()).tokens, undefined, 'signed out')
})
