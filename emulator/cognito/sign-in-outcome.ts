// What a sign-in gets once the user's password is proven, whichever way it was proven
// (USER_PASSWORD_AUTH in initiate-auth.ts, or SRP's PASSWORD_VERIFIER): the user must be confirmed,
// and then Cognito answers tokens or the next challenge the pool asks for (developer guide,
// "Authentication flow", https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html).
import { randomBytes, randomUUID } from 'node:crypto'
import { CognitoError } from './cognito-error.ts'
import type { OperationDeps } from './cognito-operations.ts'
import type { LocalUser } from './user-store.ts'

type Json = Record<string, unknown>

export async function signInOutcome(deps: OperationDeps, user: LocalUser): Promise<Json> {
  deps.signInAttempts.succeeded(user.sub)
  if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.')
  // MFA required, and no local user has an authenticator (AssociateSoftwareToken is not emulated):
  // Cognito asks every such user to set one up first.
  if (deps.settings.pool.mfa === 'REQUIRED') {
    return {
      ChallengeName: 'MFA_SETUP',
      ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
      Session: randomBytes(48).toString('base64url'),
    }
  }
  const tokens = await deps.tokens.issue(user, { originJti: randomUUID(), authTime: Math.floor(Date.now() / 1000) }, true)
  return { AuthenticationResult: tokens, ChallengeParameters: {} }
}
