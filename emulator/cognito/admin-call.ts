// What every administrator operation (Admin*, ListUsers) checks first: on AWS they are IAM calls, signed
// with SigV4 by the caller's credentials, and name the pool. Offline any credentials sign (nothing
// checks them, as for every other local service), but an unsigned call is refused as AWS refuses one
// without credentials (INF: the local answer is MissingAuthenticationTokenException "Missing
// Authentication Token", the AWS JSON services' text); another pool's id is Cognito's
// ResourceNotFoundException.
import { CognitoError } from './cognito-error.ts'
import type { CallContext, OperationDeps } from './cognito-operations.ts'
import { userSigningIn } from './initiate-auth.ts'
import type { LocalUser } from './user-store.ts'

export function checkAdminCall(deps: OperationDeps, input: Record<string, unknown>, call: CallContext | undefined): void {
  if (!call?.signed) throw new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
  if (typeof input.UserPoolId !== 'string' || input.UserPoolId === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter UserPoolId')
  if (input.UserPoolId !== deps.settings.userPoolId) throw new CognitoError('ResourceNotFoundException', `User pool ${input.UserPoolId} does not exist.`)
}

/** The user an admin call names (`Username`: the username or an alias), or Cognito's UserNotFoundException. */
export function namedUser(deps: OperationDeps, input: Record<string, unknown>): LocalUser {
  const name = input.Username
  if (typeof name !== 'string' || name === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter Username')
  const user = userSigningIn(deps, name)
  if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.')
  return user
}

/** A user as the admin API describes it (AdminGetUser, ListUsers, AdminCreateUser): `sub` among the attributes. */
export function userType(user: LocalUser, attributesToGet?: readonly string[]) {
  const all = [{ Name: 'sub', Value: user.sub }, ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }))]
  return {
    Username: user.username,
    Attributes: attributesToGet ? all.filter((a) => attributesToGet.includes(a.Name)) : all,
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: (user.modifiedAt ?? user.createdAt) / 1000,
    Enabled: true,
    UserStatus: user.status,
  }
}

/** GetUser's and AdminGetUser's MFA settings: the authenticator app once turned on (SMS MFA, `MFAOptions`, is not offered). */
export function mfaSettings(user: LocalUser) {
  return user.totp?.enabled ? { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}
}
