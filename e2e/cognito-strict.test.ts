// The local Cognito is as strict as Cognito, seen through the real
// `@aws-sdk/client-cognito-identity-provider`: wrong passwords lock the user out with Cognito's error
// and back-off, wrong confirmation codes are limited, and the API model's size limits hold. The
// pool's clock is injected, so lockouts pass without sleeping. Then what a browser or a raw client
// sees of the HTTP layer: CORS only for allowed origins, aborted uploads, unsafe header values.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:net'
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider'
import { userPool } from '../src/user-pool.ts'
import { clientError, cognitoFixture, failure } from './cognito-fixture.ts'
import type { CodeDelivery } from '../emulator/cognito/code-delivery.ts'

const incorrect = clientError('NotAuthorizedException', 'Incorrect username or password.')
const lockedOut = clientError('NotAuthorizedException', 'Password attempts exceeded')
const mismatch = clientError('CodeMismatchException', 'Invalid verification code provided, please try again.')
const attemptLimit = clientError('LimitExceededException', 'Attempt limit exceeded, please try after some time.')
const invalid = (...violations: string[]) =>
  clientError('InvalidParameterException', `${violations.length} validation error${violations.length === 1 ? '' : 's'} detected: ${violations.join('; ')}`)
const wrongPassword = 'Pw-wrong-7x-chat'
const minutes = 60_000

/** A pool whose clock moves only when the test says. */
async function fixture(t: Parameters<typeof cognitoFixture>[0], cognito: { autoConfirm?: boolean; onCode?: (d: CodeDelivery) => void } = {}) {
  let now = Date.parse('2030-01-01T00:00:00Z')
  const pool = await cognitoFixture(t, { cognito: { ...cognito, now: () => now } })
  return { ...pool, advance: (ms: number) => (now += ms) }
}

test('five wrong passwords lock the user out for a second, refusing even the right one with "Password attempts exceeded"', async (t) => {
  const { signUp, signIn, advance } = await fixture(t)
  await signUp('lena')
  for (let i = 0; i < 5; i++) assert.deepEqual(await failure(signIn('lena', wrongPassword)), incorrect, `failure ${i + 1}`)
  assert.deepEqual(await failure(signIn('lena')), lockedOut)
  advance(999)
  assert.deepEqual(await failure(signIn('lena')), lockedOut)
  advance(1)
  assert.ok((await signIn('lena')).AuthenticationResult?.IdToken)
  // The right password reset the count: four failures are free again.
  for (let i = 0; i < 4; i++) assert.deepEqual(await failure(signIn('lena', wrongPassword)), incorrect, `after reset ${i + 1}`)
  assert.ok((await signIn('lena')).AuthenticationResult?.IdToken)
})

test('each further failure doubles the lockout, up to 15 minutes; attempts during one do not lengthen it', async (t) => {
  const { signUp, signIn, advance } = await fixture(t)
  await signUp('milo')
  for (let i = 0; i < 5; i++) await failure(signIn('milo', wrongPassword))
  const lockouts: number[] = [1000]
  // n = 6 ... 16 failures: 2^(n-5) s, capped at 900 s.
  for (let n = 6; n <= 16; n++) {
    const previous = lockouts.at(-1)!
    advance(previous - 1)
    assert.deepEqual(await failure(signIn('milo')), lockedOut, `still locked before failure ${n}`)
    advance(1)
    assert.deepEqual(await failure(signIn('milo', wrongPassword)), incorrect, `failure ${n}`)
    lockouts.push(Math.min(2 ** (n - 5) * 1000, 15 * minutes))
  }
  assert.deepEqual(lockouts.slice(-3), [512_000, 900_000, 900_000])
  for (let i = 0; i < 20; i++) assert.deepEqual(await failure(signIn('milo')), lockedOut)
  advance(15 * minutes)
  assert.ok((await signIn('milo')).AuthenticationResult?.IdToken)
})

test('15 minutes without a sign-in attempt reset the count', async (t) => {
  const { signUp, signIn, advance } = await fixture(t)
  await signUp('nora')
  for (let i = 0; i < 5; i++) await failure(signIn('nora', wrongPassword))
  advance(15 * minutes)
  // From zero: four free failures (were the count kept, the first would lock for 2 s and the second be refused).
  for (let i = 0; i < 4; i++) assert.deepEqual(await failure(signIn('nora', wrongPassword)), incorrect, `failure ${i + 1}`)
  assert.ok((await signIn('nora')).AuthenticationResult?.IdToken)
})

test('a name that is no user never locks: the same answer every time, with or without user existence errors', async (t) => {
  const { signIn } = await fixture(t)
  for (let i = 0; i < 12; i++) assert.deepEqual(await failure(signIn('nobody', wrongPassword)), incorrect, `attempt ${i + 1}`)
  const legacy = await cognitoFixture(t, { userPool: { ...userPool, client: { ...userPool.client, preventUserExistenceErrors: false } } })
  for (let i = 0; i < 7; i++) assert.deepEqual(await failure(legacy.signIn('nobody', wrongPassword)), clientError('UserNotFoundException', 'User does not exist.'))
})

test('five wrong confirmation codes refuse even the right one for 15 minutes; after that it confirms', async (t) => {
  const codes = new Map<string, string>()
  const { signUp, signIn, confirm, advance } = await fixture(t, { autoConfirm: false, onCode: (d) => codes.set(d.username, d.code) })
  await signUp('olga')
  const code = codes.get('olga')!
  const wrong = code === '000000' ? '111111' : '000000'
  for (let i = 0; i < 5; i++) assert.deepEqual(await failure(confirm('olga', wrong)), mismatch, `wrong code ${i + 1}`)
  assert.deepEqual(await failure(confirm('olga', code)), attemptLimit)
  advance(15 * minutes - 1)
  assert.deepEqual(await failure(confirm('olga', code)), attemptLimit)
  advance(1)
  await confirm('olga', code)
  assert.ok((await signIn('olga')).AuthenticationResult?.IdToken)
})

test('a confirmation code expires after 24 hours of the pool’s clock', async (t) => {
  const codes = new Map<string, string>()
  const { signUp, confirm, advance } = await fixture(t, { autoConfirm: false, onCode: (d) => codes.set(d.username, d.code) })
  await signUp('pia')
  advance(24 * 60 * minutes + 1)
  assert.deepEqual(await failure(confirm('pia', codes.get('pia')!)), clientError('ExpiredCodeException', 'Invalid code provided, please request a code again.'))
})

test("requests beyond the API model's size limits are InvalidParameterException with AWS's validation text", async (t) => {
  const { client, clientId, signUp, signIn, confirm } = await fixture(t)
  const atMost = (member: string, n: number) => `Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${n}`
  assert.deepEqual(await failure(signUp('u'.repeat(129))), invalid(atMost('username', 128)))
  assert.deepEqual(await failure(signUp('quinn', 'p'.repeat(257))), invalid(atMost('password', 256)))
  assert.deepEqual(await failure(signUp('quinn', undefined, [{ Name: 'email', Value: 'q@example.test' }, { Name: 'name', Value: 'n'.repeat(2049) }])), invalid(atMost('userAttributes.2.member.value', 2048)))
  assert.deepEqual(
    await failure(signUp('quinn', undefined, [{ Name: 'n'.repeat(33), Value: 'x' }])),
    invalid(`Value '${'n'.repeat(33)}' at 'userAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 32`),
  )
  assert.deepEqual(
    await failure(confirm('quinn', '1'.repeat(2049))),
    invalid(`Value '${'1'.repeat(2049)}' at 'confirmationCode' failed to satisfy constraint: Member must have length less than or equal to 2048`),
  )
  assert.deepEqual(await failure(confirm('quinn', '12 34')), invalid("Value '12 34' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+"))
  assert.deepEqual(await failure(signIn('u'.repeat(200))), incorrect)
  assert.deepEqual(
    await failure(client.send(new InitiateAuthCommand({ ClientId: `${clientId}-x`, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'quinn', PASSWORD: 'x'.repeat(131073) } }))),
    invalid(
      "Value at 'authParameters' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 131072]",
      "Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
    ),
  )
})

/** The CORS headers of a response (and Vary), with its status. */
const corsOf = async (response: Promise<Response>) => {
  const r = await response
  await r.arrayBuffer()
  return { status: r.status, ...Object.fromEntries([...r.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary')) }
}
const exposed = { 'access-control-expose-headers': 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date' }

test('CORS: an allowed origin gets its echo and Vary on the preflight, the API and the JWKS; a foreign one no allow-origin at all', async (t) => {
  const { emu } = await cognitoFixture(t, { cognito: { allowedOrigins: ['http://app.example.test:5173'] } })
  const preflight = (origin: string) =>
    fetch(`${emu.cognito.endpoint}/`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,x-injected-header' },
    })
  const call = (origin: string) =>
    fetch(`${emu.cognito.endpoint}/`, { method: 'POST', headers: { origin, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, body: '{}' })
  const jwks = (origin: string) => fetch(`${emu.cognito.issuer}/.well-known/jwks.json`, { headers: { origin } })
  const own = `http://localhost:${new URL(emu.httpUrl).port}`
  for (const origin of [own, emu.httpUrl, 'http://app.example.test:5173']) {
    assert.deepEqual(await corsOf(preflight(origin)), {
      status: 200,
      vary: 'Origin',
      'access-control-allow-origin': origin,
      ...exposed,
      'access-control-allow-methods': 'POST, OPTIONS',
      // A fixed list: what the request asked for (x-injected-header) is not echoed.
      'access-control-allow-headers': 'content-type, x-amz-target, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token, cache-control',
      'access-control-max-age': '86400',
    })
    assert.deepEqual(await corsOf(call(origin)), { status: 400, vary: 'Origin', 'access-control-allow-origin': origin, ...exposed })
    assert.deepEqual(await corsOf(jwks(origin)), { status: 200, vary: 'Origin', 'access-control-allow-origin': origin, ...exposed })
  }
  for (const origin of ['http://evil.example', 'null', `http://localhost:${Number(new URL(emu.httpUrl).port) + 1}`, 'http://app.example.test']) {
    assert.deepEqual(await corsOf(preflight(origin)), { status: 403, vary: 'Origin' }, origin)
    assert.deepEqual(await corsOf(call(origin)), { status: 400, vary: 'Origin' }, origin)
    assert.deepEqual(await corsOf(jwks(origin)), { status: 200, vary: 'Origin' }, origin)
  }
})

test('CORS: an allowed origin that is not an origin stops the emulator at start', async (t) => {
  await assert.rejects(cognitoFixture(t, { cognito: { allowedOrigins: ['*'] } }), { message: 'allowedOrigins: "*" is not an origin such as http://localhost:5173' })
})

test('an upload aborted mid-body is dropped quietly, and the pool keeps answering', async (t) => {
  const { emu, signUp } = await cognitoFixture(t)
  const errors = t.mock.method(console, 'error', () => {})
  const { hostname, port } = new URL(emu.cognito.endpoint)
  const socket = connect(Number(port), hostname)
  t.after(() => socket.destroy())
  // `Expect: 100-continue`: the server says when the request reached its handler.
  socket.write(
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\n' +
      'Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n',
  )
  const [reply] = (await once(socket, 'data', { signal: AbortSignal.timeout(5000) })) as [Buffer]
  assert.match(reply.toString(), /^HTTP\/1.1 100 Continue/)
  socket.end('{"ClientId":')
  socket.destroy()
  assert.equal((await signUp('rita')).UserConfirmed, true)
  assert.deepEqual(errors.mock.calls.map((c) => c.arguments[0]), [])
})

test('a message too long or unsafe for a header is in the body only', async (t) => {
  const { emu } = await cognitoFixture(t)
  const target = `AWSCognitoIdentityProviderService.${'X'.repeat(5000)}`
  const r = await fetch(`${emu.cognito.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body: '{}' })
  assert.deepEqual([r.status, r.headers.get('x-amzn-errortype'), r.headers.get('x-amzn-errormessage')], [400, 'UnknownOperationException:', null])
  assert.match(((await r.json()) as { message: string }).message, new RegExp(`does not implement ${target};`))
})
