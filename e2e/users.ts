// How a test user opens a chat connection: sign up and sign in through the local Cognito with the
// real Cognito SDK client and the page's own SRP client (as the page does), then connect with `?token=<ID token>` (as the page
// does). Every e2e test connects through here, so how a user proves who they are lives in one place.
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type InitiateAuthCommandInput,
  type RespondToAuthChallengeCommandInput,
  type RespondToAuthChallengeCommandOutput,
  UsernameExistsException,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider'
import { decodeJwt } from 'jose'
import type { LocalCognitoInfo } from '../emulator/cognito/local-cognito.ts'
import { srp } from './srp-client.ts'
import { TestClient, type ClientOptions } from './ws-client.ts'

/** What signing in needs: the local Cognito's endpoint and app client (an in-process emulator or one in its own process). */
export interface WithPool {
  readonly cognito: Pick<LocalCognitoInfo, 'endpoint' | 'region' | 'clientId' | 'userPoolId'> & {
    /** Called when the pool leaves a new user unconfirmed (a deployed stage: e2e/public/stage-target.ts). */
    readonly afterSignUp?: (username: string) => Promise<void>
  }
}
export interface WithCognito extends WithPool {
  readonly url: string
}

/** A password that passes src/user-pool.ts's policy (12+ characters, every class), different per user. */
export function passwordOf(username: string): string {
  return `Pw-${username}-7x-chat`
}

/** The email a test user signs up with: src/user-pool.ts requires one. */
export function emailOf(username: string): string {
  return `${username}@example.test`
}

/** The real SDK client, pointed at the local Cognito; no credentials (these operations are unsigned). */
export function cognitoClient(emulator: WithPool): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: emulator.cognito.endpoint, region: emulator.cognito.region, maxAttempts: 1 })
}

/** Signs `username` up (unless it exists) and in; the tokens Cognito returns. */
export async function signIn(emulator: WithPool, username: string): Promise<AuthenticationResultType> {
  const client = cognitoClient(emulator)
  try {
    const { clientId } = emulator.cognito
    const signUp = new SignUpCommand({ ClientId: clientId, Username: username, Password: passwordOf(username), UserAttributes: [{ Name: 'email', Value: emailOf(username) }] })
    const signedUp = await client.send(signUp).catch((error: unknown) => {
      if (!(error instanceof UsernameExistsException)) throw error
      return undefined
    })
    if (signedUp && !signedUp.UserConfirmed) await emulator.cognito.afterSignUp?.(username)
    const { AuthenticationResult: result } = await srpSignIn(client, emulator, username, passwordOf(username))
    if (!result?.IdToken) throw new Error(`sign-in of ${username} returned no ID token`)
    return result
  } finally {
    client.destroy()
  }
}

// Tokens per emulator and user, so many connections of one user (tabs, load tests) sign in once.
const idTokens = new WeakMap<object, Map<string, Promise<string>>>()

/** A valid ID token for `username`, reused while it has more than a minute to live. */
export async function idTokenFor(emulator: WithPool, username: string): Promise<string> {
  const perUser = idTokens.get(emulator) ?? new Map<string, Promise<string>>()
  idTokens.set(emulator, perUser)
  const cached = perUser.get(username)
  if (cached) {
    const token = await cached.catch(() => undefined)
    if (token && (decodeJwt(token).exp ?? 0) * 1000 > Date.now() + 60_000) return token
  }
  const fresh = signIn(emulator, username).then((r) => r.IdToken!)
  perUser.set(username, fresh)
  return fresh
}

export async function connectAs(emulator: WithCognito, username: string, options?: ClientOptions): Promise<TestClient> {
  const token = await idTokenFor(emulator, username)
  return TestClient.connect(`${emulator.url}?token=${encodeURIComponent(token)}`, options)
}

/** USER_SRP_AUTH through the real SDK client, computed by the page's SRP module: the answer to PASSWORD_VERIFIER. */
export function srpSignIn(client: CognitoIdentityProviderClient, emulator: WithPool, username: string, password: string): Promise<RespondToAuthChallengeCommandOutput> {
  const call = (operation: string, body: Record<string, unknown>) =>
    operation === 'InitiateAuth'
      ? client.send(new InitiateAuthCommand(body as unknown as InitiateAuthCommandInput))
      : client.send(new RespondToAuthChallengeCommand(body as unknown as RespondToAuthChallengeCommandInput))
  return srp.srpSignIn(call, { clientId: emulator.cognito.clientId, userPoolId: emulator.cognito.userPoolId, username, password }).then((signedIn) => signedIn.response)
}
