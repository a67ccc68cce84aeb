// Cognito's list pages: `Limit` items at most (1 to the operation's maximum, which is also the
// default) from where the opaque token of the previous page says, and a token for the next page
// while there are more. The token is the offset, base64url-encoded.
import { CognitoError } from './cognito-error.ts'

export interface Page<T> {
  readonly items: T[]
  readonly next?: string
}

export function pageOf<T>(all: readonly T[], limitInput: unknown, tokenInput: unknown, maximum: number): Page<T> {
  const limit = limitInput === undefined ? maximum : Number(limitInput)
  if (!Number.isInteger(limit) || limit < 1 || limit > maximum) {
    throw new CognitoError('InvalidParameterException', `1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${maximum}`)
  }
  const start = tokenInput === undefined ? 0 : Number(Buffer.from(String(tokenInput), 'base64url').toString())
  if (!Number.isInteger(start) || start < 0) throw new CognitoError('InvalidParameterException', 'Invalid pagination token')
  const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined
  return { items: all.slice(start, start + limit), ...(next && { next }) }
}
