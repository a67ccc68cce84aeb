// The page's SRP client (src/web/srp.js) against amazon-cognito-identity-js, Cognito's own JavaScript SDK, and
// against the local Cognito's server half (emulator/cognito/srp.ts): the same inputs give the same
// A, the same key, the same signature; and a key from a wrong password differs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, getDiffieHellman } from 'node:crypto'
import { createRequire } from 'node:module'
import { makeVerifier, serverEphemeral, serverKey } from '../emulator/cognito/srp.ts'
import { parseTimestamp } from '../emulator/cognito/srp-auth.ts'
import { srp } from './srp-client.ts'

const { claimSignature, clientEphemeral, padHex, passwordKey, timestamp } = srp
// The SDK's SRP helper is not in its public types: loaded as the CommonJS it is.
const require = createRequire(import.meta.url)
const { AuthenticationHelper } = require('amazon-cognito-identity-js') as { AuthenticationHelper: unknown }
const BigInteger = (require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: unknown }).default

const poolName = 'AbCdEf123'
const userId = 'alice'
const password = 'Pw-alice-7x-chat'
// A fixed secret a, as the SDK would draw it (128 bytes).
const a = BigInt(`0x${'5a'.repeat(128)}`)

type Helper = {
  smallAValue: unknown
  getLargeAValue(cb: (err: unknown, A: { toString(radix: number): string }) => void): void
  getPasswordAuthenticationKey(user: string, pw: string, B: unknown, salt: unknown, cb: (err: unknown, key: Uint8Array) => void): void
  largeAValue?: unknown
}

function sdkHelper(): Helper {
  const helper = new (AuthenticationHelper as unknown as new (pool: string) => Helper)(poolName)
  helper.smallAValue = new (BigInteger as unknown as new (hex: string, radix: number) => unknown)(a.toString(16), 16)
  helper.largeAValue = undefined
  return helper
}

const sdkA = (helper: Helper) => new Promise<bigint>((resolve, reject) => helper.getLargeAValue((err, A) => (err ? reject(err) : resolve(BigInt(`0x${A.toString(16)}`)))))
const sdkKey = async (helper: Helper, B: bigint, salt: string, pw = password) => {
  await sdkA(helper)
  return new Promise<Buffer>((resolve, reject) => {
    const BigInt_ = BigInteger as unknown as new (hex: string, radix: number) => unknown
    helper.getPasswordAuthenticationKey(userId, pw, new BigInt_(B.toString(16), 16), new BigInt_(salt, 16), (err, key) => (err ? reject(err) : resolve(Buffer.from(key))))
  })
}

test("the group is RFC 3526's 3072-bit MODP group (Node's modp15), as Cognito's", () => {
  const { A } = clientEphemeral(1n)
  assert.equal(A, 2n, 'g = 2')
  const prime = BigInt(`0x${getDiffieHellman('modp15').getPrime('hex')}`)
  assert.equal(clientEphemeral(prime - 1n).A, 1n, 'g^(N−1) = 1 mod N for the same N')
})

test('A, the derived key and the claim signature match amazon-cognito-identity-js and the local Cognito', async () => {
  const helper = sdkHelper()
  const { A } = clientEphemeral(a)
  assert.equal(A, await sdkA(helper))

  const stored = makeVerifier(poolName, userId, password)
  const { b, B } = serverEphemeral(stored.verifier)
  const ours = Buffer.from(await passwordKey({ a, A, B, salt: stored.salt, poolName, userId, password }))
  assert.equal(ours.length, 16)
  assert.deepEqual(ours, await sdkKey(helper, B, stored.salt))
  assert.deepEqual(ours, serverKey(A, B, b, stored.verifier))

  const secretBlock = Buffer.from('a secret block').toString('base64')
  const when = 'Wed Dec 2 22:15:00 UTC 2026'
  const expected = createHmac('sha256', ours)
    .update(Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(secretBlock, 'base64'), Buffer.from(when)]))
    .digest('base64')
  assert.equal(await claimSignature(ours, poolName, userId, secretBlock, when), expected)

  const wrong = Buffer.from(await passwordKey({ a, A, B, salt: stored.salt, poolName, userId, password: 'Pw-wrong-7x-chat' }))
  assert.notDeepEqual(wrong, ours)
  assert.deepEqual(wrong, await sdkKey(sdkHelper(), B, stored.salt, 'Pw-wrong-7x-chat'))
})

test("padHex is Java's BigInteger byte form, as the SDK's", () => {
  assert.equal(padHex(20n), '14')
  assert.equal(padHex(200n), '00c8')
  assert.equal(padHex(0xabcn), '0abc')
})

test('TIMESTAMP is `ddd MMM D HH:mm:ss UTC YYYY` with the day unpadded, and the local Cognito reads it back', () => {
  const date = new Date(Date.UTC(2026, 11, 2, 7, 5, 9))
  assert.equal(timestamp(date), 'Wed Dec 2 07:05:09 UTC 2026')
  assert.equal(parseTimestamp(timestamp(date)), date.getTime())
  for (const bad of ['Wed Dec 02 07:05:09 UTC 2026', 'Thu Dec 2 07:05:09 UTC 2026', 'Wed Dec 2 7:05:09 UTC 2026', '2026-12-02T07:05:09Z']) assert.equal(parseTimestamp(bad), undefined, bad)
})
