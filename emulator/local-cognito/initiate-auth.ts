// InitiateAuth with the flows the web client is allowed (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), as
// Cognito answers them: tokens, or an MFA set-up challenge when the pool requires MFA.
import { randomBytes, randomUUID } from 'node:crypto'
import { CognitoError, incorrectCredentials } from './cognito-error.ts'
import type { Operation, OperationDeps } from './cognito-operations.ts'
import { initiateAuthInput } from './operation-inputs.ts'
import { verifyPassword } from './password-hash.ts'
import type { LocalUser } from './user-store.ts'

type Json = Record<string, unknown>

export const initiateAuth: Operation = async (deps, input) => {
  const { authFlow: flow, authParameters: parameters } = initiateAuthInput(deps.settings.clientId, input)
  if (flow === 'USER_PASSWORD_AUTH') return passwordAuth(deps, parameters)
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshAuth(deps, parameters)
  throw new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`)
}

/** `USERNAME` is the username or, where the pool has an email alias, a verified email address. */
function userSigningIn(deps: OperationDeps, name: string): LocalUser | undefined {
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
  if (!(await verifyPassword(password, user.passwordHash))) throw incorrectCredentials()
  if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.')
  // MFA required, and no local user has an authenticator (AssociateSoftwareToken is not emulated):
  // Cognito asks every such user to set one up first. The page does not offer that, on AWS or here.
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

async function refreshAuth(deps: OperationDeps, parameters: Readonly<Record<string, string>>): Promise<Json> {
  const token = parameters.REFRESH_TOKEN
  if (!token) throw new CognitoError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN')
  const claims = await deps.tokens.openRefreshToken(token)
  if (claims === 'expired') throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired')
  const user = claims === 'invalid' ? undefined : deps.users.get(claims.username)
  // A token for another client, or for a user who is gone (or was replaced), is as good as forged.
  if (claims === 'invalid' || !user || user.sub !== claims.sub || claims.clientId !== deps.settings.clientId) {
    throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token.')
  }
  const tokens = await deps.tokens.issue(user, claims, false)
  return { AuthenticationResult: tokens, ChallengeParameters: {} }
}
