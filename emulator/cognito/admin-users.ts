// The administrator's user operations (Cognito API reference), signed with IAM credentials
// (admin-call.ts): AdminCreateUser (a temporary password: the user signs in once with it and is asked
// for a new one, NEW_PASSWORD_REQUIRED, new-password.ts), AdminConfirmSignUp, AdminGetUser,
// AdminDeleteUser and AdminSetUserPassword. The temporary password follows the pool's policy, lasts
// `tempPasswordValidityDays`, and goes out through the code delivery (offline: the emulator's log) unless
// `MessageAction` is SUPPRESS.
import { randomInt, randomUUID } from 'node:crypto'
import { CognitoError } from './cognito-error.ts'
import type { Operation, OperationDeps } from './cognito-operations.ts'
import { checkAdminCall, mfaSettings, namedUser, userType } from './admin-call.ts'
import { checkPassword } from './password-policy.ts'
import { checkUsername, signUpAttributes } from './sign-up-attributes.ts'
import { passwordFields } from './user-password.ts'
import type { LocalUser } from './user-store.ts'

const day = 24 * 3600_000

export const adminCreateUser: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const username = input.Username
  if (typeof username !== 'string' || username === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter Username')
  const { pool } = deps.settings
  const existing = deps.users.get(username)
  if (input.MessageAction === 'RESEND') {
    // A new invitation to a user still on its temporary password (Cognito: resets its expiry).
    if (!existing) throw new CognitoError('UserNotFoundException', 'User does not exist.')
    if (existing.status !== 'FORCE_CHANGE_PASSWORD') throw new CognitoError('UnsupportedUserStateException', 'Resend not possible. ' + existing.username + ' status is not FORCE_CHANGE_PASSWORD.')
    return { User: userType(await setTemporaryPassword(deps, existing, input.TemporaryPassword, true)) }
  }
  if (input.MessageAction !== undefined && input.MessageAction !== 'SUPPRESS') throw new CognitoError('InvalidParameterException', 'MessageAction must be RESEND or SUPPRESS')
  if (existing) throw new CognitoError('UsernameExistsException', 'User account already exists')
  checkUsername(username, pool)
  // Required attributes may come later, with the new password (NEW_PASSWORD_REQUIRED asks for them).
  const given = Array.isArray(input.UserAttributes) ? (input.UserAttributes as { Name?: unknown }[]) : []
  const verified = given.find((a) => a?.Name === 'email_verified') as { Value?: unknown } | undefined
  const attributes = signUpAttributes(given.filter((a) => a?.Name !== 'email_verified'), { ...pool, requiredAttributes: [] })
  const answer = await deps.triggers.preSignUp('PreSignUp_AdminCreateUser', username, attributes, input.ValidationData)
  const now = deps.now()
  const user: LocalUser = {
    username,
    sub: randomUUID(),
    passwordHash: '',
    status: 'FORCE_CHANGE_PASSWORD',
    attributes: attributes.email === undefined ? attributes : { ...attributes, email_verified: String(verified?.Value === 'true' || answer.autoVerifyEmail) },
    createdAt: now,
  }
  return { User: userType(await setTemporaryPassword(deps, user, input.TemporaryPassword, input.MessageAction !== 'SUPPRESS')) }
}

async function setTemporaryPassword(deps: OperationDeps, user: LocalUser, given: unknown, deliver: boolean): Promise<LocalUser> {
  const policy = deps.settings.pool.passwordPolicy
  const password = typeof given === 'string' ? given : temporaryPassword(policy.minLength)
  checkPassword(password, policy)
  const now = deps.now()
  const next: LocalUser = { ...user, ...(await passwordFields(deps, user.username, password)), status: 'FORCE_CHANGE_PASSWORD', temporaryPasswordExpiresAt: now + policy.tempPasswordValidityDays * day, modifiedAt: now }
  await deps.users.put(next)
  if (deliver) deps.settings.deliverCode({ purpose: 'AdminCreateUser', username: user.username, code: password })
  return next
}

/** A password every policy accepts: each character class, then random characters to the length. */
function temporaryPassword(minLength: number): string {
  const sets = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '^$*.[]{}()?!@#%&/,><:;|_~=+-']
  const all = sets.join('')
  const chars = sets.map((set) => set[randomInt(set.length)])
  while (chars.length < Math.max(minLength, 12)) chars.push(all[randomInt(all.length)])
  return chars.sort(() => randomInt(3) - 1).join('')
}

export const adminConfirmSignUp: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const user = namedUser(deps, input)
  if (user.status !== 'UNCONFIRMED') throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`)
  const { confirmation: _code, ...rest } = user
  const confirmed: LocalUser = { ...rest, status: 'CONFIRMED', modifiedAt: deps.now() }
  await deps.users.put(confirmed)
  await deps.triggers.postConfirmation('PostConfirmation_ConfirmSignUp', confirmed)
  return {}
}

export const adminGetUser: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const user = namedUser(deps, input)
  const { Attributes: UserAttributes, ...rest } = userType(user)
  return { ...rest, UserAttributes, ...mfaSettings(user) }
}

export const adminDeleteUser: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  await deps.users.delete(namedUser(deps, input).username)
  return {}
}

export const adminSetUserPassword: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const user = namedUser(deps, input)
  if (typeof input.Password !== 'string' || input.Password === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter Password')
  if (input.Permanent !== true) return (await setTemporaryPassword(deps, user, input.Password, false), {})
  checkPassword(input.Password, deps.settings.pool.passwordPolicy)
  const { temporaryPasswordExpiresAt: _expiry, ...rest } = user
  await deps.users.put({ ...rest, ...(await passwordFields(deps, user.username, input.Password)), status: 'CONFIRMED', modifiedAt: deps.now() })
  return {}
}
