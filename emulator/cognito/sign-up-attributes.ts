// What SignUp checks of the username and `UserAttributes` against the pool's schema, with Cognito's
// errors: attributes outside the schema, required attributes missing, an email that is not one, and
// (in a pool with an email alias) a username that looks like an email address.
import type { CustomAttributeDeclaration, UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
import { CognitoError } from './cognito-error.ts'
import { standardAttributes } from './user-pool-rules.ts'

/** Loose on purpose: Cognito refuses what is plainly not an address; mail delivery judges the rest. */
const emailShape = /^[^\s@]+@[^\s@]+$/

export function looksLikeEmail(value: string): boolean {
  return emailShape.test(value)
}

/** Cognito's SignUp: the username may not be an email address when emails are sign-in aliases. */
export function checkUsername(username: string, pool: UserPoolDeclaration): void {
  if (pool.signInAliases.email && looksLikeEmail(username)) {
    throw new CognitoError('InvalidParameterException', 'Username cannot be of email format, since user pool is configured for email alias.')
  }
}

/** The attributes of a sign-up, by name; throws Cognito's InvalidParameterException for what the schema refuses. */
export function signUpAttributes(value: unknown, pool: UserPoolDeclaration): Record<string, string> {
  const attributes: Record<string, string> = {}
  if (value !== undefined && value !== null) {
    if (!Array.isArray(value)) throw new CognitoError('InvalidParameterException', 'UserAttributes must be a list of { Name, Value }')
    const unknown: string[] = []
    for (const attribute of value as unknown[]) {
      const { Name: name, Value: v } = (attribute ?? {}) as { Name?: unknown; Value?: unknown }
      if (typeof name !== 'string' || typeof v !== 'string') throw new CognitoError('InvalidParameterException', 'UserAttributes must be a list of { Name, Value }')
      if (!inSchema(name, pool)) unknown.push(name)
      attributes[name] = v
    }
    // Cognito lists each offending attribute on a line of its own.
    if (unknown.length > 0) throw schemaError(unknown.map((name) => `${name}: Attribute does not exist in the schema.`))
    checkCustomValues(attributes, pool)
  }
  const missing = pool.requiredAttributes.filter((name) => !attributes[name])
  if (missing.length > 0) throw schemaError(missing.map((name) => `${name}: The attribute is required`))
  if (attributes.email !== undefined && !looksLikeEmail(attributes.email)) throw new CognitoError('InvalidParameterException', 'Invalid email address format.')
  return attributes
}

/** The schema a user writes: the standard attributes and the declared `custom:` ones. */
export function inSchema(name: string, pool: UserPoolDeclaration): boolean {
  return name.startsWith('custom:') ? customDeclaration(name, pool) !== undefined : standardAttributes.has(name as never)
}

/** The declaration of `custom:<name>`, if the pool declares it. */
export function customDeclaration(name: string, pool: UserPoolDeclaration): CustomAttributeDeclaration | undefined {
  const declared = pool.customAttributes ?? {}
  const key = name.startsWith('custom:') ? name.slice('custom:'.length) : undefined
  return key !== undefined && Object.hasOwn(declared, key) ? declared[key] : undefined
}

/**
 * Custom values against their declaration: a String's length, a Number's value (INF: Cognito's text
 * for a value out of bounds is not documented; this names the attribute and the bound).
 */
export function checkCustomValues(attributes: Readonly<Record<string, string>>, pool: UserPoolDeclaration): void {
  const problems: string[] = []
  for (const [name, value] of Object.entries(attributes)) {
    const declared = customDeclaration(name, pool)
    if (!declared) continue
    const { min, max } = declared
    if (declared.type === 'String') {
      const length = [...value].length
      if ((min !== undefined && length < min) || length > (max ?? 2048)) problems.push(`${name}: String must be ${min ?? 0} to ${max ?? 2048} characters long.`)
    } else if (!/^-?\d+$/.test(value)) {
      problems.push(`${name}: Number must be a whole number.`)
    } else if ((min !== undefined && Number(value) < min) || (max !== undefined && Number(value) > max)) {
      problems.push(`${name}: Number must be from ${min ?? '-∞'} to ${max ?? '∞'}.`)
    }
  }
  if (problems.length > 0) throw schemaError(problems)
}

export function schemaError(lines: string[]): CognitoError {
  return new CognitoError('InvalidParameterException', `Attributes did not conform to the schema: ${lines.map((line) => `${line}\n`).join('')}`)
}
