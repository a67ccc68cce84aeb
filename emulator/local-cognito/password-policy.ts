// Cognito's default user-pool password policy: at least 8 characters with upper case, lower case,
// a number and a symbol. A password that fails gets `InvalidPasswordException` with Cognito's text.
import { CognitoError } from './cognito-error.ts'

export interface PasswordPolicy {
  readonly minimumLength: number
  readonly requireUppercase: boolean
  readonly requireLowercase: boolean
  readonly requireNumbers: boolean
  readonly requireSymbols: boolean
}

export const defaultPasswordPolicy: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
}

/** Cognito's symbol set for password policies. */
const symbols = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-')

export function checkPassword(password: string, policy: PasswordPolicy = defaultPasswordPolicy): void {
  const fail = (why: string) => {
    throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${why}`)
  }
  if ([...password].length < policy.minimumLength) fail('Password not long enough')
  if (policy.requireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters')
  if (policy.requireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters')
  if (policy.requireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters')
  if (policy.requireSymbols && ![...password].some((c) => symbols.has(c))) fail('Password must have symbol characters')
}
