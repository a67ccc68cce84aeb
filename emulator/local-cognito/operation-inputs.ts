// The request members every operation reads, validated as Cognito validates them (AWS JSON protocol
// messages for a missing or malformed member), and the app client they name.
import { CognitoError, missingMember } from './cognito-error.ts'

type Json = Record<string, unknown>

/** The app client the request names; this pool has exactly one. */
export function clientOf(clientId: string, input: Json): string {
  const given = input.ClientId
  if (typeof given !== 'string') throw missingMember('clientId')
  if (given !== clientId) throw new CognitoError('ResourceNotFoundException', `User pool client ${given} does not exist.`)
  return given
}

export function usernameOf(value: unknown): string {
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

export function passwordOf(value: unknown): string {
  if (typeof value !== 'string') throw missingMember('password')
  if (value.length > 256) throw new CognitoError('InvalidParameterException', "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256")
  return value
}

export function authParametersOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw new CognitoError('InvalidParameterException', 'AuthParameters must be a map of strings')
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}
