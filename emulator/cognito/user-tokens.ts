// The tokens a user gets, with what the pool adds to Cognito's claims: the user's declared groups
// (`cognito:groups` in ID and access tokens, lower precedence first, then by name; absent for a
// user in none, as Cognito leaves it out) and what a PreTokenGeneration trigger changes
// (user-pool-triggers.ts). Every issue of tokens goes through here: sign-in, challenges, refresh.
import type { UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
import type { OperationDeps } from './cognito-operations.ts'
import type { IssuedTokens, SignInSession } from './token-minter.ts'
import type { LocalUser } from './user-store.ts'

/** Cognito's `triggerSource` for PreTokenGeneration: how the tokens came to be asked for. */
export type TokenSource = 'TokenGeneration_Authentication' | 'TokenGeneration_NewPasswordChallenge' | 'TokenGeneration_RefreshTokens'

export async function userTokens(deps: OperationDeps, user: LocalUser, session: SignInSession, source: TokenSource): Promise<IssuedTokens> {
  const groups = groupsOf(deps.settings.pool, user)
  const override = await deps.triggers.preTokenGeneration(source, user, groups)
  return deps.tokens.issue(user, session, source !== 'TokenGeneration_RefreshTokens', { groups: override?.groups ?? groups, override })
}

/** The user's groups the pool still declares, in Cognito's order. */
export function groupsOf(pool: UserPoolDeclaration, user: LocalUser): string[] {
  const declared = pool.groups ?? {}
  const precedence = (name: string) => declared[name]?.precedence ?? Number.MAX_SAFE_INTEGER
  return (user.groups ?? []).filter((name) => Object.hasOwn(declared, name)).sort((a, b) => precedence(a) - precedence(b) || (a < b ? -1 : a > b ? 1 : 0))
}
