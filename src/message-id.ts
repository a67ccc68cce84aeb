// Time-sortable message ids (ULID layout: 10 chars of milliseconds, 16 of randomness, Crockford
// base32), so a Query on `MSG#` in key order is a Query in time order.
import { randomBytes } from 'node:crypto'

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

export function newMessageId(now: number = Date.now()): string {
  let time = ''
  let rest = now
  for (let i = 0; i < 10; i++) {
    time = alphabet[rest % 32] + time
    rest = Math.floor(rest / 32)
  }
  let random = ''
  for (const byte of randomBytes(16)) random += alphabet[byte % 32]
  return time + random
}
