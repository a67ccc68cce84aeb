// The signed-in session: tokens kept in localStorage (tabs of one browser share them), refreshed
// before they expire, and handed out fresh whenever the socket (re)connects.
import { CognitoError, jwtClaims } from './cognito.js'

const storageKey = 'dynamowave.session'
/** Refresh this long before the ID token expires (a quarter of its life when that is shorter). */
const refreshMarginMs = 5 * 60 * 1000
/** A token with less left than this is not handed to a new connection. */
const minimumLeftMs = 30 * 1000

export class Session {
  /** @param {ReturnType<import('./cognito.js').cognitoClient>} cognito @param {() => void} onExpired */
  constructor(cognito, onExpired) {
    this.cognito = cognito
    this.onExpired = onExpired
    this.timer = undefined
    this.refreshing = undefined
  }

  /** The stored session, if any: { username, idToken, accessToken, refreshToken, expiresAt }. */
  get current() {
    try {
      const value = JSON.parse(localStorage.getItem(storageKey) ?? 'null')
      return value && typeof value.idToken === 'string' && typeof value.refreshToken === 'string' ? value : undefined
    } catch {
      return undefined
    }
  }

  /**
   * `login` is what the person typed: their username or (where the pool allows) their email.
   * Resolves with the challenge the pool asks for next (MFA), or with nothing once signed in.
   * @returns {Promise<import('./cognito.js').Challenge | undefined>}
   */
  async signIn(login, password) {
    return this.complete(await this.cognito.signIn(login, password))
  }

  /** Keeps the tokens of a finished sign-in; hands back a challenge still to answer. @param {import('./cognito.js').Outcome} outcome */
  complete(outcome) {
    if ('challenge' in outcome) return outcome.challenge
    const { tokens } = outcome
    // The username as the pool knows it, whatever was typed (an email, another capitalisation).
    const username = jwtClaims(tokens.idToken)['cognito:username'] ?? ''
    this.store({ username, ...tokens })
    return undefined
  }

  /** Forgets the session here; `revoke` also revokes its refresh token at Cognito (a sign-out the person asked for). */
  async signOut({ revoke = false } = {}) {
    clearTimeout(this.timer)
    const session = this.current
    localStorage.removeItem(storageKey)
    if (revoke && session) await this.cognito.revoke(session.refreshToken)
  }

  /** An ID token valid for at least the refresh margin, refreshing first when needed. */
  async freshIdToken() {
    const session = this.current
    if (!session) throw new CognitoError('NotSignedIn', 'Please sign in.')
    if (session.expiresAt - Date.now() > minimumLeftMs) {
      this.schedule(session)
      return session.idToken
    }
    return (await this.refresh()).idToken
  }

  /** One refresh at a time; a refresh token Cognito refuses ends the session. */
  refresh() {
    this.refreshing ??= (async () => {
      const session = this.current
      if (!session) throw new CognitoError('NotSignedIn', 'Please sign in.')
      try {
        const tokens = await this.cognito.refresh(session.refreshToken)
        const next = { ...session, ...tokens, refreshToken: tokens.refreshToken ?? session.refreshToken }
        this.store(next)
        return next
      } catch (error) {
        if (error instanceof CognitoError && error.type === 'NotAuthorizedException') {
          void this.signOut()
          this.onExpired()
        }
        throw error
      } finally {
        this.refreshing = undefined
      }
    })()
    return this.refreshing
  }

  store(session) {
    session = { ...session, issuedAt: Date.now() }
    localStorage.setItem(storageKey, JSON.stringify(session))
    this.schedule(session)
  }

  schedule(session) {
    clearTimeout(this.timer)
    const margin = Math.min(refreshMarginMs, (session.expiresAt - (session.issuedAt ?? Date.now())) / 4)
    const wait = Math.max(1000, session.expiresAt - Date.now() - margin)
    // Timers cap at ~24.8 days; tokens live an hour or so.
    this.timer = setTimeout(() => this.refresh().catch(() => {}), Math.min(wait, 2 ** 31 - 1))
  }
}
