// Verifies a Cognito user-pool JWT (design.md §6, apigw-websocket-spec.md §6.11): RS256 signature
// against the pool's JWKS, issuer, token_use, app client, and exp/nbf with a small clock tolerance.
//
// Accepted tokens: ID tokens (`token_use: "id"`, client in `aud`, user name in `cognito:username`)
// and access tokens (`token_use: "access"`, client in `client_id`, user name in `username`). The web
// page sends its ID token. Anything else about a token is a `TokenRejected`; a failure to get the
// keys (JWKS unreachable, malformed JWKS) is not the token's fault and propagates as it is.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'

export interface VerifiedUser {
  /** The user's `sub`: stable, never reused. */
  readonly userId: string
  readonly username: string
  readonly tokenUse: 'id' | 'access'
}

export interface TokenVerifierOptions {
  /** The pool's issuer as configured (classic or global form); the JWKS is fetched from it, never from the token. */
  readonly issuer: string
  readonly clientId: string
  /** Key resolution; default: the issuer's JWKS, fetched once per cold start, refetched on an unknown `kid`. */
  readonly keys?: JWTVerifyGetKey
  readonly clockToleranceSeconds?: number
}

export type TokenVerifier = (token: string | undefined) => Promise<VerifiedUser>

/** A token that must not pass. `reason` is safe to log (a jose error code or a claim name), the token never is. */
export class TokenRejected extends Error {
  readonly code = 'TOKEN_REJECTED'
  constructor(readonly reason: string) {
    super('Unauthorized')
    this.name = 'TokenRejected'
  }
}

/** Clocks drift a little between Cognito and Lambda; more than this is a bad token. */
const defaultClockToleranceSeconds = 5

/** jose errors that mean "this token is bad", as opposed to "the keys could not be had". */
const tokenErrorCodes = new Set<string>([
  errors.JWTClaimValidationFailed.code,
  errors.JWTExpired.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JWSSignatureVerificationFailed.code,
])

const classicIssuer = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([^/]+)$/
const globalIssuer = /^https:\/\/issuer\.cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([^/]+)$/

/**
 * Cognito signs with the classic issuer `https://cognito-idp.{region}.amazonaws.com/{pool}` and is moving to
 * `https://issuer.cognito-idp.{region}.amazonaws.com/{pool}` (spec §6.11, §12.6): either form of the
 * configured pool passes. Any other issuer (the emulator's local one) must match exactly.
 */
export function acceptedIssuers(issuer: string): string[] {
  const configured = issuer.replace(/\/+$/, '')
  const classic = classicIssuer.exec(configured)
  if (classic) return [configured, `https://issuer.cognito-idp.${classic[1]}.amazonaws.com/${classic[2]}`]
  const global = globalIssuer.exec(configured)
  if (global) return [`https://cognito-idp.${global[1]}.amazonaws.com/${global[2]}`, configured]
  return [configured]
}

/** The pool's JWKS, next to its issuer (Cognito: `{iss}/.well-known/jwks.json`). */
export function jwksUrl(issuer: string): URL {
  return new URL(`${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`)
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = options.keys ?? createRemoteJWKSet(jwksUrl(options.issuer))
  const issuers = acceptedIssuers(options.issuer)
  const clockTolerance = options.clockToleranceSeconds ?? defaultClockToleranceSeconds

  return async (token) => {
    if (typeof token !== 'string' || token === '') throw new TokenRejected('missing')
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: issuers,
        clockTolerance,
        requiredClaims: ['sub', 'exp', 'iat', 'token_use'],
      }))
    } catch (error) {
      if (error instanceof errors.JOSEError && tokenErrorCodes.has(error.code)) {
        throw new TokenRejected(error instanceof errors.JWTClaimValidationFailed ? `${error.code}:${error.claim}` : error.code)
      }
      throw error
    }
    return userOf(payload, options.clientId)
  }
}

function userOf(payload: JWTPayload, clientId: string): VerifiedUser {
  const { sub, token_use: tokenUse } = payload
  if (typeof sub !== 'string' || sub === '') throw new TokenRejected('sub')
  if (tokenUse === 'id') {
    const { aud } = payload
    if (!(aud === clientId || (Array.isArray(aud) && aud.includes(clientId)))) throw new TokenRejected('aud')
    return { userId: sub, username: nameOf(payload['cognito:username']), tokenUse }
  }
  if (tokenUse === 'access') {
    if (payload.client_id !== clientId) throw new TokenRejected('client_id')
    return { userId: sub, username: nameOf(payload.username), tokenUse }
  }
  throw new TokenRejected('token_use')
}

function nameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TokenRejected('username')
  return value
}
