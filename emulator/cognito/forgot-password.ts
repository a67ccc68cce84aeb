// ForgotPassword and ConfirmForgotPassword (Cognito API reference): a code goes to the user's verified
// email (offline: code-delivery.ts), and the code with a new password that follows the pool's policy
// sets the password. Cognito's answers:
// - no verified email to send to: InvalidParameterException "Cannot reset password for the user as
//   there is no registered/verified email or phone_number";
// - a user on an administrator's temporary password: NotAuthorizedException "User password cannot be
//   reset in the current state.";
// - an unknown user, with preventUserExistenceErrors: ForgotPassword answers as if a code went out
//   (a made-up destination) and ConfirmForgotPassword CodeMismatchException; without, UserNotFoundException.
// A reset code lasts 1 hour (developer guide, "Recovering user accounts"); a new request replaces
// it. Wrong codes count toward the same limit as sign-up codes (confirmation-code.ts). A reset neither
// ends other sign-ins nor signs in; then the pool's PostConfirmation trigger runs
// (PostConfirmation_ConfirmForgotPassword).
import { CognitoError } from './cognito-error.ts'
import { emailDelivery } from './code-delivery.ts'
import { codeMismatch, type Operation } from './cognito-operations.ts'
import { codeAttemptsExceeded, codesMatch, newConfirmationCode } from './confirmation-code.ts'
import { userSigningIn } from './initiate-auth.ts'
import { confirmForgotPasswordInput, forgotPasswordInput } from './operation-inputs.ts'
import { checkPassword } from './password-policy.ts'
import { passwordFields } from './user-password.ts'
import type { LocalUser } from './user-store.ts'

export const resetCodeMs = 3600_000

export const forgotPassword: Operation = async (deps, input) => {
  const { username } = forgotPasswordInput(deps.settings.clientId, input)
  const user = userSigningIn(deps, username)
  if (!user) {
    // A destination shaped like a real one, so the answer says nothing of whether the user exists.
    if (deps.settings.pool.client.preventUserExistenceErrors) return { CodeDeliveryDetails: emailDelivery(`${username}@${username}`) }
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.')
  }
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw new CognitoError('NotAuthorizedException', 'User password cannot be reset in the current state.')
  const email = user.attributes.email_verified === 'true' ? user.attributes.email : undefined
  if (!email) throw new CognitoError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number')
  const code = newConfirmationCode()
  await deps.users.put({ ...user, passwordReset: { code, expiresAt: deps.now() + resetCodeMs } })
  deps.settings.deliverCode({ purpose: 'ForgotPassword', username: user.username, code })
  return { CodeDeliveryDetails: emailDelivery(email) }
}

export const confirmForgotPassword: Operation = async (deps, input) => {
  const { username, confirmationCode: code, password } = confirmForgotPasswordInput(deps.settings.clientId, input)
  const user = userSigningIn(deps, username)
  if (!user) {
    if (deps.settings.pool.client.preventUserExistenceErrors) throw codeMismatch()
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.')
  }
  checkPassword(password, deps.settings.pool.passwordPolicy)
  if (!deps.codeAttempts.begin(user.sub)) throw codeAttemptsExceeded()
  if (!user.passwordReset || !codesMatch(code, user.passwordReset.code)) throw codeMismatch()
  deps.codeAttempts.succeeded(user.sub)
  if (user.passwordReset.expiresAt < deps.now()) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')
  const { passwordReset: _used, ...rest } = user
  const next: LocalUser = { ...rest, ...(await passwordFields(deps, user.username, password)), modifiedAt: deps.now() }
  await deps.users.put(next)
  // A new password ends a sign-in lockout, as a right password would.
  deps.signInAttempts.succeeded(user.sub)
  await deps.triggers.postConfirmation('PostConfirmation_ConfirmForgotPassword', next)
  return {}
}
