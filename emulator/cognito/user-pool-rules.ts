// The user-pool declaration the local Cognito enforces: a default for projects that declare none, and
// the limits Cognito (and CDK, which checks them at synth) put on each setting, so a declaration that
// could not be deployed is refused at start instead of being emulated.
import type { StandardAttribute, UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
import { triggerEventNames } from './user-pool-triggers.ts'

/** What the Cognito console creates when nothing is changed: 8-character policy, username sign-in, email verification. */
export const defaultUserPool: UserPoolDeclaration = {
  selfSignUp: true,
  signInAliases: { username: true, email: false },
  signInCaseSensitive: false,
  requiredAttributes: [],
  autoVerify: { email: true },
  passwordPolicy: {
    minLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidityDays: 7,
  },
  mfa: 'OFF',
  client: {
    preventUserExistenceErrors: true,
    tokenValidity: { idTokenMinutes: 60, accessTokenMinutes: 60, refreshTokenDays: 30 },
  },
}

export const standardAttributes: ReadonlySet<StandardAttribute> = new Set<StandardAttribute>([
  'address', 'birthdate', 'email', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
  'nickname', 'phone_number', 'picture', 'preferred_username', 'profile', 'updated_at', 'website', 'zoneinfo',
])

const dayMinutes = 24 * 60

/** Throws an Error naming every problem; returns quietly when Cognito would accept the pool. */
export function checkUserPool(pool: UserPoolDeclaration): void {
  const problems: string[] = []
  const wholeIn = (value: unknown, min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max
  const { passwordPolicy: policy, client } = pool
  // Cognito: MinimumLength 6–99, TemporaryPasswordValidityDays 0–365.
  if (!wholeIn(policy.minLength, 6, 99)) problems.push('passwordPolicy.minLength must be a whole number from 6 to 99')
  if (!wholeIn(policy.tempPasswordValidityDays, 0, 365)) problems.push('passwordPolicy.tempPasswordValidityDays must be a whole number from 0 to 365')
  // This local Cognito (like the page) knows username sign-in with an optional email alias; Cognito's
  // UsernameAttributes (email instead of a username) and phone aliases need SMS and other flows.
  if (pool.signInAliases.username !== true) problems.push('signInAliases.username must be true: the local Cognito signs in by username (with an optional email alias)')
  const seen = new Set<string>()
  for (const attribute of pool.requiredAttributes) {
    if (!standardAttributes.has(attribute)) problems.push(`requiredAttributes: ${attribute} is not a standard attribute`)
    if (seen.has(attribute)) problems.push(`requiredAttributes: ${attribute} is listed twice`)
    seen.add(attribute)
  }
  const custom = Object.entries(pool.customAttributes ?? {})
  // Cognito: at most 50 custom attributes, names of 1–20 characters; String lengths 0–2048.
  if (custom.length > 50) problems.push('customAttributes: Cognito allows at most 50')
  for (const [name, attribute] of custom) {
    const where = `customAttributes.${name}`
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,20}$/u.test(name)) problems.push(`${where}: a name is 1 to 20 letters, digits or punctuation`)
    if (attribute.type !== 'String' && attribute.type !== 'Number') problems.push(`${where}.type must be String or Number`)
    const { min, max } = attribute
    const bound = attribute.type === 'String' ? (value: unknown) => wholeIn(value, 0, 2048) : (value: unknown) => Number.isInteger(value)
    if (min !== undefined && !bound(min)) problems.push(`${where}.min must be a whole number${attribute.type === 'String' ? ' from 0 to 2048' : ''}`)
    if (max !== undefined && !bound(max)) problems.push(`${where}.max must be a whole number${attribute.type === 'String' ? ' from 0 to 2048' : ''}`)
    if (min !== undefined && max !== undefined && min > max) problems.push(`${where}: min is above max`)
  }
  for (const [name, group] of Object.entries(pool.groups ?? {})) {
    // Cognito: GroupName 1–128 characters; Precedence 0 to 2^31-1.
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(name)) problems.push(`groups.${name}: a name is 1 to 128 letters, digits or punctuation`)
    if (group.precedence !== undefined && !wholeIn(group.precedence, 0, 2 ** 31 - 1)) problems.push(`groups.${name}.precedence must be a whole number from 0 to 2147483647`)
  }
  for (const [trigger, fn] of Object.entries(pool.triggers ?? {})) {
    if (!Object.hasOwn(triggerEventNames, trigger)) problems.push(`triggers.${trigger}: only preSignUp, postConfirmation and preTokenGeneration are emulated`)
    if (typeof fn !== 'string' || fn === '') problems.push(`triggers.${trigger} must name a function of the API declaration`)
  }
  if (!['OFF', 'OPTIONAL', 'REQUIRED'].includes(pool.mfa)) problems.push(`mfa must be OFF, OPTIONAL or REQUIRED, not ${JSON.stringify(pool.mfa)}`)
  // App client: ID and access tokens 5 minutes to 1 day; refresh tokens up to 10 years and never shorter than
  // either (whole days here, so at least 1 day).
  const { idTokenMinutes, accessTokenMinutes, refreshTokenDays } = client.tokenValidity
  if (!wholeIn(idTokenMinutes, 5, dayMinutes)) problems.push('client.tokenValidity.idTokenMinutes must be a whole number from 5 to 1440')
  if (!wholeIn(accessTokenMinutes, 5, dayMinutes)) problems.push('client.tokenValidity.accessTokenMinutes must be a whole number from 5 to 1440')
  if (!wholeIn(refreshTokenDays, 1, 3650)) problems.push('client.tokenValidity.refreshTokenDays must be a whole number from 1 to 3650')
  if (problems.length > 0) throw new Error(`The user pool declaration cannot be deployed:\n- ${problems.join('\n- ')}`)
}
