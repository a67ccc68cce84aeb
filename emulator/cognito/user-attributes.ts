// The user's own attributes, with the user's access token (Cognito API reference): UpdateUserAttributes,
// GetUserAttributeVerificationCode and VerifyUserAttribute. What Cognito refuses:
// - a name outside the schema (standard attributes and the declared `custom:` ones): InvalidParameterException;
// - what only Cognito or an administrator writes (`sub`, `email_verified`, `phone_number_verified`):
//   NotAuthorizedException "A client attempted to write unauthorized attribute";
// - an immutable custom attribute: InvalidParameterException (INF: the text names the attribute);
// - emptying a required attribute, a malformed email, a custom value out of its bounds (sign-up-attributes.ts).
// Email, where the pool verifies emails (`autoVerify.email`): the infra deploys the pool to keep the
// original value active while an update is pending (CDK's `keepOriginal`), so a new address waits,
// with a code sent to it, and replaces the verified one (and its sign-in alias) only once
// VerifyUserAttribute proves it; an unverified address is replaced at once and a code sent. Codes last
// 24 hours, a new one replaces the last, and wrong ones count toward the code limit (confirmation-code.ts).
// Only `email` can be verified: the local pool sends no SMS.
import { accessTokenUser } from './access-token-user.ts'
import { CognitoError } from './cognito-error.ts'
import { emailDelivery } from './code-delivery.ts'
import { aliasExists, codeMismatch, type Operation, type OperationDeps } from './cognito-operations.ts'
import { codeAttemptsExceeded, codesMatch, confirmationCodeMs, newConfirmationCode } from './confirmation-code.ts'
import { checkCustomValues, customDeclaration, inSchema, looksLikeEmail, schemaError } from './sign-up-attributes.ts'
import type { LocalUser } from './user-store.ts'

/** Written by Cognito (or an administrator) only. */
const unwritable = new Set(['sub', 'email_verified', 'phone_number_verified'])

export const updateUserAttributes: Operation = async (deps, input) => {
  const { user } = await accessTokenUser(deps, input.AccessToken)
  const { pool } = deps.settings
  const given = attributeList(input.UserAttributes)
  if (given.some(([name]) => unwritable.has(name) || name.startsWith('cognito:'))) {
    throw new CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute')
  }
  const unknown = given.filter(([name]) => !inSchema(name, pool)).map(([name]) => `${name}: Attribute does not exist in the schema.`)
  if (unknown.length > 0) throw schemaError(unknown)
  const immutable = given.filter(([name]) => customDeclaration(name, pool)?.mutable === false)
  if (immutable.length > 0) throw schemaError(immutable.map(([name]) => `${name}: Attribute cannot be updated. (changing an immutable attribute)`))
  const required = given.filter(([name, value]) => value === '' && (pool.requiredAttributes as readonly string[]).includes(name))
  if (required.length > 0) throw schemaError(required.map(([name]) => `${name}: The attribute is required`))
  const values = Object.fromEntries(given)
  if (values.email !== undefined && !looksLikeEmail(values.email)) throw new CognitoError('InvalidParameterException', 'Invalid email address format.')
  checkCustomValues(values, pool)

  const { email: newEmail, ...others } = values
  // An empty value removes the attribute, as Cognito stores no empty ones.
  const attributes: Record<string, string> = { ...user.attributes }
  for (const [name, value] of Object.entries(others)) {
    if (value === '') delete attributes[name]
    else attributes[name] = value
  }
  let next: LocalUser = { ...user, attributes, modifiedAt: deps.now() }
  const changed = newEmail !== undefined && newEmail !== user.attributes.email
  if (changed) {
    const keepOriginal = pool.autoVerify.email && user.attributes.email_verified === 'true'
    if (!keepOriginal) next = { ...next, attributes: { ...next.attributes, email: newEmail, email_verified: 'false' } }
  }
  const code = changed && pool.autoVerify.email ? emailCode(deps, newEmail) : undefined
  await deps.users.put(code ? { ...next, emailVerification: code } : next)
  if (!code) return { CodeDeliveryDetailsList: [] }
  deps.settings.deliverCode({ purpose: 'VerifyUserAttribute', username: user.username, code: code.code })
  return { CodeDeliveryDetailsList: [emailDelivery(code.email)] }
}

export const getUserAttributeVerificationCode: Operation = async (deps, input) => {
  const { user } = await accessTokenUser(deps, input.AccessToken)
  checkEmailAttribute(input.AttributeName)
  // The address waiting to replace the verified one, or else the current one.
  const email = user.emailVerification?.email ?? user.attributes.email
  if (!email) throw new CognitoError('InvalidParameterException', 'The user has no email to verify.')
  const code = emailCode(deps, email)
  await deps.users.put({ ...user, emailVerification: code })
  deps.settings.deliverCode({ purpose: 'VerifyUserAttribute', username: user.username, code: code.code })
  return { CodeDeliveryDetails: emailDelivery(email) }
}

export const verifyUserAttribute: Operation = async (deps, input) => {
  const { user } = await accessTokenUser(deps, input.AccessToken)
  checkEmailAttribute(input.AttributeName)
  if (typeof input.Code !== 'string' || input.Code === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter Code')
  if (!deps.codeAttempts.begin(user.sub)) throw codeAttemptsExceeded()
  const pending = user.emailVerification
  if (!pending || !codesMatch(input.Code, pending.code)) throw codeMismatch()
  deps.codeAttempts.succeeded(user.sub)
  if (pending.expiresAt < deps.now()) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')
  // A verified email is a sign-in alias: one user's at most (Cognito moves it only on ConfirmSignUp's ForceAliasCreation).
  const holder = deps.settings.pool.signInAliases.email ? deps.users.withVerifiedEmail(pending.email) : undefined
  if (holder && holder.sub !== user.sub) throw aliasExists()
  const { emailVerification: _done, ...rest } = user
  await deps.users.put({ ...rest, attributes: { ...user.attributes, email: pending.email, email_verified: 'true' }, modifiedAt: deps.now() })
  return {}
}

function emailCode(deps: OperationDeps, email: string): NonNullable<LocalUser['emailVerification']> {
  return { email, code: newConfirmationCode(), expiresAt: deps.now() + confirmationCodeMs }
}

function checkEmailAttribute(name: unknown): void {
  if (typeof name !== 'string' || name === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter AttributeName')
  if (name !== 'email') throw new CognitoError('InvalidParameterException', `${name} cannot be verified: the local pool verifies email only (it sends no SMS)`)
}

/** `UserAttributes`: a non-empty list of `{Name, Value}`, as `[name, value]` pairs. */
function attributeList(value: unknown): [string, string][] {
  const shape = new CognitoError('InvalidParameterException', 'UserAttributes must be a non-empty list of { Name, Value }')
  if (!Array.isArray(value) || value.length === 0) throw shape
  return value.map((item: unknown) => {
    const { Name: name, Value: v } = (item ?? {}) as { Name?: unknown; Value?: unknown }
    if (typeof name !== 'string' || name === '' || (v !== undefined && typeof v !== 'string')) throw shape
    return [name, v ?? '']
  })
}
