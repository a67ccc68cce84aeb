// Builds the tokens a real pool never issues — expired, from another issuer, signed wrong — from a
// genuine one, changing one thing at a time, with the local Cognito's own key (read through its
// test-only accessor) so that the one change is the only reason a token fails.
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { decodeJwt, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose'
import type { LocalCognitoInfo } from '../emulator/cognito/local-cognito.ts'
import { idTokenFor, type WithPool } from './users.ts'

/** A pool whose signing key is at hand: an in-process emulator, or one whose key file was read from its data folder. */
export interface WithPoolKeys extends WithPool {
  readonly cognito: WithPool['cognito'] & Pick<LocalCognitoInfo, 'signingKeysForTests'>
}

export interface TokenForge {
  /** The user's genuine ID token and its claims. */
  readonly genuine: string
  readonly claims: JWTPayload
  /** Signs `claims` (default: the genuine ones) with the pool's signing key, RS256, its kid. */
  sign(claims?: JWTPayload, header?: { kid?: string }): Promise<string>
  /** The genuine claims, signed RS256 with a key the pool never had, under the pool key's kid. */
  signWithAnotherKey(): Promise<string>
  /** `alg: none`, no signature. */
  unsigned(): string
  /** HS256 keyed with the pool's public key (PEM), the classic key-confusion attack. */
  hs256WithPublicKey(): Promise<string>
  /** The genuine token with `changes` made to its payload and the genuine signature kept. */
  tampered(changes: JWTPayload): string
}

export async function tokenForge(emulator: WithPoolKeys, username: string): Promise<TokenForge> {
  const genuine = await idTokenFor(emulator, username)
  const claims = decodeJwt(genuine)
  const [poolKey] = emulator.cognito.signingKeysForTests()
  const sign = (payload: JWTPayload = claims, header: { kid?: string } = {}, key: Parameters<SignJWT['sign']>[0] = poolKey.privateKey) =>
    new SignJWT(payload).setProtectedHeader({ kid: poolKey.kid, alg: 'RS256', ...header }).sign(key)
  return {
    genuine,
    claims,
    sign: (payload, header) => sign(payload, header),
    signWithAnotherKey: () => sign(claims, {}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
    unsigned: () => new UnsecuredJWT(claims).encode(),
    hs256WithPublicKey: () => {
      const pem = createPublicKey(poolKey.privateKey).export({ type: 'spki', format: 'pem' })
      return new SignJWT(claims).setProtectedHeader({ kid: poolKey.kid, alg: 'HS256' }).sign(new TextEncoder().encode(String(pem)))
    },
    tampered: (changes) => {
      const [header, , signature] = genuine.split('.')
      return [header, Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url'), signature].join('.')
    },
  }
}
