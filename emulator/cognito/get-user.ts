// GetUser (Cognito API reference): with the user's access token, the user's name, attributes (`sub`
// first, as Cognito lists it) and MFA settings, as AdminGetUser describes the user (admin-call.ts).
import { accessTokenUser } from './access-token-user.ts'
import { mfaSettings, userType } from './admin-call.ts'
import type { Operation } from './cognito-operations.ts'

export const getUser: Operation = async (deps, input) => {
  const { user } = await accessTokenUser(deps, input.AccessToken)
  return { Username: user.username, UserAttributes: userType(user).Attributes, ...mfaSettings(user) }
}
