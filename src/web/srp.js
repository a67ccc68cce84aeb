// Cognito's SRP sign-in (USER_SRP_AUTH) for the page, on BigInt and WebCrypto, with no build step and
// no library: the password never leaves the browser; Cognito (or the local one) sees only A and a
// signature. The client's half of SRP-6a as Cognito's SDKs compute it (the Cognito developer guide,
// "SRP authentication"; checked value for value against amazon-cognito-identity-js by
// e2e/srp-client.test.ts): the 3072-bit MODP group of RFC 3526 with g = 2 and SHA-256,
//   A = g^a, u = H(A ‖ B), x = H(salt ‖ H(poolName ‖ userId ‖ ":" ‖ password)),
//   S = (B − k·g^x)^(a + u·x), key = HKDF(S, u, "Caldera Derived Key")[0..16],
//   signature = HMAC(key, poolName ‖ userId ‖ secretBlock ‖ timestamp).
// Numbers are hashed in Java's BigInteger byte form (padHex). Runs in Node 20+ too (tests sign in with it).

/** RFC 3526, §4: the 3072-bit MODP group's prime. */
const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
)
const g = 2n
const encoder = new TextEncoder()

/** @param {bigint} n even-length hex, with "00" in front when the top bit is set */
export function padHex(n) {
  const hex = n.toString(16)
  const even = hex.length % 2 === 0 ? hex : `0${hex}`
  return /^[89a-f]/i.test(even) ? `00${even}` : even
}

/** @param {string} hex */
function bytesOf(hex) {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** @param {Uint8Array} bytes */
const hexOf = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** @param {...Uint8Array} parts */
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** @param {Uint8Array} data */
const sha256 = async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', data))
/** @param {Uint8Array} key @param {Uint8Array} data */
async function hmac(key, data) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data))
}
/** @param {string} hex */
const hashHex = async (hex) => hexOf(await sha256(bytesOf(hex)))

/** @param {bigint} base @param {bigint} exponent */
function modPow(base, exponent) {
  let result = 1n
  let b = ((base % N) + N) % N
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % N
    b = (b * b) % N
  }
  return result
}

/** A = g^a mod N for a secret a (128 random bytes, as Cognito's SDKs draw it). */
export function clientEphemeral(a = BigInt(`0x${hexOf(crypto.getRandomValues(new Uint8Array(128)))}`)) {
  const A = modPow(g, a)
  // SRP-6a: A must not be 0 mod N; with a random a it never is, but check as the SDKs do.
  if (A % N === 0n) throw new Error('SRP: A mod N is 0')
  return { a, A }
}

/**
 * The 16-byte key from the server's B and salt (hex, as Cognito sends them).
 * @param {{ a: bigint, A: bigint, B: bigint, salt: string, poolName: string, userId: string, password: string }} p
 */
export async function passwordKey({ a, A, B, salt, poolName, userId, password }) {
  if (B % N === 0n) throw new Error('SRP: B mod N is 0')
  const u = BigInt(`0x${await hashHex(padHex(A) + padHex(B))}`)
  if (u === 0n) throw new Error('SRP: u is 0')
  const inner = hexOf(await sha256(encoder.encode(`${poolName}${userId}:${password}`)))
  const x = BigInt(`0x${await hashHex(padHex(BigInt(`0x${salt}`)) + inner)}`)
  const k = BigInt(`0x${await hashHex(padHex(N) + padHex(g))}`)
  const S = modPow(B - k * modPow(g, x), a + u * x)
  const prk = await hmac(bytesOf(padHex(u)), bytesOf(padHex(S)))
  return (await hmac(prk, concat(encoder.encode('Caldera Derived Key'), new Uint8Array([1])))).slice(0, 16)
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n) => String(n).padStart(2, '0')

/** Cognito's TIMESTAMP: `ddd MMM D HH:mm:ss UTC YYYY`, the day not padded. @param {Date} date */
export function timestamp(date) {
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
  return `${weekdays[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${date.getUTCDate()} ${time} UTC ${date.getUTCFullYear()}`
}

/** @param {Uint8Array} key @param {string} poolName @param {string} userId @param {string} secretBlock base64 @param {string} when */
export async function claimSignature(key, poolName, userId, secretBlock, when) {
  const block = Uint8Array.from(atob(secretBlock), (c) => c.charCodeAt(0))
  const signature = await hmac(key, concat(encoder.encode(poolName), encoder.encode(userId), block, encoder.encode(when)))
  return btoa(String.fromCharCode(...signature))
}

/**
 * Signs in with USER_SRP_AUTH through `call(operation, body)` (the Cognito JSON API). Resolves with
 * `response`, RespondToAuthChallenge's answer (`AuthenticationResult`, or the next challenge:
 * `ChallengeName`, `Session`, `ChallengeParameters`), and `userId`, the user's SRP id
 * (USER_ID_FOR_SRP): the USERNAME later challenge answers name.
 * @param {(operation: string, body: object) => Promise<any>} call
 * @param {{ clientId: string, userPoolId: string, username: string, password: string, now?: () => Date }} p
 */
export async function srpSignIn(call, { clientId, userPoolId, username, password, now = () => new Date() }) {
  const { a, A } = clientEphemeral()
  const started = await call('InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, SRP_A: A.toString(16) } })
  if (started.ChallengeName !== 'PASSWORD_VERIFIER') return { response: started, userId: username }
  const { USER_ID_FOR_SRP: userId, SALT: salt, SRP_B, SECRET_BLOCK: secretBlock } = started.ChallengeParameters
  const poolName = userPoolId.slice(userPoolId.indexOf('_') + 1)
  const key = await passwordKey({ a, A, B: BigInt(`0x${SRP_B}`), salt, poolName, userId, password })
  const when = timestamp(now())
  const response = await call('RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: clientId,
    ChallengeResponses: {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
      TIMESTAMP: when,
      PASSWORD_CLAIM_SIGNATURE: await claimSignature(key, poolName, userId, secretBlock, when),
    },
    ...(started.Session ? { Session: started.Session } : {}),
  })
  return { response, userId }
}
