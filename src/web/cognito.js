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

/** @param {{ endpoint: string, clientId: string }} cognito */
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
    /** @returns {Promise<Tokens>} */
    async signIn(username, password) {
      const data = await call('InitiateAuth', {
        ClientId: cognito.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      })
      return tokensOf(data)
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

function tokensOf(data) {
  const result = data.AuthenticationResult
  if (!result?.IdToken) {
    // A challenge (new password required, MFA...) this page does not handle.
    throw new CognitoError(data.ChallengeName ?? 'UnexpectedResponse', 'This account needs a sign-in step this page does not support.')
  }
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
