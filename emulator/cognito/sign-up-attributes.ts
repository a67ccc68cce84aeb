// What SignUp checks of the username and `UserAttributes` against the pool's schema, with Cognito's
// errors: attributes outside the schema, required attributes missing, an email that is not one, and
// (in a pool with an email alias) a username that looks like an email address.
import type { UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
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
      // The local pool's schema is the standard attributes a user may write (no custom ones).
      if (!standardAttributes.has(name as never)) unknown.push(name)
      attributes[name] = v
    }
    // Cognito lists each offending attribute on a line of its own.
    if (unknown.length > 0) throw schemaError(unknown.map((name) => `${name}: Attribute does not exist in the schema.`))
  }
  const missing = pool.requiredAttributes.filter((name) => !attributes[name])
  if (missing.length > 0) throw schemaError(missing.map((name) => `${name}: The attribute is required`))
  if (attributes.email !== undefined && !looksLikeEmail(attributes.email)) throw new CognitoError('InvalidParameterException', 'Invalid email address format.')
  return attributes
}

function schemaError(lines: string[]): CognitoError {
  return new CognitoError('InvalidParameterException', `Attributes did not conform to the schema: ${lines.map((line) => `${line}\n`).join('')}`)
}
