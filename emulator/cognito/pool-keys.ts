// The local user pool's identity and secrets: its id, its app client id, two RSA signing keys (a
// Cognito pool publishes two; the first signs) and the key that seals refresh tokens. Kept in the
// dev data folder so tokens and the page's config survive a restart; fresh in memory for tests.
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { calculateJwkThumbprint, type JWK } from 'jose'
import { readJsonFile, writeJsonFile } from './json-file.ts'

export interface SigningKey {
  readonly kid: string
  readonly privateKey: KeyObject
  /** As published in the JWKS: `alg`, `e`, `kid`, `kty`, `n`, `use`. */
  readonly publicJwk: JWK
}

export interface PoolKeys {
  /** `{region}_{9 alphanumerics}`, Cognito's format. */
  readonly userPoolId: string
  /** 26 lowercase alphanumerics, Cognito's app client id format. */
  readonly clientId: string
  readonly signingKeys: readonly [SigningKey, SigningKey]
  /** 256-bit key that encrypts refresh tokens (A256GCM); they are opaque to clients, as Cognito's are. */
  readonly refreshKey: Uint8Array
}

interface StoredKeys {
  readonly version: 1
  readonly userPoolId: string
  readonly clientId: string
  readonly signingKeys: readonly JWK[]
  readonly refreshKey: string
}

const generateRsa = promisify(generateKeyPair)

/** Loads the pool from `file` when it exists there; otherwise makes a new one (and saves it when `file` is given). */
export async function loadOrCreatePoolKeys(region: string, file: string | undefined): Promise<PoolKeys> {
  const stored = file ? ((await readJsonFile(file)) as StoredKeys | undefined) : undefined
  if (stored) {
    if (stored.version !== 1 || !stored.userPoolId.startsWith(`${region}_`) || stored.signingKeys.length !== 2) {
      throw new Error(`${file} is not a local Cognito key file for region ${region}; move it away to start a fresh pool`)
    }
    const [a, b] = await Promise.all(stored.signingKeys.map((jwk) => signingKeyOf(createPrivateKey({ key: jwk as never, format: 'jwk' }))))
    return { userPoolId: stored.userPoolId, clientId: stored.clientId, signingKeys: [a, b], refreshKey: Buffer.from(stored.refreshKey, 'base64url') }
  }
  const [a, b] = await Promise.all([newSigningKey(), newSigningKey()])
  const keys: PoolKeys = {
    userPoolId: `${region}_${randomId('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 9)}`,
    clientId: randomId('abcdefghijklmnopqrstuvwxyz0123456789', 26),
    signingKeys: [a, b],
    refreshKey: randomBytes(32),
  }
  if (file) {
    const toStore: StoredKeys = {
      version: 1,
      userPoolId: keys.userPoolId,
      clientId: keys.clientId,
      signingKeys: keys.signingKeys.map((k) => k.privateKey.export({ format: 'jwk' }) as JWK),
      refreshKey: Buffer.from(keys.refreshKey).toString('base64url'),
    }
    await writeJsonFile(file, toStore)
  }
  return keys
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
  return signingKeyOf(privateKey)
}

async function signingKeyOf(privateKey: KeyObject): Promise<SigningKey> {
  const { e, n, kty } = createPublicKey(privateKey).export({ format: 'jwk' })
  const kid = await calculateJwkThumbprint({ e, n, kty } as JWK)
  return { kid, privateKey, publicJwk: { alg: 'RS256', e, kid, kty, n, use: 'sig' } }
}

function randomId(alphabet: string, length: number): string {
  // 256 % 62 and 256 % 36 bias is negligible for ids that only need to look like Cognito's.
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('')
}
