// The MFA challenges' answers (RespondToAuthChallenge):
// - SOFTWARE_TOKEN_MFA with SOFTWARE_TOKEN_MFA_CODE: the authenticator's current code; a wrong one is
//   CodeMismatchException "Invalid code received for user" and the Session stays good for another try
//   (INF: Cognito documents no single-try rule; wrong codes are limited, software-token.ts);
// - MFA_SETUP with the Session VerifySoftwareToken returned: the authenticator becomes the user's and
//   is turned on, and the sign-in completes.
import { CognitoError } from './cognito-error.ts'
import { openSession } from './challenge-session.ts'
import type { ChallengeResponder } from './respond-to-auth-challenge.ts'
import { issueTokens } from './sign-in-outcome.ts'
import { checkCode } from './software-token.ts'

export const respondSoftwareTokenMfa: ChallengeResponder = async (deps, answer) => {
  const { user } = await openSession(deps, answer.session, 'SOFTWARE_TOKEN_MFA')
  const code = answer.responses.SOFTWARE_TOKEN_MFA_CODE
  if (!code) throw new CognitoError('InvalidParameterException', 'Missing required parameter SOFTWARE_TOKEN_MFA_CODE')
  if (!user.totp?.enabled) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.')
  const step = checkCode(deps, user, user.totp.secret, code, () => new CognitoError('CodeMismatchException', 'Invalid code received for user'))
  await deps.users.put({ ...user, totp: { ...user.totp, lastStep: step } })
  return issueTokens(deps, deps.users.get(user.username) ?? user)
}

export const respondMfaSetup: ChallengeResponder = async (deps, answer) => {
  const { user, data } = await openSession(deps, answer.session, 'MFA_SETUP')
  if (typeof data.secret !== 'string' || typeof data.verifiedStep !== 'number') {
    throw new CognitoError('InvalidParameterException', 'Verify the software token (VerifySoftwareToken) with this Session first')
  }
  const totp = { secret: data.secret, enabled: true, lastStep: data.verifiedStep, ...(typeof data.deviceName === 'string' && { deviceName: data.deviceName }) }
  await deps.users.put({ ...user, totp })
  return issueTokens(deps, deps.users.get(user.username) ?? user)
}
