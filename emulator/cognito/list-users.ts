// ListUsers (Cognito API reference): the pool's users, `Limit` (1–60, default 60) at a time with a
// `PaginationToken`, `AttributesToGet`, and Cognito's `Filter`: `name = "value"` (exact) or
// `name ^= "value"` (prefix) on username, email, phone_number, name, given_name, family_name,
// preferred_username, cognito:user_status (or status) and sub. A filter Cognito cannot parse is
// InvalidParameterException.
import { CognitoError } from './cognito-error.ts'
import type { Operation } from './cognito-operations.ts'
import { checkAdminCall, userType } from './admin-call.ts'
import type { LocalUser } from './user-store.ts'

const filterable = new Set(['username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username', 'cognito:user_status', 'status', 'sub'])

function valueOf(user: LocalUser, attribute: string): string | undefined {
  if (attribute === 'username') return user.username
  if (attribute === 'sub') return user.sub
  if (attribute === 'cognito:user_status' || attribute === 'status') return user.status
  return user.attributes[attribute]
}

export const listUsers: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const limit = input.Limit === undefined ? 60 : Number(input.Limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 60) throw new CognitoError('InvalidParameterException', '1 validation error detected: Value at \'limit\' failed to satisfy constraint: Member must have value less than or equal to 60')
  let match: (user: LocalUser) => boolean = () => true
  if (typeof input.Filter === 'string' && input.Filter.trim() !== '') {
    const parsed = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(input.Filter)
    if (!parsed || !filterable.has(parsed[1])) throw new CognitoError('InvalidParameterException', 'Error while parsing filter.')
    const [, attribute, operator, wanted] = parsed
    const text = wanted.replace(/\\(.)/g, '$1')
    match = (user) => {
      const value = valueOf(user, attribute)
      return value !== undefined && (operator === '=' ? value === text : value.startsWith(text))
    }
  }
  const start = input.PaginationToken === undefined ? 0 : Number(Buffer.from(String(input.PaginationToken), 'base64url').toString())
  if (!Number.isInteger(start) || start < 0) throw new CognitoError('InvalidParameterException', 'Invalid pagination token')
  const matching = deps.users.all().filter(match)
  const page = matching.slice(start, start + limit)
  const attributesToGet = Array.isArray(input.AttributesToGet) ? (input.AttributesToGet as string[]) : undefined
  const next = start + limit < matching.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined
  return { Users: page.map((user) => userType(user, attributesToGet)), ...(next && { PaginationToken: next }) }
}
