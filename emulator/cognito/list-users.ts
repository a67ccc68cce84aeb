// ListUsers (Cognito API reference): the pool's users, `Limit` (1–60, default 60) at a time with a
// `PaginationToken`, `AttributesToGet`, and Cognito's `Filter`: `name = "value"` (exact) or
// `name ^= "value"` (prefix) on username, email, phone_number, name, given_name, family_name,
// preferred_username, cognito:user_status (or status) and sub. A filter Cognito cannot parse is
// InvalidParameterException.
import { CognitoError } from './cognito-error.ts'
import { pageOf } from './pages.ts'
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
  const page = pageOf(deps.users.all().filter(match), input.Limit, input.PaginationToken, 60)
  const attributesToGet = Array.isArray(input.AttributesToGet) ? (input.AttributesToGet as string[]) : undefined
  return { Users: page.items.map((user) => userType(user, attributesToGet)), ...(page.next && { PaginationToken: page.next }) }
}
