// The declared password policy, checked as Cognito checks it at sign-up: length first, then lower case,
// upper case, digits and symbols; the first rule broken is named in `InvalidPasswordException`'s text.
import type { PasswordPolicyDeclaration } from '../../src/user-pool-declaration.ts'
import { CognitoError } from './cognito-error.ts'

/** Cognito's symbol set for password policies. */
const symbols = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-')

/** Which rule `password` breaks, in Cognito's words, or undefined when it conforms. */
export function passwordProblem(password: string, policy: PasswordPolicyDeclaration): string | undefined {
  if ([...password].length < policy.minLength) return 'Password not long enough'
  if (policy.requireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters'
  if (policy.requireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters'
  if (policy.requireDigits && !/[0-9]/.test(password)) return 'Password must have numeric characters'
  if (policy.requireSymbols && ![...password].some((c) => symbols.has(c))) return 'Password must have symbol characters'
  return undefined
}

export function checkPassword(password: string, policy: PasswordPolicyDeclaration): void {
  const problem = passwordProblem(password, policy)
  if (problem) throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${problem}`)
}
