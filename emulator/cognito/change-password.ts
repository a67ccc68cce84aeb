// ChangePassword (Cognito API reference): with the user's access token, the current password and a new
// one that follows the pool's policy. A wrong current password is Cognito's NotAuthorizedException
// "Incorrect username or password." and counts toward the sign-in lockout (initiate-auth.ts), so the
// access token is no way around it. Other sign-ins go on (Cognito ends none).
import { accessTokenUser } from './access-token-user.ts'
import { CognitoError, incorrectCredentials } from './cognito-error.ts'
import type { Operation } from './cognito-operations.ts'
import { changePasswordInput } from './operation-inputs.ts'
import { verifyPassword } from './password-hash.ts'
import { checkPassword } from './password-policy.ts'
import { passwordFields } from './user-password.ts'

export const changePassword: Operation = async (deps, input) => {
  const { previous, proposed } = changePasswordInput(input)
  const { user } = await accessTokenUser(deps, input.AccessToken)
  if (!deps.signInAttempts.begin(user.sub)) throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.')
  if (!(await verifyPassword(previous, user.passwordHash))) throw incorrectCredentials()
  deps.signInAttempts.succeeded(user.sub)
  checkPassword(proposed, deps.settings.pool.passwordPolicy)
  // The user as stored now: another change may have landed while the hash was checked.
  const current = deps.users.get(user.username) ?? user
  await deps.users.put({ ...current, ...(await passwordFields(deps, user.username, proposed)), modifiedAt: deps.now() })
  return {}
}
