// NEW_PASSWORD_REQUIRED (Cognito API reference, RespondToAuthChallenge): a user an administrator
// created signs in with the temporary password and must choose its own. The challenge lists the
// user's attributes and, in `requiredAttributes`, the pool's required ones it still lacks
// (`userAttributes.<name>`), which the answer must give with NEW_PASSWORD; the new password follows
// the pool's policy. A temporary password past its `tempPasswordValidityDays` no longer signs in:
// NotAuthorizedException "Temporary password has expired and must be reset by an administrator.".
import { CognitoError } from './cognito-error.ts'
import type { OperationDeps } from './cognito-operations.ts'
import { newSession, openSession } from './challenge-session.ts'
import { checkPassword } from './password-policy.ts'
import type { ChallengeResponder } from './respond-to-auth-challenge.ts'
import { signInOutcome } from './sign-in-outcome.ts'
import { signUpAttributes } from './sign-up-attributes.ts'
import { passwordFields } from './user-password.ts'
import type { LocalUser } from './user-store.ts'

const prefix = 'userAttributes.'

export async function newPasswordChallenge(deps: OperationDeps, user: LocalUser): Promise<Record<string, unknown>> {
  if ((user.temporaryPasswordExpiresAt ?? Infinity) < deps.now()) throw new CognitoError('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.')
  const missing = deps.settings.pool.requiredAttributes.filter((name) => !user.attributes[name]).map((name) => `${prefix}${name}`)
  const { email_verified: _v, ...shown } = user.attributes
  return {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: JSON.stringify(missing), userAttributes: JSON.stringify(shown) },
    Session: await newSession(deps, user, 'NEW_PASSWORD_REQUIRED'),
  }
}

export const respondNewPassword: ChallengeResponder = async (deps, answer) => {
  const { user } = await openSession(deps, answer.session, 'NEW_PASSWORD_REQUIRED')
  const password = answer.responses.NEW_PASSWORD
  if (!password) throw new CognitoError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD')
  checkPassword(password, deps.settings.pool.passwordPolicy)
  const given = Object.entries(answer.responses)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, Value]) => ({ Name: key.slice(prefix.length), Value }))
  // The user's attributes with the new ones must now satisfy the schema, required ones included.
  const current = Object.entries(user.attributes).filter(([name]) => name !== 'email_verified').map(([Name, Value]) => ({ Name, Value }))
  const attributes = signUpAttributes([...current.filter((a) => !given.some((g) => g.Name === a.Name)), ...given], deps.settings.pool)
  const { temporaryPasswordExpiresAt: _expiry, ...rest } = user
  // An email the administrator verified stays verified; a new one is not.
  const verified: Record<string, string> =
    attributes.email === undefined ? {} : { email_verified: attributes.email === user.attributes.email ? (user.attributes.email_verified ?? 'false') : 'false' }
  const next: LocalUser = { ...rest, ...(await passwordFields(deps, user.username, password)), status: 'CONFIRMED', attributes: { ...attributes, ...verified }, modifiedAt: deps.now() }
  await deps.users.put(next)
  return signInOutcome(deps, next, 'TokenGeneration_NewPasswordChallenge')
}
