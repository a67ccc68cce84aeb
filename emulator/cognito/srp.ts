// The server's half of Cognito's SRP (USER_SRP_AUTH), on Node's own crypto: SRP-6a over the 3072-bit
// MODP group of RFC 3526 (Node's `modp15`) with g = 2 and SHA-256, as Cognito's SDKs compute it
// (amazon-cognito-identity-js AuthenticationHelper; the Cognito developer guide, "SRP authentication"):
//   k = H(N ‖ g), x = H(salt ‖ H(poolName ‖ userId ‖ ":" ‖ password)), v = g^x,
//   B = k·v + g^b, u = H(A ‖ B), S = (A·v^u)^b,
//   key = HKDF-SHA256(ikm S, salt u, info "Caldera Derived Key"), 16 bytes,
//   signature = HMAC-SHA256(key, poolName ‖ userId ‖ secretBlock ‖ timestamp), base64.
// Numbers are hashed in Java's BigInteger byte form (`padHex`): even-length hex, "00" in front when
// the top bit is set. The password never reaches the server: only v (and the salt) are stored.
import { createHash, createHmac, getDiffieHellman, randomBytes, timingSafeEqual } from 'node:crypto'

const N = BigInt(`0x${getDiffieHellman('modp15').getPrime('hex')}`)
const g = 2n

export function padHex(n: bigint): string {
  const hex = n.toString(16)
  const even = hex.length % 2 === 0 ? hex : `0${hex}`
  return /^[89a-f]/i.test(even) ? `00${even}` : even
}

const hashHex = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex')
const k = BigInt(`0x${hashHex(padHex(N) + padHex(g))}`)

export function modPow(base: bigint, exponent: bigint, modulus: bigint = N): bigint {
  let result = 1n
  let b = ((base % modulus) + modulus) % modulus
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus
    b = (b * b) % modulus
  }
  return result
}

/** The pool's name in SRP: what follows the underscore of its id (`us-east-1_AbC` → `AbC`). */
export function poolNameOf(userPoolId: string): string {
  return userPoolId.slice(userPoolId.indexOf('_') + 1)
}

export interface SrpVerifier {
  /** Hex, as sent in SALT. */
  readonly salt: string
  /** v = g^x mod N, hex. */
  readonly verifier: string
}

function passwordExponent(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const inner = createHash('sha256').update(`${poolName}${userId}:${password}`, 'utf8').digest('hex')
  return BigInt(`0x${hashHex(padHex(BigInt(`0x${saltHex}`)) + inner)}`)
}

export function makeVerifier(poolName: string, userId: string, password: string): SrpVerifier {
  const salt = padHex(BigInt(`0x${randomBytes(16).toString('hex')}`))
  return { salt, verifier: modPow(g, passwordExponent(poolName, userId, password, salt)).toString(16) }
}

/** The server's ephemeral pair: b (kept secret, in SECRET_BLOCK) and B = k·v + g^b. */
export function serverEphemeral(verifierHex: string): { readonly b: bigint; readonly B: bigint } {
  const b = BigInt(`0x${randomBytes(32).toString('hex')}`)
  const B = (k * BigInt(`0x${verifierHex}`) + modPow(g, b)) % N
  return { b, B }
}

/** SRP-6a: the client's A must not be 0 mod N (it would force S = 0). */
export function validClientValue(aHex: string): bigint | undefined {
  if (!/^[0-9a-f]+$/i.test(aHex)) return undefined
  const A = BigInt(`0x${aHex}`)
  return A % N === 0n ? undefined : A
}

/** The 16-byte key both sides derive; undefined when u = 0 (SRP-6a aborts). */
export function serverKey(A: bigint, B: bigint, b: bigint, verifierHex: string): Buffer | undefined {
  const u = BigInt(`0x${hashHex(padHex(A) + padHex(B))}`)
  if (u === 0n) return undefined
  const S = modPow(A * modPow(BigInt(`0x${verifierHex}`), u), b)
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest()
  return createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])])).digest().subarray(0, 16)
}

/** Whether PASSWORD_CLAIM_SIGNATURE is what the key signs, in constant time. */
export function signatureMatches(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string, signature: string): boolean {
  const expected = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(userId, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')]))
    .digest()
  const given = Buffer.from(signature, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
