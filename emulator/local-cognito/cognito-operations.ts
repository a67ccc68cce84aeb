// The user-pool operations the web client uses (Cognito Identity Provider API 2016-04-18): SignUp,
// ConfirmSignUp, InitiateAuth with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH. Inputs are the JSON
// bodies the SDK sends; outputs are the JSON bodies Cognito answers; failures are Cognito's errors.
//
// User existence: the app client behaves as with `PreventUserExistenceErrors: ENABLED` by default
// (the console's default and AWS's advice; the API's default is LEGACY). Then an unknown user signing
// in gets the same NotAuthorizedException as a wrong password, and ConfirmSignUp for an unknown user
// a CodeMismatchException. `preventUserExistenceErrors: false` gives LEGACY's UserNotFoundException.
// UserNotConfirmedException is only given to a caller who knew the password.
import { randomInt, randomUUID } from 'node:crypto'
import { CognitoError, incorrectCredentials, missingMember } from './cognito-error.ts'
import { hashPassword, verifyPassword } from './password-hash.ts'
import { checkPassword } from './password-policy.ts'
import type { TokenMinter } from './token-minter.ts'
import type { LocalUser, UserStore } from './user-store.ts'

export interface PoolSettings {
  readonly clientId: string
  readonly autoConfirm: boolean
  readonly preventUserExistenceErrors: boolean
  /** Where a confirmation code goes when auto-confirm is off (offline there is no email). */
  readonly deliverConfirmationCode: (username: string, code: string) => void
}

export interface OperationDeps {
  readonly settings: PoolSettings
  readonly users: UserStore
  readonly tokens: TokenMinter
  /** A hash to check against when the user does not exist, so that costs what a wrong password costs. */
  readonly decoyHash: Promise<string>
}

type Json = Record<string, unknown>
export type Operation = (deps: OperationDeps, input: Json) => Promise<Json>

/** Cognito confirmation codes are valid for 24 hours. */
const confirmationCodeMs = 24 * 3600 * 1000

/** Standard attributes a user may set at sign-up; the local pool defines no custom ones. */
const writableAttributes = new Set([
  'address', 'birthdate', 'email', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
  'nickname', 'phone_number', 'picture', 'preferred_username', 'profile', 'updated_at', 'website', 'zoneinfo',
])

export const operations: Readonly<Record<string, Operation>> = {
  async SignUp(deps, input) {
    clientOf(deps, input)
    const username = usernameOf(input.Username)
    const password = passwordOf(input.Password)
    const attributes = attributesOf(input.UserAttributes)
    checkPassword(password)
    if (deps.users.get(username)) throw new CognitoError('UsernameExistsException', 'User already exists')
    const confirmed = deps.settings.autoConfirm
    const code = confirmed ? undefined : String(randomInt(0, 1_000_000)).padStart(6, '0')
    const user: LocalUser = {
      username,
      sub: randomUUID(),
      passwordHash: await hashPassword(password),
      status: confirmed ? 'CONFIRMED' : 'UNCONFIRMED',
      attributes,
      ...(code ? { confirmation: { code, expiresAt: Date.now() + confirmationCodeMs } } : {}),
      createdAt: Date.now(),
    }
    // Two sign-ups for one name racing through the hash: the first one wins.
    if (deps.users.get(username)) throw new CognitoError('UsernameExistsException', 'User already exists')
    await deps.users.put(user)
    if (code) deps.settings.deliverConfirmationCode(username, code)
    return {
      ...(code && attributes.email ? { CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: maskEmail(attributes.email) } } : {}),
      UserConfirmed: confirmed,
      UserSub: user.sub,
    }
  },

  async ConfirmSignUp(deps, input) {
    clientOf(deps, input)
    const username = usernameOf(input.Username)
    const code = input.ConfirmationCode
    if (typeof code !== 'string') throw missingMember('confirmationCode')
    const user = deps.users.get(username)
    if (!user) {
      if (deps.settings.preventUserExistenceErrors) throw codeMismatch()
      throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.')
    }
    if (user.status === 'CONFIRMED') throw new CognitoError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED')
    if (!user.confirmation || user.confirmation.code !== code) throw codeMismatch()
    if (user.confirmation.expiresAt < Date.now()) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.')
    const { confirmation: _used, ...rest } = user
    await deps.users.put({ ...rest, status: 'CONFIRMED' })
    return {}
  },

  async InitiateAuth(deps, input) {
    const flow = input.AuthFlow
    if (typeof flow !== 'string') throw missingMember('authFlow')
    clientOf(deps, input)
    const parameters = authParametersOf(input.AuthParameters)
    if (flow === 'USER_PASSWORD_AUTH') return passwordAuth(deps, parameters)
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshAuth(deps, parameters)
    if (knownFlows.includes(flow)) throw new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`)
    throw new CognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${knownFlows.join(', ')}]`,
    )
  },
}

const knownFlows = ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH']

async function passwordAuth(deps: OperationDeps, parameters: Record<string, string>): Promise<Json> {
  const username = parameters.USERNAME
  const password = parameters.PASSWORD
  if (!username) throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME')
  if (!password) throw new CognitoError('InvalidParameterException', 'Missing required parameter PASSWORD')
  const user = deps.users.get(username)
  if (!user) {
    await verifyPassword(password, await deps.decoyHash)
    if (deps.settings.preventUserExistenceErrors) throw incorrectCredentials()
    throw new CognitoError('UserNotFoundException', 'User does not exist.')
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw incorrectCredentials()
  if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.')
  const tokens = await deps.tokens.issue(user, { originJti: randomUUID(), authTime: Math.floor(Date.now() / 1000) }, true)
  return { AuthenticationResult: tokens, ChallengeParameters: {} }
}

async function refreshAuth(deps: OperationDeps, parameters: Record<string, string>): Promise<Json> {
  const token = parameters.REFRESH_TOKEN
  if (!token) throw new CognitoError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN')
  const claims = await deps.tokens.openRefreshToken(token)
  if (claims === 'expired') throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired')
  const user = claims === 'invalid' ? undefined : deps.users.get(claims.username)
  // A token for another client, or for a user who is gone (or was replaced), is as good as forged.
  if (claims === 'invalid' || !user || user.sub !== claims.sub || claims.clientId !== deps.settings.clientId) {
    throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token.')
  }
  const tokens = await deps.tokens.issue(user, claims, false)
  return { AuthenticationResult: tokens, ChallengeParameters: {} }
}

function clientOf(deps: OperationDeps, input: Json): string {
  const clientId = input.ClientId
  if (typeof clientId !== 'string') throw missingMember('clientId')
  if (clientId !== deps.settings.clientId) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`)
  return clientId
}

function usernameOf(value: unknown): string {
  if (typeof value !== 'string') throw missingMember('username')
  // The API model: 1-128 characters of letters, marks, symbols, numbers and punctuation (no spaces).
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(value)) {
    throw new CognitoError(
      'InvalidParameterException',
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    )
  }
  return value
}

function passwordOf(value: unknown): string {
  if (typeof value !== 'string') throw missingMember('password')
  if (value.length > 256) throw new CognitoError('InvalidParameterException', "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256")
  return value
}

function attributesOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (!Array.isArray(value)) throw new CognitoError('InvalidParameterException', 'UserAttributes must be a list of { Name, Value }')
  const attributes: Record<string, string> = {}
  for (const attribute of value as unknown[]) {
    const { Name: name, Value: v } = (attribute ?? {}) as { Name?: unknown; Value?: unknown }
    if (typeof name !== 'string' || typeof v !== 'string') throw new CognitoError('InvalidParameterException', 'UserAttributes must be a list of { Name, Value }')
    if (!writableAttributes.has(name)) throw new CognitoError('InvalidParameterException', `Attribute does not exist in the schema: ${name}`)
    attributes[name] = v
  }
  return attributes
}

function authParametersOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw new CognitoError('InvalidParameterException', 'AuthParameters must be a map of strings')
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

function codeMismatch(): CognitoError {
  return new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
}

/** Cognito shows where a code went without showing the address: `a***@e***`. */
function maskEmail(email: string): string {
  const [local, domain = ''] = email.split('@')
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`
}
