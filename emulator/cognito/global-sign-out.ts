// GlobalSignOut (Cognito API reference): with a signed-in user's access token, invalidates the
// tokens Cognito issued to the user. Afterwards Cognito refuses that user's refresh tokens in
// refresh requests, and token-authorized operations with the user's earlier access tokens answer
// NotAuthorizedException "Access Token has been revoked". ID and access tokens stay valid where
// they are verified with the JWKS alone (the chat's authorizer): JWTs are self-contained.
//
// Here the sign-out's time (epoch ms) is stored on the user. Refresh tokens carry, sealed, when
// their sign-in happened (ms), so a sign-in after the sign-out keeps refreshing. Access tokens carry
// only `iat` in whole seconds: those issued in an earlier second are refused, and so is the sign-in
// whose token asked for the sign-out (recorded like RevokeToken's revocation). INF: an access token
// of another sign-in issued in the very second of the sign-out is not refused (its sign-in cannot
// refresh any more, so it ends with its lifetime).
import { CognitoError } from './cognito-error.ts'
import { accessTokenUser } from './access-token-user.ts'
import type { Operation } from './cognito-operations.ts'
import { revokedWith } from './revoke-token.ts'
import type { AccessClaims, RefreshClaims } from './token-minter.ts'
import type { LocalUser } from './user-store.ts'

export const globalSignOut: Operation = async (deps, input) => {
  const { user, claims } = await accessTokenUser(deps, input.AccessToken)
  // Wall-clock time, as the sign-in times sealed in refresh tokens are.
  await deps.users.put({ ...user, signedOutAt: Date.now(), revoked: revokedWith(deps, user, claims.originJti) })
  return {}
}

/** Refuses a refresh token of a sign-in that happened before the user's last GlobalSignOut. */
export function refuseSignedOutRefresh(user: LocalUser, claims: RefreshClaims): void {
  // Refresh tokens sealed before sign-in times were recorded count as earlier than any sign-out.
  if (user.signedOutAt !== undefined && (claims.signedInMs ?? 0) < user.signedOutAt) {
    throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked')
  }
}

/** Whether an access token was issued before the user's last GlobalSignOut (whole seconds: `iat`). */
export function signedOutBefore(user: LocalUser, claims: AccessClaims): boolean {
  return user.signedOutAt !== undefined && (claims.issuedAt + 1) * 1000 <= user.signedOutAt
}
