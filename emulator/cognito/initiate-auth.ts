// InitiateAuth with the flows the web client allows (its declared `authFlows`: USER_SRP_AUTH in
// srp-auth.ts, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), as Cognito answers them: tokens, or a
// challenge (sign-in-outcome.ts). A flow the client does not allow is refused as Cognito refuses it,
// "<flow> flow not enabled for this client"; so is every flow the emulator does not run (USER_AUTH,
// CUSTOM_AUTH, the ADMIN_ flows on this unsigned endpoint), which no declared client can allow.
//
// Wrong passwords lock the user out as Cognito does (developer guide, "Lockout behavior for failed
// sign-in attempts", https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior):
// the 5th failed password attempt locks the user out for 1 s, and each further failure doubles it,
// 2^(n-5) s for n failures, up to about 15 minutes; an attempt during a lockout is answered
// "Password attempts exceeded" (a NotAuthorizedException, as the SDKs have long reported it:
// amazon-cognito-identity-js#479) and does not count towards the next one; signing in after a
// lockout, or making no attempt for 15 minutes after one, resets n to 0. Chosen where the guide is
// silent: the cap is exactly 15 minutes, and a right password or 15 quiet minutes also reset the
// count before any lockout. There is no count for a name that is no user: with
// preventUserExistenceErrors it keeps getting "Incorrect username or password." after the decoy
// hash, and costs no memory.
import { isRevoked } from './revoke-token.ts'
import { CognitoError, incorrectCredentials } from './cognito-error.ts'
import { refuseSignedOutRefresh } from './global-sign-out.ts'
import type { Operation, OperationDeps } from './cognito-operations.ts'
import type { LockoutPolicy } from './failed-attempts.ts'
import { initiateAuthInput } from './operation-inputs.ts'
import { verifyPassword } from './password-hash.ts'
import { signInOutcome } from './sign-in-outcome.ts'
import { initiateSrp, srpFields } from './srp-auth.ts'
import { defaultAuthFlows } from '../../src/user-pool-declaration.ts'
import type { LocalUser } from './user-store.ts'
import { userTokens } from './user-tokens.ts'

type Json = Record<string, unknown>

const fifteenMinutes = 15 * 60_000

export const signInLockout: LockoutPolicy = {
  freeFailures: 5,
  lockoutMs: (failures) => Math.min(2 ** (failures - 5) * 1000, fifteenMinutes),
  quietResetMs: fifteenMinutes,
}

export const initiateAuth: Operation = async (deps, input) => {
  const { authFlow: flow, authParameters: parameters } = initiateAuthInput(deps.settings.clientId, input)
  // REFRESH_TOKEN is the API's older name for REFRESH_TOKEN_AUTH.
  const allowed: readonly string[] = deps.settings.pool.client.authFlows ?? defaultAuthFlows
  if (!allowed.includes(flow === 'REFRESH_TOKEN' ? 'REFRESH_TOKEN_AUTH' : flow)) throw new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`)
  if (flow === 'USER_SRP_AUTH') return initiateSrp(deps, parameters, (name) => userSigningIn(deps, name))
  if (flow === 'USER_PASSWORD_AUTH') return passwordAuth(deps, parameters)
  return refreshAuth(deps, parameters)
}

/** `USERNAME` is the username or, where the pool has an email alias, a verified email address. */
export function userSigningIn(deps: OperationDeps, name: string): LocalUser | undefined {
  const byName = deps.users.get(name)
  if (byName || !deps.settings.pool.signInAliases.email) return byName
  return deps.users.withVerifiedEmail(name)
}

async function passwordAuth(deps: OperationDeps, parameters: Readonly<Record<string, string>>): Promise<Json> {
  const username = parameters.USERNAME
  const password = parameters.PASSWORD
  if (!username) throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME')
  if (!password) throw new CognitoError('InvalidParameterException', 'Missing required parameter PASSWORD')
  const user = userSigningIn(deps, username)
  if (!user) {
    await verifyPassword(password, await deps.decoyHash)
    if (deps.settings.pool.client.preventUserExistenceErrors) throw incorrectCredentials()
    throw new CognitoError('UserNotFoundException', 'User does not exist.')
  }
  // Refused during a lockout without looking at the password: a right one fares no better.
  if (!deps.signInAttempts.begin(user.sub)) throw new CognitoError('NotAuthorizedException', 'Password attempts exceeded')
  if (!(await verifyPassword(password, user.passwordHash))) throw incorrectCredentials()
  // A user stored before SRP sign-in gets its verifier the first time its password is proven.
  if (!user.srp) await deps.users.put({ ...user, ...srpFields(deps, user.username, password) })
  return signInOutcome(deps, deps.users.get(user.username) ?? user)
}

export async function refreshAuth(deps: OperationDeps, parameters: Readonly<Record<string, string>>): Promise<Json> {
  const token = parameters.REFRESH_TOKEN
  if (!token) throw new CognitoError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN')
  const claims = await deps.tokens.openRefreshToken(token)
  if (claims === 'expired') throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired')
  const user = claims === 'invalid' ? undefined : deps.users.get(claims.username)
  // A token for another client, or for a user who is gone (or was replaced), is as good as forged.
  if (claims === 'invalid' || !user || user.sub !== claims.sub || claims.clientId !== deps.settings.clientId) {
    throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token.')
  }
  // RevokeToken (revoke-token.ts) ended this sign-in.
  if (isRevoked(deps, user, claims.originJti)) throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked')
  refuseSignedOutRefresh(user, claims)
  const tokens = await userTokens(deps, user, claims, 'TokenGeneration_RefreshTokens')
  return { AuthenticationResult: tokens, ChallengeParameters: {} }
}
