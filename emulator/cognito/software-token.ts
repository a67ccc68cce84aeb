// Authenticator apps (TOTP MFA), as Cognito's API reference has them:
// - AssociateSoftwareToken, with an access token (a signed-in user turning MFA on) or with the Session
//   of an MFA_SETUP challenge: a new base32 SecretCode (and, for the challenge, a new Session);
// - VerifySoftwareToken with the first code the app shows: `Status: SUCCESS` (and a Session to answer
//   MFA_SETUP with), or EnableSoftwareTokenMFAException "Code mismatch and fail enable Software Token MFA";
// - SetUserMFAPreference: turns the verified authenticator on (or off) for sign-in; refused,
//   InvalidParameterException "User has not verified software token mfa", before one is verified.
// Then sign-in asks for a code (SOFTWARE_TOKEN_MFA, mfa-challenges.ts). Wrong codes are limited as
// confirmation codes are (5, then 15 minutes).
import { CognitoError } from './cognito-error.ts'
import type { Operation, OperationDeps } from './cognito-operations.ts'
import { accessTokenUser } from './access-token-user.ts'
import { newSession, openSession } from './challenge-session.ts'
import { codeAttemptsExceeded } from './confirmation-code.ts'
import { matchingStep, newTotpSecret } from './totp.ts'
import type { LocalUser } from './user-store.ts'


export const associateSoftwareToken: Operation = async (deps, input) => {
  const secret = newTotpSecret()
  if (input.AccessToken !== undefined) {
    const { user } = await accessTokenUser(deps, input.AccessToken)
    await deps.users.put({ ...user, totpPending: secret })
    return { SecretCode: secret }
  }
  const { user } = await openSession(deps, stringOrUndefined(input.Session), 'MFA_SETUP')
  return { SecretCode: secret, Session: await newSession(deps, user, 'MFA_SETUP', { secret }) }
}

export const verifySoftwareToken: Operation = async (deps, input) => {
  const code = stringOrUndefined(input.UserCode)
  if (!code) throw new CognitoError('InvalidParameterException', 'Missing required parameter UserCode')
  const deviceName = stringOrUndefined(input.FriendlyDeviceName)
  if (input.AccessToken !== undefined) {
    const { user } = await accessTokenUser(deps, input.AccessToken)
    if (!user.totpPending) throw new CognitoError('InvalidParameterException', 'User has not associated a software token; call AssociateSoftwareToken first')
    const step = checkCode(deps, user, user.totpPending, code)
    const { totpPending: _done, ...rest } = user
    // Verified, not yet on: SetUserMFAPreference turns it on (as Cognito leaves it to the app).
    await deps.users.put({ ...rest, totp: { secret: user.totpPending, enabled: user.totp?.enabled ?? false, lastStep: step, ...(deviceName && { deviceName }) } })
    return { Status: 'SUCCESS' }
  }
  const { user, data } = await openSession(deps, stringOrUndefined(input.Session), 'MFA_SETUP')
  if (typeof data.secret !== 'string') throw new CognitoError('InvalidParameterException', 'Call AssociateSoftwareToken with this Session first')
  const step = checkCode(deps, user, data.secret, code)
  return { Status: 'SUCCESS', Session: await newSession(deps, user, 'MFA_SETUP', { secret: data.secret, verifiedStep: step, ...(deviceName && { deviceName }) }) }
}

export const setUserMfaPreference: Operation = async (deps, input) => {
  const { user } = await accessTokenUser(deps, input.AccessToken)
  const settings = input.SoftwareTokenMfaSettings as { Enabled?: unknown; PreferredMfa?: unknown } | undefined
  if (settings === undefined) return {}
  if (!user.totp) throw new CognitoError('InvalidParameterException', 'User has not verified software token mfa')
  // MFA REQUIRED: the only factor cannot be turned off (Cognito refuses it too).
  if (settings.Enabled === false && deps.settings.pool.mfa === 'REQUIRED') throw new CognitoError('InvalidParameterException', 'Cannot disable the only MFA method of a user in a pool that requires MFA')
  await deps.users.put({ ...user, totp: { ...user.totp, enabled: settings.Enabled === true } })
  return {}
}

/** The step the code is for; refused as Cognito refuses a wrong code, with the attempts limited. */
export function checkCode(deps: OperationDeps, user: LocalUser, secret: string, code: string, wrong = () => new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA')): number {
  const key = `totp:${user.sub}`
  if (!deps.codeAttempts.begin(key)) throw codeAttemptsExceeded()
  const step = matchingStep(secret, code, Date.now(), user.totp?.secret === secret ? user.totp.lastStep : undefined)
  if (step === undefined) throw wrong()
  deps.codeAttempts.succeeded(key)
  return step
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

