import { srpSignIn } from './srp.js'

// The part of the Cognito user-pool JSON API the page uses, on Cognito's own wire protocol (the
// same code talks to the real Cognito and to the emulator's local one): POST to the pool endpoint
// with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`; errors come back as
// `{ __type, message }`.

export class CognitoError extends Error {
  /** @param {string} type Cognito's exception name, e.g. NotAuthorizedException @param {string} message */
  constructor(type, message) {
    super(message)
    this.name = 'CognitoError'
    this.type = type
  }
}

/** @param {{ endpoint: string, clientId: string, userPoolId: string }} cognito */
export function cognitoClient(cognito) {
  async function call(operation, body) {
    let response
    try {
      response = await fetch(cognito.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
      })
    } catch {
      throw new CognitoError('NetworkError', 'Cannot reach the sign-in service. Check your connection and try again.')
    }
    const text = await response.text()
    let data = {}
    try {
      data = text ? JSON.parse(text) : {}
    } catch {
      data = {}
    }
    if (!response.ok) {
      // `__type` may carry a namespace prefix ("...#NotAuthorizedException").
      const type = String(data.__type ?? data.code ?? 'UnknownError').split('#').pop()
      throw new CognitoError(type, String(data.message ?? data.Message ?? `Sign-in service error (HTTP ${response.status})`))
    }
    return data
  }

  return {
    /** @returns {Promise<{ UserConfirmed: boolean, UserSub: string }>} */
    signUp(username, password, email) {
      return call('SignUp', {
        ClientId: cognito.clientId,
        Username: username,
        Password: password,
        UserAttributes: email ? [{ Name: 'email', Value: email }] : [],
      })
    },
    confirmSignUp(username, code) {
      return call('ConfirmSignUp', { ClientId: cognito.clientId, Username: username, ConfirmationCode: code })
    },
    /**
     * SRP: the password never leaves the page (srp.js).
     * @returns {Promise<Outcome>}
     */
    async signIn(username, password) {
      const { response, userId } = await srpSignIn(call, { clientId: cognito.clientId, userPoolId: cognito.userPoolId, username, password })
      return outcomeOf(response, userId)
    },
    /** SOFTWARE_TOKEN_MFA: the authenticator's current code. @param {Challenge} challenge @returns {Promise<Outcome>} */
    async answerCode(challenge, code) {
      const data = await call('RespondToAuthChallenge', {
        ClientId: cognito.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenge.session,
        ChallengeResponses: { USERNAME: challenge.username, SOFTWARE_TOKEN_MFA_CODE: code },
      })
      return outcomeOf(data, challenge.username)
    },
    /** NEW_PASSWORD_REQUIRED: the person's own password (and required attributes the account lacks). @param {Challenge} challenge @returns {Promise<Outcome>} */
    async answerNewPassword(challenge, password, attributes = {}) {
      const extra = Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`userAttributes.${name}`, value]))
      const data = await call('RespondToAuthChallenge', {
        ClientId: cognito.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.session,
        ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: password, ...extra },
      })
      return outcomeOf(data, challenge.username)
    },
    /** MFA_SETUP, step 1: a new authenticator secret. @param {Challenge} challenge @returns {Promise<{ secret: string, challenge: Challenge }>} */
    async associateAuthenticator(challenge) {
      const data = await call('AssociateSoftwareToken', { Session: challenge.session })
      return { secret: data.SecretCode, challenge: { ...challenge, session: data.Session } }
    },
    /** MFA_SETUP, step 2: the app's first code proves it; then the sign-in completes. @param {Challenge} challenge @returns {Promise<Outcome>} */
    async finishAuthenticatorSetup(challenge, code) {
      const verified = await call('VerifySoftwareToken', { Session: challenge.session, UserCode: code, FriendlyDeviceName: 'DynamoWave Chat' })
      const data = await call('RespondToAuthChallenge', {
        ClientId: cognito.clientId,
        ChallengeName: 'MFA_SETUP',
        Session: verified.Session,
        ChallengeResponses: { USERNAME: challenge.username },
      })
      return outcomeOf(data, challenge.username)
    },
    /** A signed-in user turning an authenticator on: its secret. @returns {Promise<string>} */
    async associateWithToken(accessToken) {
      return (await call('AssociateSoftwareToken', { AccessToken: accessToken })).SecretCode
    },
    /** Proves the new authenticator with its first code and turns it on for sign-in. */
    async enableAuthenticator(accessToken, code) {
      await call('VerifySoftwareToken', { AccessToken: accessToken, UserCode: code, FriendlyDeviceName: 'DynamoWave Chat' })
      await call('SetUserMFAPreference', { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })
    },
    /** Cognito answers a refresh without a new refresh token: the caller keeps the old one. */
    async refresh(refreshToken) {
      const data = await call('InitiateAuth', {
        ClientId: cognito.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      })
      return tokensOf(data)
    },
    /** Signing out: the refresh token (and the tokens issued from it) stop working at Cognito. */
    revoke(refreshToken) {
      return call('RevokeToken', { ClientId: cognito.clientId, Token: refreshToken })
    },
  }
}

/** @typedef {{ idToken: string, accessToken: string, refreshToken?: string, expiresAt: number }} Tokens */
/** @typedef {{ name: 'SOFTWARE_TOKEN_MFA' | 'MFA_SETUP' | 'NEW_PASSWORD_REQUIRED', session: string, username: string, parameters: Record<string, string> }} Challenge */
/** @typedef {{ tokens: Tokens } | { challenge: Challenge }} Outcome */

/** The challenges this page answers (challenge-view.js). */
const handled = new Set(['SOFTWARE_TOKEN_MFA', 'MFA_SETUP', 'NEW_PASSWORD_REQUIRED'])

/** Tokens, or the next step the pool asks for. */
function outcomeOf(data, username) {
  if (data.AuthenticationResult) return { tokens: tokensOf(data) }
  if (handled.has(data.ChallengeName)) return { challenge: { name: data.ChallengeName, session: data.Session, username, parameters: data.ChallengeParameters ?? {} } }
  throw new CognitoError(data.ChallengeName ?? 'UnexpectedResponse', 'This account needs a sign-in step this page does not support.')
}

function tokensOf(data) {
  const result = data.AuthenticationResult
  if (!result?.IdToken) throw new CognitoError(data.ChallengeName ?? 'UnexpectedResponse', 'This account needs a sign-in step this page does not support.')
  const exp = jwtExpiry(result.IdToken)
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
    expiresAt: exp ?? Date.now() + Number(result.ExpiresIn ?? 3600) * 1000,
  }
}

/** The claims of a JWT, read without verifying: the page only plans refreshes and names the user with them (the server verifies). */
export function jwtClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')), (c) => c.charCodeAt(0))
    // UTF-8: usernames need not be ASCII.
    const claims = JSON.parse(new TextDecoder().decode(bytes))
    return claims && typeof claims === 'object' ? claims : {}
  } catch {
    return {}
  }
}

/** The `exp` of a JWT, in ms. */
export function jwtExpiry(token) {
  const { exp } = jwtClaims(token)
  return typeof exp === 'number' ? exp * 1000 : undefined
}
