// RevokeToken: signing out for real. Cognito's API reference: the refresh token, and every access
// token generated from it, can no longer be used with Cognito; other sign-ins of the user are not
// affected. Here the sign-in (`origin_jti`, which every token of it carries) is recorded on the
// user until the refresh token would have expired, and REFRESH_TOKEN_AUTH with it is refused with
// Cognito's `NotAuthorizedException` "Refresh Token has been revoked" (initiate-auth.ts). ID and
// access tokens stay valid where they are verified with the JWKS alone (the chat's authorizer, API
// Gateway): JWTs are self-contained, as Cognito's token-revocation guide says.
import { CognitoError } from './cognito-error.ts'
import type { Operation, OperationDeps } from './cognito-operations.ts'
import type { LocalUser } from './user-store.ts'
import { revokeTokenInput } from './operation-inputs.ts'

export const revokeToken: Operation = async (deps, input) => {
  const { token } = revokeTokenInput(deps.settings.clientId, input)
  const claims = await deps.tokens.openRefreshToken(token)
  // INF: what is not one of this pool's refresh tokens (an access token, garbage) is not revocable.
  if (claims === 'invalid') throw new CognitoError('UnsupportedTokenTypeException', 'The token provided is not a refresh token issued by this user pool.')
  // Revoking an expired token is nothing to do.
  if (claims === 'expired') return {}
  const user = deps.users.get(claims.username)
  if (!user || user.sub !== claims.sub) return {}
  await deps.users.put({ ...user, revoked: revokedWith(deps, user, claims.originJti) })
  return {}
}

/** The user's revoked sign-ins with this one added, until its refresh token would have expired. */
export function revokedWith(deps: OperationDeps, user: LocalUser, originJti: string): Record<string, number> {
  const now = deps.now()
  // Expired revocations go: the list is as long as the sign-ins revoked within one refresh lifetime.
  const kept = Object.fromEntries(Object.entries(user.revoked ?? {}).filter(([, end]) => end > now))
  return { ...kept, [originJti]: now + deps.tokens.refreshLifetimeMs }
}

/** Whether RevokeToken (or GlobalSignOut) ended this sign-in. */
export function isRevoked(deps: OperationDeps, user: LocalUser, originJti: string): boolean {
  return (user.revoked?.[originJti] ?? 0) > deps.now()
}
