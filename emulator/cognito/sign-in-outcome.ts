// What a sign-in gets once the user's password is proven, whichever way it was proven
// (USER_PASSWORD_AUTH in initiate-auth.ts, or SRP's PASSWORD_VERIFIER): the user must be confirmed,
// and then Cognito answers tokens or the next challenge the pool asks for (developer guide,
// "Authentication flow" and "Adding MFA to a user pool"):
// - a user with an authenticator turned on (MFA OPTIONAL or REQUIRED) gets SOFTWARE_TOKEN_MFA;
// - with MFA REQUIRED, a user without one gets MFA_SETUP, to associate one first (software-token.ts);
// - before either, a user on an administrator's temporary password gets NEW_PASSWORD_REQUIRED (new-password.ts).
import { randomUUID } from 'node:crypto'
import { CognitoError } from './cognito-error.ts'
import type { OperationDeps } from './cognito-operations.ts'
import { newSession } from './challenge-session.ts'
import { newPasswordChallenge } from './new-password.ts'
import type { LocalUser } from './user-store.ts'
import { userTokens, type TokenSource } from './user-tokens.ts'

type Json = Record<string, unknown>

export async function signInOutcome(deps: OperationDeps, user: LocalUser, source: TokenSource = 'TokenGeneration_Authentication'): Promise<Json> {
  deps.signInAttempts.succeeded(user.sub)
  if (user.status === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(deps, user)
  if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.')
  const mfa = deps.settings.pool.mfa
  if (mfa !== 'OFF' && user.totp?.enabled) {
    return { ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {}, Session: await newSession(deps, user, 'SOFTWARE_TOKEN_MFA') }
  }
  if (mfa === 'REQUIRED') {
    return { ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, Session: await newSession(deps, user, 'MFA_SETUP') }
  }
  return issueTokens(deps, user, source)
}

/** A new sign-in's tokens (a refresh keeps its sign-in's; initiate-auth.ts). */
export async function issueTokens(deps: OperationDeps, user: LocalUser, source: TokenSource = 'TokenGeneration_Authentication'): Promise<Json> {
  const tokens = await userTokens(deps, user, { originJti: randomUUID(), authTime: Math.floor(Date.now() / 1000) }, source)
  return { AuthenticationResult: tokens, ChallengeParameters: {} }
}
