// The user an operation authorized by an access token acts for (GetUser, ChangePassword,
// AssociateSoftwareToken...: Cognito's API reference, "Authorize with an access token"). Cognito
// refuses a token that is not one of the pool's access tokens, has expired, or belongs to a
// sign-in that was revoked, with NotAuthorizedException and these texts.
import { isRevoked } from './revoke-token.ts'
import { CognitoError } from './cognito-error.ts'
import type { OperationDeps } from './cognito-operations.ts'
import { signedOutBefore } from './global-sign-out.ts'
import type { AccessClaims } from './token-minter.ts'
import type { LocalUser } from './user-store.ts'

export interface TokenUser {
  readonly user: LocalUser
  readonly claims: AccessClaims
}

export async function accessTokenUser(deps: OperationDeps, token: unknown): Promise<TokenUser> {
  if (typeof token !== 'string' || token === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter AccessToken')
  const claims = await deps.tokens.openAccessToken(token)
  if (claims === 'expired') throw new CognitoError('NotAuthorizedException', 'Access Token has expired')
  const user = claims === 'invalid' ? undefined : deps.users.get(claims.username)
  if (claims === 'invalid' || claims.clientId !== deps.settings.clientId) throw new CognitoError('NotAuthorizedException', 'Invalid Access Token')
  // A user deleted (or deleted and signed up again under the same name) since the token was issued.
  if (!user || user.sub !== claims.sub) throw new CognitoError('NotAuthorizedException', 'User does not exist.')
  // RevokeToken or GlobalSignOut (global-sign-out.ts) ended this sign-in, or the user signed out everywhere since.
  if (isRevoked(deps, user, claims.originJti) || signedOutBefore(user, claims)) throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked')
  return { user, claims }
}
