// The user-pool operations (Cognito Identity Provider API 2016-04-18), by name: SignUp and ConfirmSignUp
// here, each other in the file it names (the table at the end). Inputs are the JSON bodies the SDK sends; outputs
// are the JSON bodies Cognito answers; failures are Cognito's errors. The rules are the declared pool's
// (src/user-pool-declaration.ts): password policy, required attributes, email alias, case sensitivity.
//
// User existence follows the client's `preventUserExistenceErrors`: when on (Cognito's ENABLED), an
// unknown user signing in gets the same NotAuthorizedException as a wrong password, and ConfirmSignUp
// for an unknown user a CodeMismatchException; when off (LEGACY), UserNotFoundException.
//
// Confirmation: with auto-confirm (the dev default; offline there is no email) SignUp confirms the user
// and verifies the email at once, as a pre-sign-up Lambda trigger answering `autoConfirmUser` and
// `autoVerifyEmail` would. Without it, SignUp hands the code to `deliverCode` and
// ConfirmSignUp with that code confirms the user and, as Cognito does when it emailed the code,
// verifies the email. A verified email becomes the user's sign-in alias, so it may belong to one user
// only: Cognito answers AliasExistsException (unless ConfirmSignUp says `ForceAliasCreation`).
// Codes are compared in constant time and wrong ones are limited per user (confirmation-code.ts).
import { randomBytes, randomUUID } from 'node:crypto'
import type { UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
import { CognitoError } from './cognito-error.ts'
import { codeAttemptLockout, codeAttemptsExceeded, codesMatch, confirmationCodeMs, newConfirmationCode } from './confirmation-code.ts'
import { FailedAttempts } from './failed-attempts.ts'
import { initiateAuth, signInLockout } from './initiate-auth.ts'
import { respondToAuthChallenge } from './respond-to-auth-challenge.ts'
import { revokeToken } from './revoke-token.ts'
import { globalSignOut } from './global-sign-out.ts'
import { getUser } from './get-user.ts'
import { getTokensFromRefreshToken } from './get-tokens-from-refresh-token.ts'
import { associateSoftwareToken, setUserMfaPreference, verifySoftwareToken } from './software-token.ts'
import { adminConfirmSignUp, adminCreateUser, adminDeleteUser, adminGetUser, adminSetUserPassword } from './admin-users.ts'
import { listUsers } from './list-users.ts'
import { adminAddUserToGroup, adminListGroupsForUser, adminRemoveUserFromGroup, getGroup, listGroups, listUsersInGroup } from './admin-groups.ts'
import { changePassword } from './change-password.ts'
import { confirmForgotPassword, forgotPassword } from './forgot-password.ts'
import { getUserAttributeVerificationCode, updateUserAttributes, verifyUserAttribute } from './user-attributes.ts'
import { confirmSignUpInput, signUpInput } from './operation-inputs.ts'
import { hashPassword } from './password-hash.ts'
import { checkPassword } from './password-policy.ts'
import { checkUsername, signUpAttributes } from './sign-up-attributes.ts'
import { passwordFields } from './user-password.ts'
import type { TokenMinter } from './token-minter.ts'
import { emailDelivery, type CodeDelivery } from './code-delivery.ts'
import type { SealedState } from './sealed-state.ts'
import type { UserPoolTriggers } from './user-pool-triggers.ts'
import type { LocalUser, UserStore } from './user-store.ts'

export interface PoolSettings {
  /** `{region}_{id}`; SRP signs with the part after the underscore. */
  readonly userPoolId: string
  readonly clientId: string
  readonly pool: UserPoolDeclaration
  readonly autoConfirm: boolean
  /** Where a code Cognito would email goes (offline there is no email): code-delivery.ts. */
  readonly deliverCode: (delivery: CodeDelivery) => void
}

export interface OperationDeps {
  readonly settings: PoolSettings
  readonly users: UserStore
  readonly tokens: TokenMinter
  /** A hash to check against when the user does not exist, so that costs what a wrong password costs. */
  readonly decoyHash: Promise<string>
  /** Challenge state handed to clients sealed (SRP's SECRET_BLOCK, challenge sessions). */
  readonly sealed: SealedState
  /** Wrong passwords per user (initiate-auth.ts's `signInLockout`). */
  readonly signInAttempts: FailedAttempts
  /** Wrong confirmation codes per user (confirmation-code.ts's `codeAttemptLockout`). */
  readonly codeAttempts: FailedAttempts
  /** The pool's Lambda triggers (user-pool-triggers.ts). */
  readonly triggers: UserPoolTriggers
  /** Milliseconds since the epoch: lockouts and code expiry (tokens keep the wall clock their verifiers use). */
  readonly now: () => number
}

/** What operations share for a pool's life, from its settings, users, tokens and clock. */
export function operationDeps(base: Pick<OperationDeps, 'settings' | 'users' | 'tokens' | 'now' | 'sealed' | 'triggers'>): OperationDeps {
  return {
    ...base,
    decoyHash: hashPassword(randomBytes(12).toString('base64url')),
    signInAttempts: new FailedAttempts(signInLockout, base.now),
    codeAttempts: new FailedAttempts(codeAttemptLockout, base.now),
  }
}

type Json = Record<string, unknown>
/** How the request came: `signed` when it carried a SigV4 Authorization header (IAM credentials). */
export interface CallContext {
  readonly signed: boolean
}
export type Operation = (deps: OperationDeps, input: Json, call?: CallContext) => Promise<Json>

export const operations: Readonly<Record<string, Operation>> = {
  async SignUp(deps, input) {
    const { pool } = deps.settings
    const { username, password, userAttributes } = signUpInput(deps.settings.clientId, input)
    if (!pool.selfSignUp) throw new CognitoError('NotAuthorizedException', 'SignUp is not permitted for this user pool')
    checkUsername(username, pool)
    const attributes = signUpAttributes(userAttributes, pool)
    checkPassword(password, pool.passwordPolicy)
    if (deps.users.get(username)) throw new CognitoError('UsernameExistsException', 'User already exists')
    // The pool's PreSignUp trigger may refuse the user, or confirm and verify it (user-pool-triggers.ts).
    const answer = await deps.triggers.preSignUp('PreSignUp_SignUp', username, attributes, input.ValidationData)
    const confirmed = deps.settings.autoConfirm || answer.autoConfirmUser
    const verified = (deps.settings.autoConfirm && emailVerifiedOnConfirmation(pool, attributes)) || answer.autoVerifyEmail
    const claimsAlias = verified && pool.signInAliases.email
    if (claimsAlias) checkAliasFree(deps, attributes.email)
    const code = confirmed ? undefined : newConfirmationCode()
    const user: LocalUser = {
      username,
      sub: randomUUID(),
      ...(await passwordFields(deps, username, password)),
      status: confirmed ? 'CONFIRMED' : 'UNCONFIRMED',
      attributes: attributes.email === undefined ? attributes : { ...attributes, email_verified: String(verified) },
      ...(code ? { confirmation: { code, expiresAt: deps.now() + confirmationCodeMs } } : {}),
      createdAt: deps.now(),
    }
    // Two sign-ups racing through the hash: the first one wins (the name, and the email alias).
    if (deps.users.get(username)) throw new CognitoError('UsernameExistsException', 'User already exists')
    if (claimsAlias) checkAliasFree(deps, attributes.email)
    await deps.users.put(user)
    if (code) deps.settings.deliverCode({ purpose: 'SignUp', username, code })
    else await deps.triggers.postConfirmation('PostConfirmation_ConfirmSignUp', user)
    const delivery = code && pool.autoVerify.email && attributes.email
    return {
      ...(delivery ? { CodeDeliveryDetails: emailDelivery(attributes.email) } : {}),
      UserConfirmed: confirmed,
      UserSub: user.sub,
    }
  },

  async ConfirmSignUp(deps, input) {
    const { username, confirmationCode: code, forceAliasCreation } = confirmSignUpInput(deps.settings.clientId, input)
    const user = deps.users.get(username)
    if (!user) {
      if (deps.settings.pool.client.preventUserExistenceErrors) throw codeMismatch()
      throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.')
    }
    if (user.status === 'CONFIRMED') throw new CognitoError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED')
    // After too many wrong codes even the right one is refused for a while.
    if (!deps.codeAttempts.begin(user.sub)) throw codeAttemptsExceeded()
    if (!user.confirmation || !codesMatch(code, user.confirmation.code)) throw codeMismatch()
    deps.codeAttempts.succeeded(user.sub)
    if (user.confirmation.expiresAt < deps.now()) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')
    const { confirmation: _used, ...rest } = user
    const { pool } = deps.settings
    const verified = emailVerifiedOnConfirmation(pool, user.attributes)
    // ForceAliasCreation moves the alias: the other user's email is no longer verified.
    const holder = verified && pool.signInAliases.email ? deps.users.withVerifiedEmail(user.attributes.email) : undefined
    if (holder && holder.sub !== user.sub && !forceAliasCreation) throw aliasExists()
    const previous = holder && holder.sub !== user.sub ? [{ ...holder, attributes: { ...holder.attributes, email_verified: 'false' } }] : []
    const attributes = verified ? { ...user.attributes, email_verified: 'true' } : user.attributes
    const confirmedUser: LocalUser = { ...rest, status: 'CONFIRMED', attributes }
    await deps.users.put(...previous, confirmedUser)
    // Cognito: the user stays confirmed when PostConfirmation fails; the caller gets the trigger's error.
    await deps.triggers.postConfirmation('PostConfirmation_ConfirmSignUp', confirmedUser)
    return {}
  },

  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  RevokeToken: revokeToken,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
  SetUserMFAPreference: setUserMfaPreference,
  AdminCreateUser: adminCreateUser,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminSetUserPassword: adminSetUserPassword,
  ListUsers: listUsers,
  GlobalSignOut: globalSignOut,
  GetUser: getUser,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
  ChangePassword: changePassword,
  UpdateUserAttributes: updateUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  GetGroup: getGroup,
  ListGroups: listGroups,
  ListUsersInGroup: listUsersInGroup,
}

/** Confirming a sign-up verifies the email when the pool verifies emails (the code went there) and the user gave one. */
function emailVerifiedOnConfirmation(pool: UserPoolDeclaration, attributes: Readonly<Record<string, string>>): boolean {
  return pool.autoVerify.email && attributes.email !== undefined
}

function checkAliasFree(deps: OperationDeps, email: string | undefined): void {
  if (email !== undefined && deps.users.withVerifiedEmail(email)) throw aliasExists()
}

export function aliasExists(): CognitoError {
  return new CognitoError('AliasExistsException', 'An account with the given email already exists.')
}

export function codeMismatch(): CognitoError {
  return new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
}
