// The local user pool's identity and secrets: its id, its app client id, two RSA signing keys (a
// Cognito pool publishes two; the first signs) and the key that seals refresh tokens. Kept in the
// dev data folder so tokens and the page's config survive a restart; fresh in memory for tests,
// where the signing keys are made on first need: two 2048-bit RSA keys take 200–800 ms of CPU,
// more than the rest of a start, and many emulators never sign anyone in.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { JWK } from 'jose'
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
  /** The signing keys, made now if they are not yet (blocking the thread: for tests and tools). */
  readonly signingKeys: readonly [SigningKey, SigningKey]
  /** The signing keys, made off the main thread on the first call (what serving a request uses). */
  signingKeysMade(): Promise<readonly [SigningKey, SigningKey]>
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

type KeyPair = readonly [SigningKey, SigningKey]

/** Loads the pool from `file` when it exists there; otherwise makes a new one (and saves it when `file` is given). */
export async function loadOrCreatePoolKeys(region: string, file: string | undefined): Promise<PoolKeys> {
  const stored = file ? ((await readJsonFile(file)) as StoredKeys | undefined) : undefined
  if (stored) {
    if (stored.version !== 1 || !stored.userPoolId.startsWith(`${region}_`) || stored.signingKeys.length !== 2) {
      throw new Error(`${file} is not a local Cognito key file for region ${region}; move it away to start a fresh pool`)
    }
    const [a, b] = stored.signingKeys.map((jwk) => signingKeyOf(createPrivateKey({ key: jwk as never, format: 'jwk' })))
    return poolKeys(stored.userPoolId, stored.clientId, [a, b], Buffer.from(stored.refreshKey, 'base64url'))
  }
  const userPoolId = `${region}_${randomId('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 9)}`
  const clientId = randomId('abcdefghijklmnopqrstuvwxyz0123456789', 26)
  // Kept on disk, the keys are made once per data folder: made now, to be saved with the pool.
  const keys = poolKeys(userPoolId, clientId, file ? await Promise.all([newSigningKey(), newSigningKey()]) : undefined, randomBytes(32))
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

/** `pair` absent: made on first need, whichever way is asked first; once made, they never change. */
function poolKeys(userPoolId: string, clientId: string, pair: KeyPair | undefined, refreshKey: Uint8Array): PoolKeys {
  let made = pair
  let making: Promise<KeyPair> | undefined
  return {
    userPoolId,
    clientId,
    refreshKey,
    get signingKeys() {
      return (made ??= [signingKeyOf(generateRsaSync()), signingKeyOf(generateRsaSync())])
    },
    signingKeysMade() {
      if (made) return Promise.resolve(made)
      // Both keys at once, on two threads of libuv's pool; a synchronous read meanwhile wins.
      return (making ??= Promise.all([newSigningKey(), newSigningKey()]).then((pair) => (made ??= pair)))
    },
  }
}

const rsaOptions = { modulusLength: 2048, publicExponent: 0x10001 }

function generateRsaSync(): KeyObject {
  return generateKeyPairSync('rsa', rsaOptions).privateKey
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateRsa('rsa', rsaOptions)
  return signingKeyOf(privateKey)
}

function signingKeyOf(privateKey: KeyObject): SigningKey {
  const { e, n, kty } = createPublicKey(privateKey).export({ format: 'jwk' }) as { e: string; n: string; kty: string }
  const kid = thumbprint({ e, kty, n })
  return { kid, privateKey, publicJwk: { alg: 'RS256', e, kid, kty, n, use: 'sig' } }
}

/** RFC 7638 JWK thumbprint (SHA-256) of an RSA key, as jose's calculateJwkThumbprint computes it, without waiting. */
function thumbprint(members: { e: string; kty: string; n: string }): string {
  // The required members in lexicographic order, no whitespace.
  return createHash('sha256').update(JSON.stringify({ e: members.e, kty: members.kty, n: members.n })).digest('base64url')
}

function randomId(alphabet: string, length: number): string {
  // 256 % 62 and 256 % 36 bias is negligible for ids that only need to look like Cognito's.
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('')
}
