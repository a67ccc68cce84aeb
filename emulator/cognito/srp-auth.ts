// USER_SRP_AUTH, as Cognito runs it (API reference, InitiateAuth and RespondToAuthChallenge; the
// developer guide's "SRP authentication"): InitiateAuth with USERNAME and SRP_A answers the
// PASSWORD_VERIFIER challenge (SALT, SRP_B, SECRET_BLOCK, USERNAME, USER_ID_FOR_SRP); the answer
// proves the password with PASSWORD_CLAIM_SIGNATURE over the pool's name, the user's SRP id, the
// secret block and a TIMESTAMP (`ddd MMM D HH:mm:ss UTC YYYY`, the day not padded). The signature is
// checked against the verifier stored at sign-up (srp.ts): a wrong one is a wrong password, counted
// towards the lockout as USER_PASSWORD_AUTH's are. USER_ID_FOR_SRP is the username as stored (for a
// sign-in by email alias too). With preventUserExistenceErrors an unknown user gets a challenge as
// real-looking as any (a salt derived from the name, so it does not change between attempts) and is
// refused only at the signature.
import { createHmac } from 'node:crypto'
import { CognitoError, incorrectCredentials } from './cognito-error.ts'
import type { OperationDeps } from './cognito-operations.ts'
import type { ChallengeAnswer } from './respond-to-auth-challenge.ts'
import { signInOutcome } from './sign-in-outcome.ts'
import { makeVerifier, padHex, poolNameOf, serverEphemeral, serverKey, signatureMatches, validClientValue } from './srp.ts'
import type { LocalUser } from './user-store.ts'

type Json = Record<string, unknown>

/** INF: how long a PASSWORD_VERIFIER challenge may be answered; Cognito's default session validity is 3 minutes. */
export const srpChallengeSeconds = 180
/** INF: how far TIMESTAMP may be from the server's clock (Cognito documents no tolerance; clients send the current time). */
export const timestampToleranceMs = 5 * 60_000

const purpose = 'srp-password-verifier'

export async function initiateSrp(deps: OperationDeps, parameters: Readonly<Record<string, string>>, lookup: (name: string) => LocalUser | undefined): Promise<Json> {
  const name = parameters.USERNAME
  if (!name) throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME')
  if (!parameters.SRP_A) throw new CognitoError('InvalidParameterException', 'Missing required parameter SRP_A')
  const A = validClientValue(parameters.SRP_A)
  if (A === undefined) throw new CognitoError('InvalidParameterException', 'SRP_A is not a valid SRP value')
  const user = lookup(name)
  if (!user && !deps.settings.pool.client.preventUserExistenceErrors) throw new CognitoError('UserNotFoundException', 'User does not exist.')
  const userId = user?.username ?? name
  // A user stored before SRP existed has no verifier: it gets a decoy, and a clear reason once refused.
  const srp = user?.srp ?? decoyVerifier(deps, userId)
  const { b, B } = serverEphemeral(srp.verifier)
  const block = await deps.sealed.seal(purpose, { userId, sub: user?.sub ?? '', A: A.toString(16), B: B.toString(16), b: b.toString(16) }, srpChallengeSeconds)
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: { SALT: srp.salt, SECRET_BLOCK: Buffer.from(block, 'utf8').toString('base64'), SRP_B: B.toString(16), USERNAME: userId, USER_ID_FOR_SRP: userId },
  }
}

export async function respondPasswordVerifier(deps: OperationDeps, answer: ChallengeAnswer): Promise<Json> {
  const { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp } = answer.responses
  for (const [key, value] of Object.entries({ USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp })) {
    if (!value) throw new CognitoError('InvalidParameterException', `Missing required parameter ${key}`)
  }
  const at = parseTimestamp(timestamp)
  if (at === undefined) throw new CognitoError('InvalidParameterException', 'TIMESTAMP format is invalid, expected "ddd MMM D HH:mm:ss UTC YYYY"')
  const state = await deps.sealed.open(purpose, Buffer.from(secretBlock, 'base64').toString('utf8'))
  if (state === 'expired') throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.')
  if (state === 'invalid' || state.userId !== userId) throw incorrectCredentials()
  const user = deps.users.get(userId)
  // Gone, or replaced under the same name, since the challenge: as good as a wrong password.
  if (!user || user.sub !== state.sub) throw incorrectCredentials()
  if (!deps.signInAttempts.begin(user.sub)) throw new CognitoError('NotAuthorizedException', 'Password attempts exceeded')
  if (!user.srp) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password. (This local user was stored before SRP sign-in; set its password again, or sign up anew.)')
  // The client's wall clock against ours (deps.now is the lockouts' clock, which tests move).
  if (Math.abs(at - Date.now()) > timestampToleranceMs) throw incorrectCredentials()
  const key = serverKey(BigInt(`0x${state.A}`), BigInt(`0x${state.B}`), BigInt(`0x${state.b}`), user.srp.verifier)
  if (!key || !signatureMatches(key, poolNameOf(deps.settings.userPoolId), userId, secretBlock, timestamp, signature)) throw incorrectCredentials()
  return signInOutcome(deps, user)
}

/** The same salt and verifier every time for a name that is no user: nothing tells it apart. */
function decoyVerifier(deps: OperationDeps, name: string): { salt: string; verifier: string } {
  const seed = createHmac('sha256', deps.settings.clientId).update(name).digest('hex')
  return { salt: padHex(BigInt(`0x${seed.slice(0, 32)}`)), verifier: BigInt(`0x${seed}`).toString(16) }
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `Tue Dec 2 22:15:00 UTC 2026` → epoch ms; undefined unless it is that format and a real date. */
export function parseTimestamp(text: string): number | undefined {
  const m = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/.exec(text)
  if (!m) return undefined
  const month = months.indexOf(m[2])
  const at = Date.UTC(Number(m[7]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  const date = new Date(at)
  if (month < 0 || date.getUTCDate() !== Number(m[3]) || weekdays[date.getUTCDay()] !== m[1]) return undefined
  return at
}

/** What `passwordFields` stores for SRP. */
export function srpFields(deps: Pick<OperationDeps, 'settings'>, username: string, password: string): { srp: { salt: string; verifier: string } } {
  return { srp: makeVerifier(poolNameOf(deps.settings.userPoolId), username, password) }
}
