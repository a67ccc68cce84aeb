// Time-based one-time passwords as authenticator apps make them and Cognito checks them (RFC 6238
// over RFC 4226: HMAC-SHA1, 6 digits, 30-second steps; Cognito's SecretCode is the base32 secret the
// app is given). INF: a code of the step before or after is accepted too (clock drift, the usual
// window), and a step once used is refused again, as a one-time password must be.
import { createHmac, randomBytes } from 'node:crypto'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
export const stepSeconds = 30

/** A new secret: 20 random bytes (RFC 4226's recommended length), base32 without padding (32 characters). */
export function newTotpSecret(): string {
  const bytes = randomBytes(20)
  let bits = ''
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0')
  let out = ''
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)]
  return out
}

function base32Bytes(secret: string): Buffer {
  let bits = ''
  for (const char of secret.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(char)
    if (value < 0) throw new Error('not base32')
    bits += value.toString(2).padStart(5, '0')
  }
  const bytes: number[] = []
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2))
  return Buffer.from(bytes)
}

export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000
  return String(value).padStart(6, '0')
}

/** The step `code` is for, within one step of `nowMs`, not at or before `usedStep`; undefined when none. */
export function matchingStep(secret: string, code: string, nowMs: number, usedStep = -1): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const current = Math.floor(nowMs / 1000 / stepSeconds)
  return [current, current - 1, current + 1].find((step) => step > usedStep && totpCode(secret, step) === code)
}
