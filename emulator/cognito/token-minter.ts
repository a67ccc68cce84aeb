// Tokens with Cognito's claims and lifetimes (apigw-websocket-spec.md §6.11): RS256 ID and access
// tokens signed with the pool's first key, and refresh tokens that are opaque to clients (encrypted,
// as Cognito's JWE refresh tokens are) and carry what a refresh needs.
import { createPublicKey, randomUUID } from 'node:crypto'
import { EncryptJWT, errors, jwtDecrypt, jwtVerify, SignJWT, type JWTPayload } from 'jose'
import type { TokenValidityDeclaration } from '../../src/user-pool-declaration.ts'
import type { PoolKeys } from './pool-keys.ts'
import type { ClaimsOverride } from './user-pool-triggers.ts'
import type { LocalUser } from './user-store.ts'

/** In seconds, so tests can shrink them below what a declaration (Cognito: minutes and days) allows. */
export interface TokenLifetimes {
  readonly idTokenSeconds: number
  readonly accessTokenSeconds: number
  readonly refreshTokenSeconds: number
}

/** The lifetimes the pool's web client declares. */
export function declaredLifetimes(validity: TokenValidityDeclaration): TokenLifetimes {
  return {
    idTokenSeconds: validity.idTokenMinutes * 60,
    accessTokenSeconds: validity.accessTokenMinutes * 60,
    refreshTokenSeconds: validity.refreshTokenDays * 24 * 3600,
  }
}

/** One sign-in: refreshes keep its `origin_jti` and `auth_time`. */
export interface SignInSession {
  readonly originJti: string
  readonly authTime: number
}

export interface IssuedTokens {
  readonly IdToken: string
  readonly AccessToken: string
  /** Only on a sign-in; a refresh returns none (no refresh-token rotation). */
  readonly RefreshToken?: string
  readonly ExpiresIn: number
  readonly TokenType: 'Bearer'
}

export interface RefreshClaims extends SignInSession {
  readonly sub: string
  readonly username: string
  readonly clientId: string
  /** When (epoch ms) the sign-in happened, sealed in the refresh token: GlobalSignOut ends earlier ones. */
  readonly signedInMs?: number
}

export interface AccessClaims extends RefreshClaims {
  /** `iat`, in seconds: GlobalSignOut ends the tokens issued before it. */
  readonly issuedAt: number
}

/** What the pool adds to a user's claims (user-tokens.ts). */
export interface TokenExtras {
  /** `cognito:groups` in both tokens, when there are any. */
  readonly groups?: readonly string[]
  /** A PreTokenGeneration trigger's changes to the ID token. */
  readonly override?: ClaimsOverride
}

export class TokenMinter {
  constructor(
    private readonly keys: PoolKeys,
    private readonly issuer: string,
    private readonly lifetimes: TokenLifetimes,
    /** Told of every user tokens are issued to (sign-in, refresh): Cognito bills them as monthly active users. */
    private readonly onIssued: (sub: string) => void = () => {},
  ) {}

  /** How long a refresh token lives. */
  get refreshLifetimeMs(): number {
    return this.lifetimes.refreshTokenSeconds * 1000
  }

  async issue(user: LocalUser, session: SignInSession, withRefreshToken: boolean, extras: TokenExtras = {}): Promise<IssuedTokens> {
    const now = Math.floor(Date.now() / 1000)
    const eventId = randomUUID()
    const common = { origin_jti: session.originJti, event_id: eventId, auth_time: session.authTime }
    const groups = extras.groups && extras.groups.length > 0 ? { 'cognito:groups': [...extras.groups] } : {}
    const idClaims: JWTPayload = {
      sub: user.sub,
      ...groups,
      ...attributeClaims(user.attributes),
      ...extras.override?.add,
      'cognito:username': user.username,
      ...common,
      aud: this.keys.clientId,
      token_use: 'id',
    }
    for (const name of extras.override?.suppress ?? []) delete idClaims[name]
    const idToken = this.sign(idClaims, now, this.lifetimes.idTokenSeconds)
    const accessToken = this.sign(
      {
        sub: user.sub,
        ...groups,
        client_id: this.keys.clientId,
        ...common,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        username: user.username,
      },
      now,
      this.lifetimes.accessTokenSeconds,
    )
    const refreshToken = withRefreshToken ? this.sealRefreshToken(user, session, now) : undefined
    this.onIssued(user.sub)
    return {
      AccessToken: await accessToken,
      ExpiresIn: this.lifetimes.accessTokenSeconds,
      IdToken: await idToken,
      ...(refreshToken ? { RefreshToken: await refreshToken } : {}),
      TokenType: 'Bearer',
    }
  }

  /** What a refresh token says, or why it cannot be used (Cognito's NotAuthorizedException texts differ). */
  async openRefreshToken(token: string): Promise<RefreshClaims | 'invalid' | 'expired'> {
    try {
      const { payload } = await jwtDecrypt(token, this.keys.refreshKey, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] })
      const { sub, username, client_id: clientId, origin_jti: originJti, auth_time: authTime, signed_in_ms: signedInMs } = payload
      if (typeof sub !== 'string' || typeof username !== 'string' || typeof clientId !== 'string' || typeof originJti !== 'string' || typeof authTime !== 'number') {
        return 'invalid'
      }
      return { sub, username, clientId, originJti, authTime, ...(typeof signedInMs === 'number' ? { signedInMs } : {}) }
    } catch (error) {
      if (error instanceof errors.JWTExpired) return 'expired'
      return 'invalid'
    }
  }

  /** What one of this pool's access tokens says, or why it cannot be used (Cognito's texts differ). */
  async openAccessToken(token: string): Promise<AccessClaims | 'invalid' | 'expired'> {
    try {
      const keys = await this.keys.signingKeysMade()
      const { payload } = await jwtVerify(token, async (header) => {
        const key = keys.find((k) => k.kid === header.kid)
        if (!key) throw new errors.JWKSNoMatchingKey()
        return createPublicKey(key.privateKey)
      }, { issuer: this.issuer, algorithms: ['RS256'] })
      const { sub, username, client_id: clientId, origin_jti: originJti, auth_time: authTime, token_use: use } = payload
      if (use !== 'access' || typeof sub !== 'string' || typeof username !== 'string' || typeof clientId !== 'string' || typeof originJti !== 'string' || typeof authTime !== 'number') {
        return 'invalid'
      }
      return { sub, username, clientId, originJti, authTime, issuedAt: payload.iat ?? 0 }
    } catch (error) {
      if (error instanceof errors.JWTExpired) return 'expired'
      return 'invalid'
    }
  }

  private async sign(claims: JWTPayload, now: number, lifetime: number): Promise<string> {
    const [key] = await this.keys.signingKeysMade()
    // Cognito's header is exactly `{kid, alg}`.
    return new SignJWT(claims)
      .setProtectedHeader({ kid: key.kid, alg: 'RS256' })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .setJti(randomUUID())
      .sign(key.privateKey)
  }

  private sealRefreshToken(user: LocalUser, session: SignInSession, now: number): Promise<string> {
    return new EncryptJWT({ sub: user.sub, username: user.username, client_id: this.keys.clientId, origin_jti: session.originJti, auth_time: session.authTime, signed_in_ms: Date.now() })
      .setProtectedHeader({ cty: 'JWT', enc: 'A256GCM', alg: 'dir' })
      .setIssuedAt(now)
      .setExpirationTime(now + this.lifetimes.refreshTokenSeconds)
      .encrypt(this.keys.refreshKey)
  }
}

/** Attributes become ID-token claims; Cognito's `email_verified` ("true"/"false") becomes a boolean. */
function attributeClaims(attributes: Readonly<Record<string, string>>): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {}
  for (const [name, value] of Object.entries(attributes)) claims[name] = name.endsWith('_verified') ? value === 'true' : value
  if ('email' in attributes) claims.email_verified = attributes.email_verified === 'true'
  if ('phone_number' in attributes) claims.phone_number_verified = attributes.phone_number_verified === 'true'
  return claims
}
