// The pool's groups (Cognito API reference), which the declaration fixes (infra deploys the same):
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, GetGroup, ListGroups and
// ListUsersInGroup, signed as every administrator call (admin-call.ts). A group the declaration does
// not name is Cognito's ResourceNotFoundException "Group not found."; adding a member twice, or
// removing a non-member, changes nothing, as on Cognito. Tokens list the groups (user-tokens.ts).
// Groups are made by the declaration, not by CreateGroup (not emulated), so they carry no dates.
import type { GroupDeclaration } from '../../src/user-pool-declaration.ts'
import { CognitoError } from './cognito-error.ts'
import type { Operation, OperationDeps } from './cognito-operations.ts'
import { checkAdminCall, namedUser, userType } from './admin-call.ts'
import { pageOf } from './pages.ts'
import { groupsOf } from './user-tokens.ts'

type Json = Record<string, unknown>

export const adminAddUserToGroup: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const group = groupNamed(deps, input)
  const user = namedUser(deps, input)
  if (!(user.groups ?? []).includes(group)) await deps.users.put({ ...user, groups: [...(user.groups ?? []), group], modifiedAt: deps.now() })
  return {}
}

export const adminRemoveUserFromGroup: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const group = groupNamed(deps, input)
  const user = namedUser(deps, input)
  if ((user.groups ?? []).includes(group)) await deps.users.put({ ...user, groups: user.groups!.filter((g) => g !== group), modifiedAt: deps.now() })
  return {}
}

export const adminListGroupsForUser: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const user = namedUser(deps, input)
  const page = pageOf(groupsOf(deps.settings.pool, user), input.Limit, input.NextToken, 60)
  return { Groups: page.items.map((name) => groupType(deps, name)), ...(page.next && { NextToken: page.next }) }
}

export const getGroup: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  return { Group: groupType(deps, groupNamed(deps, input)) }
}

export const listGroups: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const page = pageOf(Object.keys(deps.settings.pool.groups ?? {}), input.Limit, input.NextToken, 60)
  return { Groups: page.items.map((name) => groupType(deps, name)), ...(page.next && { NextToken: page.next }) }
}

export const listUsersInGroup: Operation = async (deps, input, call) => {
  checkAdminCall(deps, input, call)
  const group = groupNamed(deps, input)
  const page = pageOf(deps.users.all().filter((user) => (user.groups ?? []).includes(group)), input.Limit, input.NextToken, 60)
  return { Users: page.items.map((user) => userType(user)), ...(page.next && { NextToken: page.next }) }
}

function groupNamed(deps: OperationDeps, input: Json): string {
  const name = input.GroupName
  if (typeof name !== 'string' || name === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter GroupName')
  if (!Object.hasOwn(deps.settings.pool.groups ?? {}, name)) throw new CognitoError('ResourceNotFoundException', 'Group not found.')
  return name
}

function groupType(deps: OperationDeps, name: string) {
  const declared: GroupDeclaration = deps.settings.pool.groups?.[name] ?? {}
  return {
    GroupName: name,
    UserPoolId: deps.settings.userPoolId,
    ...(declared.description !== undefined && { Description: declared.description }),
    ...(declared.precedence !== undefined && { Precedence: declared.precedence }),
  }
}
