// GetUser (Cognito API reference): with the user's access token, the user's name, attributes (`sub`
// among them, as Cognito lists it first) and MFA settings. MFAOptions is for SMS MFA, which the local
// pool does not offer, so it is absent; UserMFASettingList and PreferredMfaSetting name the
// authenticator app (SOFTWARE_TOKEN_MFA) once SetUserMFAPreference turned it on.
import { accessTokenUser } from './access-token-user.ts'
import type { Operation } from './cognito-operations.ts'

export const getUser: Operation = async (deps, input) => {
  const { user } = await accessTokenUser(deps, input.AccessToken)
  const totpOn = user.totp?.enabled === true
  return {
    Username: user.username,
    UserAttributes: [{ Name: 'sub', Value: user.sub }, ...Object.entries(user.attributes).filter(([name]) => name !== 'sub').map(([Name, Value]) => ({ Name, Value }))],
    ...(totpOn ? { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}),
  }
}
