// The `Session` a challenge comes with: opaque to the client, sealed with the pool's key (sealed-state.ts),
// bound to the user and to the challenge it answers, valid 3 minutes (Cognito's default
// AuthSessionValidity). A session past that, for another user or another challenge, is refused with
// Cognito's NotAuthorizedException "Invalid session for the user, session is expired." (the text
// Cognito gives both cases).
import { CognitoError } from './cognito-error.ts'
import type { OperationDeps } from './cognito-operations.ts'
import type { LocalUser } from './user-store.ts'

export const sessionSeconds = 180
const purpose = 'challenge-session'

export interface SessionState {
  readonly user: LocalUser
  /** What this session carries besides its user: e.g. the authenticator secret being set up. */
  readonly data: Readonly<Record<string, unknown>>
}

/** One opaque token of URL-safe characters, as Cognito's sessions are. */
export async function newSession(deps: OperationDeps, user: LocalUser, challenge: string, data: Record<string, unknown> = {}): Promise<string> {
  const sealed = await deps.sealed.seal(purpose, { username: user.username, sub: user.sub, challenge, data }, sessionSeconds)
  return Buffer.from(sealed, 'utf8').toString('base64url')
}

export async function openSession(deps: OperationDeps, session: string | undefined, challenge: string): Promise<SessionState> {
  if (!session) throw new CognitoError('InvalidParameterException', 'Missing required parameter Session')
  const claims = await deps.sealed.open(purpose, Buffer.from(session, 'base64url').toString('utf8'))
  const expired = () => new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.')
  if (claims === 'expired' || claims === 'invalid' || claims.challenge !== challenge) throw expired()
  const user = deps.users.get(String(claims.username))
  if (!user || user.sub !== claims.sub) throw expired()
  return { user, data: (claims.data ?? {}) as Record<string, unknown> }
}
